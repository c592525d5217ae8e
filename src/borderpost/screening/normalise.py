"""Turn a personal name, in Latin or Arabic script, into comparable name parts.

Steps, in order (each is its own function and has its own test):
1. ``fold``: Unicode NFKC, case fold, Latin diacritics stripped, Arabic normalised
   (hamza/alef forms, taa marbuta, alef maqsura, tatweel, harakat), MRZ fillers to spaces.
2. ``tokenise``: words; apostrophes and ayn marks inside a word are dropped (Sa'id = Said),
   hyphens split (al-Jubouri = al Jubouri).
3. ``parse``: particles and compounds. The article (al/el/ال, also assimilated ar-/as-/ad-),
   connectors (bin/ibn/bint/بن) are not name parts; Abd/Abdul/Abdel/Abd al-/عبد + name is ONE part
   whether written joined or split, as are Abu/Abou + name and name + ad-Din.
4. Each part gets a ``fine_key`` (spelling-variant-insensitive, used to look names up in the
   lexicon) and a ``coarse_key`` (consonant skeleton, used by the index to find candidates).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from borderpost.screening.translit import arabic_to_latin, lexicon_rows

MAX_NAME_LENGTH = 200

# Arabic letter folding: spellings of one letter that documents use interchangeably.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه",
        "ی": "ي", "ک": "ك", "ـ": None,  # Persian yeh/kaf; tatweel is decoration
    }
)  # fmt: skip
# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks: not written on documents.
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_IS_ARABIC = re.compile("[\u0600-\u06ff]")
_NO_JOINERS = str.maketrans("", "", "'’‘`ʿʾ\u02bb\u02bc")  # inside a word: Sa'id, Ja`far, ʿAli


def fold_arabic(text: str) -> str:
    """Arabic-script normalisation: diacritics dropped, letter variants folded."""
    return _HARAKAT.sub("", text).translate(_ARABIC_FOLD)


class _Dropping(dict[int, int | None]):
    """A str.translate table that decides each character once, the first time it is met, and
    drops those for which ``drop`` says so (translate then runs at C speed)."""

    def __init__(self, drop: Callable[[str], bool]) -> None:
        super().__init__()
        self._drop = drop

    def __missing__(self, code: int) -> int | None:
        kept = None if self._drop(chr(code)) else code
        self[code] = kept
        return kept


_LATIN_MARKS = _Dropping(lambda ch: bool(unicodedata.combining(ch)) and not _IS_ARABIC.match(ch))


def strip_latin_diacritics(text: str) -> str:
    """é -> e, ḥ -> h, ā -> a; Arabic letters are left to fold_arabic."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_LATIN_MARKS))


# Invisible marks that are not Unicode format characters (Cf) but show nothing either:
# variation selectors, the combining grapheme joiner, Hangul fillers, the braille blank.
_INVISIBLE_EXTRA = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef]"
)
_SPACES = re.compile(r"\s+")


def remove_invisible(text: str) -> str:
    """Drop format characters (Unicode category Cf: ZWSP, ZWJ, ZWNJ, soft hyphen, word joiner,
    LRM/RLM and the other bidi controls, BOM, tags) and other invisible marks. They show nothing
    on screen, so a name carrying them must read as the same name."""
    if text.isascii():  # no ASCII character is invisible in this sense: the common fast path
        return text
    return text.translate(_INVISIBLE)


_INVISIBLE = _Dropping(
    lambda ch: unicodedata.category(ch) == "Cf" or bool(_INVISIBLE_EXTRA.match(ch))
)


def clean_name(value: object) -> object:
    """The one normalisation every name goes through where it enters (typed documents, group
    persons, truck parties, lists): invisible marks removed, whitespace collapsed and trimmed.
    A name that was only invisible comes out empty, and a required field then refuses it.
    Anything but a string is handed back untouched for the caller's own type check."""
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", remove_invisible(value)).strip()


def fold(text: str) -> str:
    """Unicode-normalise, case-fold, and fold both scripts; MRZ '<' become spaces."""
    if text.isascii():  # nothing to normalise, strip or fold: most Latin names
        return text.casefold().replace("<", " ")
    text = remove_invisible(text)
    text = unicodedata.normalize("NFKC", text).casefold().replace("<", " ")
    return fold_arabic(strip_latin_diacritics(text))


_SEPARATORS = re.compile(r"[\W\d_]+")


def tokenise(text: str) -> list[str]:
    """Words of a folded name: letters only, joiners removed, everything else separates."""
    text = text.translate(_NO_JOINERS)
    return [t for t in _SEPARATORS.split(text) if t]


def validate(name: str) -> None:
    """Refuse what cannot be a name; the API maps ValueError to 422."""
    if not name or not clean_name(name):
        raise ValueError("name is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"name is longer than {MAX_NAME_LENGTH} characters")
    if not any(ch.isalpha() for ch in name):
        raise ValueError("name contains no letters")


# --- keys -------------------------------------------------------------------------------------

_FINE_STEPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z]", ""), (r"dj", "j"), (r"ee|ie", "i"), (r"oo|ou|o", "u"), (r"ph", "f"),
        (r"ch", "sh"), (r"ck|c|q", "k"),
        (r"dh", "z"), (r"([aeiou])\1+", r"\1"), (r"ai|ei|ey|ay", "ay"), (r"e$", ""),
        (r"e", "a"), (r"(?<=[^aeiu])y(?=[^aeiu]|$)", "i"), (r"(?<=[aiu])h$", ""),
        (r"([aiu])\1+", r"\1"),
    ]
]  # fmt: skip

_COARSE_STEPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z]", ""), (r"dj", "j"), (r"kh", "h"), (r"gh", "k"), (r"sh|ch", "s"), (r"th|dh", "t"),
        (r"ph", "f"), (r"x", "ks"), (r"[qcg]", "k"), (r"[dz]", "t"), (r"p", "b"), (r"v", "f"),
        (r"(.)\1+", r"\1"), (r"(?<=[aeiouy])h$", ""), (r"^[aeiou]+", "@"),
        (r"(?<=.)[yw]", ""), (r"[aeiou]", ""),
        (r"(.)\1+", r"\1"),
    ]
]  # fmt: skip


@lru_cache(maxsize=200_000)
def fine_key(latin: str) -> str:
    """Latin spelling with the usual variant letters collapsed: Mohammed, Muhammad -> muhamad."""
    for pattern, repl in _FINE_STEPS:
        latin = pattern.sub(repl, latin)
    return latin


_DOUBLE = re.compile(r"(.)\1+")


def collapse(key: str) -> str:
    """Doubled letters written once: the shadda is often not written (Hassan, Hasan)."""
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=200_000)
def coarse_key(latin: str) -> str:
    """Consonant skeleton that survives transliteration: Jubouri, Aljuboori, جبوري -> JBR.

    A leading vowel (alef or ayn in Arabic) is kept as "@": Ahmad (@HMT) is not Hamid (HMT).
    """
    key = latin
    for pattern, repl in _COARSE_STEPS:
        key = pattern.sub(repl, key)
    return key.upper() or "_" + latin[:2]


# --- lexicon ----------------------------------------------------------------------------------


def _build_lexicon() -> tuple[
    dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, str],
    dict[str, list[tuple[str, str]]],
]:  # fmt: skip
    raw: dict[str, set[str]] = {}
    coll: dict[str, set[str]] = {}
    by_arabic: dict[str, str] = {}
    for canon, arabic, spellings in lexicon_rows():
        for ar in arabic:
            by_arabic.setdefault(fold_arabic(ar), canon)
        for spelling in spellings:
            key = fine_key(spelling)
            raw.setdefault(key, set()).add(canon)
            coll.setdefault(collapse(key), set()).add(canon)
    by_coarse: dict[str, list[tuple[str, str]]] = {}
    for key, canons in raw.items():
        for canon in canons:
            by_coarse.setdefault(coarse_key(key), []).append((key, canon))
    return (
        {k: frozenset(v) for k, v in raw.items()}, {k: frozenset(v) for k, v in coll.items()},
        by_arabic, by_coarse,
    )  # fmt: skip


LEX_RAW, LEX_COLLAPSED, LEX_BY_ARABIC, _LEX_BY_COARSE = _build_lexicon()
CANONICAL_SPELLING = {canon: spellings[0 if canon[-1].isdigit() or len(spellings) == 1 else 1]
                      for canon, _, spellings in lexicon_rows()} | {"allah": "allah"}  # fmt: skip
CANON_FINE_KEYS: dict[str, tuple[str, ...]] = {}
for _key, _canons in LEX_RAW.items():
    for _canon in _canons:
        CANON_FINE_KEYS[_canon] = (*CANON_FINE_KEYS.get(_canon, ()), _key)
NEAR_RESOLVE = 0.8  # a one-letter typo in a five-letter name still resolves
_NONE: frozenset[str] = frozenset()


def in_lexicon(latin: str) -> bool:
    key = fine_key(latin)
    return key in LEX_RAW or collapse(key) in LEX_COLLAPSED


@lru_cache(maxsize=200_000)
def resolve_latin(latin: str) -> tuple[str | None, float, frozenset[str]]:
    """(name, confidence, candidates) for a Latin token.

    A spelling that belongs to one lexicon name resolves to it. A spelling that several names
    share (Amar: Amer or Ammar; Hamed: Hamid or Hamad) resolves to none but keeps the candidates,
    so it can still be told apart from every other name. Otherwise a spelling one typo away from
    a lexicon name resolves with less confidence.
    """
    key = fine_key(latin)
    exact = LEX_RAW.get(key, _NONE)
    collapsed = LEX_COLLAPSED.get(collapse(key), _NONE)
    if len(exact) == 1 and (key != collapse(key) or len(collapsed) <= 1):
        return next(iter(exact)), 1.0, _NONE
    if not exact and len(collapsed) == 1:
        return next(iter(collapsed)), 1.0, _NONE
    if exact or collapsed:
        return None, 0.0, exact | collapsed
    scored = sorted(
        (
            (OSA.normalized_similarity(key, k), c)
            for k, c in _LEX_BY_COARSE.get(coarse_key(key), [])
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < NEAR_RESOLVE:
        return None, 0.0, _NONE
    best, canon = scored[0]
    rivals = frozenset(c for sim, c in scored if c != canon and best - sim < 0.1)
    if rivals:
        return None, 0.0, rivals | {canon}  # as close to a different name: do not guess
    return canon, best, _NONE


# --- parts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamePart:
    """One name of a full name: a given name, a compound (abd+rahman), a family name."""

    text: str  # as written (tokens joined by spaces)
    latin: str  # Latin form of the core name
    canon: str | None  # lexicon name of the core: "rahman" in Abd al-Rahman
    conf: float  # 1.0 exact lexicon spelling, less for a near spelling
    coarse: str  # index key
    prefix: str = ""  # "abd" | "abu" | ""
    suffix: str = ""  # "din" | ""
    article: bool = False  # written with al-/ال: a family name or nisba
    from_arabic: bool = False
    maybe: frozenset[str] = frozenset()  # candidate names of a spelling several names share
    identity: str | None = None  # whole name as a lexicon identity: "abd+rahman", "nur+din"


_ARTICLES = {"al", "el", "ul", "il", "ال"}
_CONNECTORS = {"bin", "ibn", "bint", "ben", "bn", "b", "binti", "بن", "ابن", "بنت"}
_ABD = ("abdul", "abdel", "abdal", "abdil", "abdol", "abdur", "abdar", "abder", "abdus",
        "abdas", "abdes", "abduz", "abdu", "abd")  # fmt: skip
_ABD_WORDS = frozenset(_ABD)
_ABU = {"abu", "abou", "abo", "abul", "ابو", "ابي"}
_DIN_WORDS = {"din", "deen", "dine", "الدين", "دين"}
_DIN_SUFFIX = re.compile(r"^(\w{2,}?)(?:[aeiu]d|[aeiu]l|[aeiu]l-?d)din[e]?$|^(\w{2,}?)eddine?$")
_ALLAH = {"allah", "alla", "ullah", "ulla", "lah", "la", "llah", "lla", "الله", "له", "لله"}


def _is_allah(core: str) -> bool:
    """Allah in Abd Allah / Abdullah / Abd al-Alaah, however the Latin vowels fall."""
    if core in _ALLAH:
        return True
    return not _IS_ARABIC.match(core) and collapse(fine_key(core)) in ("la", "ala", "ula")


def _assimilated_article(tok: str, nxt: str | None) -> bool:
    """ar-Rahman, as-Sayyid, ad-Din: the article written as the next word's first letter."""
    return (
        nxt is not None and len(tok) in (2, 3) and tok[0] in "aeu" and nxt.startswith(tok[1:])
        and tok[1] not in "aeioul"
    )  # fmt: skip


def _strip_article(tok: str) -> tuple[str, bool]:
    if _IS_ARABIC.match(tok):
        if tok.startswith("ال") and len(tok) >= 4 and tok not in _ALLAH:
            return tok[2:], True
        return tok, False
    for art in ("al", "el"):
        rest = tok[len(art) :]
        if not tok.startswith(art) or len(rest) < 3:
            continue
        # Aljubouri, ALISAWI, ALANI; but not Alaa, Alawi, Aliya (names that begin with "al")
        if len(rest) >= 5 or (len(rest) == 4 and rest[0] not in "aeiou") or (
                in_lexicon(rest)):  # fmt: skip
            return rest, True
    return tok, False


@lru_cache(maxsize=200_000)
def make_part(core: str, prefix: str = "", suffix: str = "", article: bool = False,
              text: str = "") -> NamePart:  # fmt: skip
    """A NamePart from the core token (Latin or Arabic script) of one name."""
    from_arabic = bool(_IS_ARABIC.match(core))
    maybe = _NONE
    if prefix == "abd" and _is_allah(core):
        canon, conf, latin = "allah", 1.0, "allah"
    elif from_arabic:
        canon = LEX_BY_ARABIC.get(core)
        conf = 1.0 if canon else 0.0
        latin = CANONICAL_SPELLING[canon] if canon else arabic_to_latin(core)
    else:
        canon, conf, maybe = resolve_latin(core)
        latin = core
    base = CANONICAL_SPELLING[canon] if canon else latin
    coarse = coarse_key(base)
    if prefix or suffix:
        coarse = f"{prefix}{coarse}{suffix}"
    identity = "+".join(x for x in (prefix, canon, suffix) if x) if canon else None
    return NamePart(
        text or core, latin, canon, conf, coarse, prefix, suffix, article, from_arabic, maybe,
        identity,
    )  # fmt: skip


def parse_tokens(tokens: list[str]) -> list[NamePart]:
    """Group tokens into name parts; see module docstring for the rules."""
    parts: list[NamePart] = []
    i, n = 0, len(tokens)
    article = False
    while i < n:
        tok, nxt = tokens[i], tokens[i + 1] if i + 1 < n else None
        i += 1
        if tok in _CONNECTORS:
            continue
        if nxt is not None and (tok in _ARTICLES or _assimilated_article(tok, nxt)):
            article = True
            continue
        if tok in _DIN_WORDS and parts and not parts[-1].prefix and not parts[-1].suffix:
            prev = parts.pop()
            core = prev.latin if not prev.from_arabic else prev.text
            parts.append(make_part(core, "", "din", prev.article, f"{prev.text} {tok}"))
            continue
        prefix, core = "", tok
        if (tok in _ABD_WORDS or tok == "عبد" or tok in _ABU) and nxt is not None:
            prefix = "abu" if tok in _ABU else "abd"
            if (nxt in _ARTICLES or _assimilated_article(nxt, tokens[i + 1] if i + 1 < n else None)
                    ) and i + 1 < n:  # fmt: skip
                i += 1
            core = tokens[i]
            i += 1
            tok = f"{tok} {core}"
        else:
            prefix, core = _joined_compound(tok)
        if prefix:
            if not _is_allah(core):
                core, _ = _strip_article(core)
            if not _is_allah(core) and not _IS_ARABIC.match(core):
                for art in ("ul", "al", "el", "ur", "ar", "er", "us", "as", "es"):
                    if core.startswith(art) and len(core) >= len(art) + 3 and (
                        art[1] == "l" or core[len(art)] == art[1]):  # fmt: skip
                        core = core[len(art) :]
                        break
            parts.append(make_part(core, prefix, "", False, tok))
            article = False
            continue
        core, attached, din = _plain_token(tok)
        if din:
            parts.append(make_part(din, "", "din", article, tok))
        else:
            parts.append(make_part(core, "", "", article or attached, tok))
        article = False
    return parts


# A list of a million names has far fewer distinct words: what a word alone decides is
# remembered.
@lru_cache(maxsize=200_000)
def _joined_compound(tok: str) -> tuple[str, str]:
    """("abd", core) or ("abu", core) for a compound written as one word (Abdulkarim,
    عبدالكريم, Abuomar); ("", tok) otherwise."""
    if tok.startswith("عبد") and len(tok) > 4:
        return "abd", tok[3:]
    if _IS_ARABIC.match(tok):
        return "", tok
    if tok.startswith("abd"):  # every spelling in _ABD starts so
        for p in _ABD:
            rest = tok[len(p) :]
            if tok.startswith(p) and (rest in _ALLAH or len(rest) >= 3):
                return "abd", rest
    if tok.startswith("abu") and len(tok) >= 6 and tok[3] not in "aeiou":
        return "abu", tok[3:]
    return "", tok


@lru_cache(maxsize=200_000)
def _plain_token(tok: str) -> tuple[str, bool, str]:
    """(core, article attached, core of a name written with ad-Din joined, or "")."""
    core, attached = _strip_article(tok)
    m = None if _IS_ARABIC.match(core) else _DIN_SUFFIX.match(core)
    return core, attached, (m.group(1) or m.group(2)) if m else ""


@lru_cache(maxsize=100_000)
def parse(name: str) -> tuple[NamePart, ...]:
    """All name parts of a full name, in written order. Raises ValueError for a non-name."""
    validate(name)
    parts = tuple(parse_tokens(tokenise(fold(name))))
    if not parts:
        raise ValueError("name contains no name parts")
    return parts
