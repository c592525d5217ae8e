"""Generate the labelled screening set (seeded, deterministic).

    python bench/make_screening_set.py [--seed 20241207] [--out bench/data/screening]

Writes watchlist.csv (id,name,aliases,date_of_birth,nationality) and queries.csv
(id,name,birth_date,nationality,expected_id,kind). expected_id is empty for negatives.

Names are written the way documents differ, independently of the engine: every name is held in a
vocalised scholarly romanisation plus its Arabic spelling (with the hamza forms and taa marbuta that
real documents use), and each document renders it with its own randomly drawn habits (e or i for
kasra, o or u for damma, ou/oo for long u, ee for long i, doubled letters kept or not, dh/z/th for
dhal and zha, q/k/g for qaf, ayn dropped or written as an apostrophe, the article as al-/Al /el-/
attached/dropped, Abd al- compounds split or joined). Some names in the pools are deliberately ones
the engine's lexicon does not list.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

# romanisation: H=ḥ S=ṣ D=ḍ T=ṭ Z=ẓ '=ayn `=hamza; A I U long vowels; doubled letter = shadda.
GIVEN = """
muHammad محمد 30|aHmad أحمد 15|'alI علي 15|Hasan حسن 8|Husayn حسين 8|maHmUd محمود 6|'umar عمر 6
'uthmAn عثمان 2|khAlid خالد 6|khalIl خليل 3|SAliH صالح 4|sAlim سالم 3|sa'Id سعيد 3|sa'd سعد 2
sa'Ud سعود 1|ibrAhIm إبراهيم 5|ismA'Il إسماعيل 2|yUsuf يوسف 4|yUnus يونس 2|'abbAs عباس 4
ja'far جعفر 2|HAmid حامد 2|Hamad حمد 2|Hamza حمزة 2|Haydar حيدر 3|kAZim كاظم 4|karIm كريم 2
jAsim جاسم 4|qAsim قاسم 3|hAshim هاشم 2|hishAm هشام 2|faySal فيصل 2|falAH فلاح 1|fADil فاضل 2
'Adil عادل 2|'adnAn عدنان 2|'Amir عامر 2|'ammAr عمار 2|anwar أنور 1|iyAd إياد 2|bAsim باسم 2
bashIr بشير 1|dAwUd داود 1|'imAd عماد 2|fAris فارس 2|ghAzI غازي 2|Habib حبيب 1|haytham هيثم 2
HArith حارث 1|HAzim حازم 1|jamAl جمال 2|kamAl كمال 2|jawAd جواد 1|mahdI مهدي 2|mAjid ماجد 2
mAlik مالك 1|manSUr منصور 2|marwAn مروان 2|mAzin مازن 1|muHsin محسن 1|muSTafA مصطفى 4
nAZim ناظم 1|nAjI ناجي 1|nASir ناصر 2|naSr نصر 1|nizAr نزار 1|nUrI نوري 1|qays قيس 1
rAshid راشد 1|ra'd رعد 2|riyAD رياض 1|sabAH صباح 1|SAdiq صادق 1|sayf سيف 2|salmAn سلمان 2
sAmI سامي 1|shAkir شاكر 1|sulaymAn سليمان 1|Talib طالب 1|TAriq طارق 2|thAmir ثامر 1|walId وليد 2
yAsIn ياسين 1|yAsir ياسر 2|zayd زيد 1|ziyAd زياد 1|zuhayr زهير 1|shihAb شهاب 1|mundhir منذر 1
ghassAn غسان 1|qutayba قتيبة 1|sufyAn سفيان 1|'awwAd عواد 1|nawwAf نواف 1|mish'al مشعل 1
farHAn فرحان 1|'ajIl عجيل 1|turkI تركي 1|rA`id رائد 1|dhiyAb ذياب 1|'ubayd عبيد 1
"""
THEOPHORIC = """
raHmAn الرحمن 6|raHIm الرحيم 1|karIm الكريم 2|'azIz العزيز 2|qAdir القادر 2|jabbAr الجبار 1
wahhAb الوهاب 1|razzAq الرزاق 1|majId المجيد 1|laTIf اللطيف 1|salAm السلام 1|sattAr الستار 2
ghanI الغني 1|hAdI الهادي 1|allAh الله 6|ilAh الإله 1|amIr الأمير 1|qahhAr القهار 1
"""
FAMILY = """
jubUrI الجبوري 5|dulaymI الدليمي 5|tikrItI التكريتي 2|'ubaydI العبيدي 3|shammarI الشمري 3
zubaydI الزبيدي 2|janAbI الجنابي 2|'azzAwI العزاوي 2|tamImI التميمي 2|khafAjI الخفاجي 1
rubay'I الربيعي 2|hAshimI الهاشمي 1|mUsawI الموسوي 2|Hakim الحكيم 1|anbArI الأنباري 1
baghdAdI البغدادي 1|mawSilI الموصلي 1|'AnI العاني 2|rAwI الراوي 2|HadIthI الحديثي 1|qaysI القيسي 1
kubaysI الكبيسي 1|karbUlI الكربولي 1|mashhadAnI المشهداني 1|sa'dI السعدي 1|sAmarrA`I السامرائي 1
fahdAwI الفهداوي 1|'IsAwI العيساوي 1|bayAtI البياتي 1|jumaylI الجميلي 1|Halbusi الحلبوسي 1
nu'aymI النعيمي 1|shaykhlI الشيخلي 1|Harbi الحربي 1|hamdAnI الحمداني 1|Halabi الحلبي 1
HimSI الحمصي 1|dayrI الديري 1|'ukaydI العكيدي 1|sab'AwI السبعاوي 1|luhaybI اللهيبي 1
hItI الهيتي 1|mahallAwI المحلاوي 1|zawba'I الزوبعي 1|ghAnimI الغانمي 1|kurdI الكردي 1
"""
LOOKALIKES = [
    ("Hasan", "Husayn"),
    ("khAlid", "khalIl"),
    ("SAliH", "sAlim"),
    ("muHammad", "maHmUd"),
    ("Hamad", "HAmid"),
    ("sa'd", "sa'Ud"),
    ("jamAl", "kamAl"),
    ("karIm", "kAZim"),
    ("jAsim", "qAsim"),
    ("hAshim", "hishAm"),
    ("yAsIn", "yAsir"),
    ("zayd", "ziyAd"),
    ("nASir", "naSr"),
    ("'Amir", "'ammAr"),
    ("fAris", "faySal"),
    ("sa'd", "sa'Id"),
]
COMMON = ["muHammad", "aHmad", "'alI", "Hasan", "Husayn", "maHmUd", "ibrAhIm"]
NATIONALITIES = ["IRQ"] * 12 + ["SYR"] * 6 + ["JOR", "SAU", "TUR", "IRN"]


@dataclass(frozen=True)
class Name:
    rom: str  # romanisation
    arabic: str
    weight: int
    prefix: str = ""  # "abd" for theophoric compounds


def _pool(text: str, prefix: str = "") -> list[Name]:
    out = []
    for item in text.replace("\n", "|").split("|"):
        if not item.strip():
            continue
        rom, arabic, weight = item.split()
        out.append(Name(rom, arabic, int(weight), prefix))
    return out


GIVEN_POOL = _pool(GIVEN) + _pool(THEOPHORIC, "abd")
FAMILY_POOL = _pool(FAMILY)
BY_ROM = {n.rom: n for n in GIVEN_POOL if not n.prefix}


class Style:
    """One document's transliteration habits, drawn at random."""

    def __init__(self, rng: random.Random) -> None:
        c = rng.choice
        self.rng = rng
        # how often a document writes fatha as e, kasra as e, damma as o (per letter)
        self.short = {"a": ("e", c([0, 0, 0.3])), "i": ("e", c([0, 0.5])), "u": ("o", c([0, 0.6]))}
        self.long = {
            "A": c(["a", "a", "a", "aa"]),
            "I": c(["i", "i", "ee", "ee"]),
            "U": c(["u", "ou", "oo", "u"]),
        }
        self.cons = {
            "H": "h",
            "S": "s",
            "D": c(["d", "dh"]),
            "T": "t",
            "Z": c(["z", "dh", "th", "d"]),
            "dh": c(["dh", "z", "th", "d"]),
            "th": c(["th", "th", "t", "s"]),
            "q": c("qqqkg"),
            "j": c(["j"] * 8 + ["g", "dj"]),
            "kh": c(["kh"] * 9 + ["h"]),
            "'": c(["", "", "", "'"]),
            "`": c(["", "", "'", "e"]),
            "sh": c(["sh"] * 9 + ["ch"]),
            "gh": c(["gh"] * 4 + ["g"]),
        }
        self.ay = c(["ay", "ai", "ei", "ey"])
        self.aw = c(["aw", "ou", "ow", "aw"])
        self.double = rng.random() < 0.6
        self.final_a = c(["a", "a", "ah", "e"])
        self.article = c(["al-", "al-", "Al ", "Al-", "El-", "al", "", "al "])
        self.abd = c(
            ["Abdul ", "Abdul", "Abd al-", "Abdel ", "Abdel", "Abd Al ", "Abdal", "Abd-ul-"]
        )
        self.assimilate = rng.random() < 0.25  # abd ar-Rahman, Abdurrahman
        self.case = c(["title"] * 6 + ["upper"])

    def render(self, rom: str) -> str:
        out, i, n = [], 0, len(rom)
        while i < n:
            two = rom[i : i + 2]
            if two in ("ay", "aw") and (i + 2 == n or rom[i + 2] not in "aiuAIU"):
                out.append(self.ay if two == "ay" else self.aw)
                i += 2
                continue
            if two in ("dh", "th", "kh", "sh", "gh"):
                out.append(self.cons[two])
                i += 2
                continue
            ch = rom[i]
            if i + 1 < n and rom[i + 1] == ch and ch not in "aiu":
                letter = self.cons.get(ch, ch.lower())
                out.append(letter * 2 if self.double else letter)
                i += 2
                continue
            if ch in self.short:
                alt, rate = self.short[ch]
                if ch == "a" and i == n - 1:
                    out.append(self.final_a)
                else:
                    out.append(alt if i > 1 and self.rng.random() < rate else ch)
            elif ch in self.long:
                out.append(self.long[ch] if not (ch == "I" and i == n - 1) else "i")
            else:
                out.append(self.cons.get(ch, ch.lower()))
            i += 1
        word = "".join(out).strip("'")
        return word[:1].upper() + word[1:]

    def part(self, name: Name, family: bool = False) -> str:
        if name.prefix == "abd":
            core = self.render(name.rom)
            sun = core[:1].lower() in "tdrzsnl" and core[:1].lower() != "l"
            if self.assimilate and sun:
                return f"Abd{'u' if self.double else ' a'}{core[0].lower()}-{core}"
            glue = self.abd
            return glue + (core.lower() if glue[-1].isalpha() else core)
        word = self.render(name.rom)
        if not family:
            return word
        art = self.article
        return art + (word.lower() if art.endswith("l") else word)

    def finish(self, text: str) -> str:
        return text.upper() if self.case == "upper" else text


@dataclass
class Person:
    pid: str
    parts: list[Name]  # given, father, grandfather[, family]
    has_family: bool
    birth: str | None
    nationality: str | None

    @property
    def identity(self) -> tuple[str, ...]:
        return tuple(p.prefix + p.rom for p in self.parts)


def latin_name(p: list[Name], has_family: bool, style: Style) -> str:
    words = [style.part(n) for n in (p[:-1] if has_family else p)]
    if has_family:
        words.append(style.part(p[-1], family=True))
    return style.finish(" ".join(words))


def arabic_name(p: list[Name], has_family: bool, rng: random.Random) -> str:
    words = []
    for n in p:
        if n.prefix == "abd":
            words.append(("عبد" if rng.random() < 0.4 else "عبد ") + n.arabic)
        else:
            words.append(n.arabic)
    if has_family and rng.random() < 0.1:
        words[-1] = words[-1].removeprefix("ال")
    return " ".join(words)


def typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    op = rng.choice(["sub", "del", "ins", "swap"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    letter = letter.upper() if w.isupper() else letter
    if op == "sub":
        w = w[:k] + letter + w[k + 1 :]
    elif op == "del":
        w = w[:k] + w[k + 1 :]
    elif op == "ins":
        w = w[:k] + letter + w[k:]
    else:
        w = w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :]
    words[i] = w
    return " ".join(words)


def pick(pool: list[Name], rng: random.Random) -> Name:
    return rng.choices(pool, weights=[n.weight for n in pool])[0]


def random_birth(rng: random.Random) -> str:
    y, m, d = rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)
    return f"{y:04d}-{m:02d}-{d:02d}"


def make_person(pid: str, rng: random.Random) -> Person:
    has_family = rng.random() < 0.85
    parts = [pick(GIVEN_POOL, rng) for _ in range(3)]
    if has_family:
        parts.append(pick(FAMILY_POOL, rng))
    r = rng.random()
    birth = random_birth(rng) if r < 0.75 else random_birth(rng)[:4] if r < 0.95 else None
    nat = rng.choice(NATIONALITIES) if rng.random() < 0.9 else None
    return Person(pid, parts, has_family, birth, nat)


def person_names(p: Person, rng: random.Random) -> tuple[str, list[str]]:
    """Primary name and aliases as a list would hold them."""
    primary = latin_name(p.parts, p.has_family, Style(rng))
    aliases = []
    if rng.random() < 0.7:
        aliases.append(arabic_name(p.parts, p.has_family, rng))
    for _ in range(rng.choice([0, 1, 1, 2])):
        alias = latin_name(p.parts, p.has_family, Style(rng))
        if alias != primary and alias not in aliases:
            aliases.append(alias)
    return primary, aliases


def dob_for_query(p: Person, rng: random.Random, negative: bool) -> str:
    if rng.random() >= 0.6:
        return ""
    if negative or p.birth is None:
        return random_birth(rng)
    return p.birth if len(p.birth) == 10 else f"{p.birth}-{rng.randint(1, 12):02d}-15"


def nat_for_query(p: Person, rng: random.Random, negative: bool) -> str:
    if rng.random() >= 0.6:
        return ""
    if negative or p.nationality is None:
        return rng.choice(NATIONALITIES)
    return p.nationality


def positive(p: Person, kind: str, rng: random.Random) -> str:
    style = Style(rng)
    parts, fam = p.parts, p.has_family
    if kind == "translit":
        return latin_name(parts, fam, style)
    if kind == "arabic":
        keep = parts if rng.random() < 0.7 or not fam else [*parts[:2], parts[-1]]
        return arabic_name(keep, fam, rng)
    if kind == "surname_first":
        # MRZ: FAMILY<<GIVEN<FATHER<GRANDFATHER, article joined, the caller replaces '<' by ' '
        style.case, style.article, style.abd = "upper", rng.choice(["al", "", "al-"]), "Abdul"
        given = [style.part(n) for n in (parts[:-1] if fam else parts)]
        given = given[: rng.choice([2, 3])]
        family = [style.part(parts[-1], family=True)] if fam else []
        return style.finish(" ".join(family + given)).replace("-", "")
    if kind == "dropped":
        if fam:
            keep = [parts[0], parts[-1]] if rng.random() < 0.4 else [*parts[:2], parts[-1]]
            if rng.random() < 0.5:
                style.article = ""  # "al" dropped as well
        else:
            keep = parts[:2]
        return latin_name(keep, fam, style)
    if kind == "typo":
        return typo(latin_name(parts, fam, style), rng)
    raise ValueError(kind)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20241207)
    ap.add_argument("--people", type=int, default=1200)
    ap.add_argument("--queries", type=int, default=1500)
    ap.add_argument("--out", default=str(Path(__file__).parent / "data" / "screening"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    people: list[Person] = []
    seen: set[tuple[str, ...]] = set()
    while len(people) < args.people:
        p = make_person(f"W{len(people) + 1:05d}", rng)
        if p.identity[:3] not in seen:  # no two listed people share given+father+grandfather
            seen.add(p.identity[:3])
            people.append(p)
    by_gf = {p.identity[:2] for p in people}

    def listed_like(parts: list[Name], has_family: bool) -> bool:
        ident = tuple(n.prefix + n.rom for n in parts)
        return any(
            q.identity[:2] == ident[:2]
            and (q.identity[2] == ident[2])
            and (not q.has_family or not has_family or q.identity[3] == ident[3])
            for q in people
            if q.identity[:2] == ident[:2]
        )

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "watchlist.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "aliases", "date_of_birth", "nationality"])
        for p in people:
            primary, aliases = person_names(p, rng)
            w.writerow([p.pid, primary, ";".join(aliases), p.birth or "", p.nationality or ""])

    rows: list[list[str]] = []
    pos_kinds = ["translit", "arabic", "surname_first", "dropped", "typo"]
    neg_kinds = ["family", "given", "lookalike", "common", "unlisted"]
    lookalike = {a: b for a, b in LOOKALIKES} | {b: a for a, b in LOOKALIKES}
    while len(rows) < args.queries:
        qid = f"Q{len(rows) + 1:05d}"
        p = rng.choice(people)
        if len(rows) % 2 == 0:
            kind = rng.choice(pos_kinds)
            rows.append(
                [
                    qid,
                    positive(p, kind, rng),
                    dob_for_query(p, rng, False),
                    nat_for_query(p, rng, False),
                    p.pid,
                    f"pos:{kind}",
                ]
            )
            continue
        kind = rng.choice(neg_kinds)
        parts, fam = list(p.parts), p.has_family
        if kind == "family":  # same given, father, grandfather; another family name
            if not fam:
                continue
            parts[-1] = pick([f for f in FAMILY_POOL if f != parts[-1]], rng)
        elif kind == "given":  # a brother: same father, grandfather and family
            parts[0] = pick([g for g in GIVEN_POOL if g != parts[0]], rng)
        elif kind == "lookalike":  # one name replaced by its look-alike
            slots = [i for i in range(3) if not parts[i].prefix and parts[i].rom in lookalike]
            if not slots:
                continue
            i = rng.choice(slots)
            parts[i] = BY_ROM[lookalike[parts[i].rom]]
        elif kind == "common":  # only very common names
            parts = [BY_ROM[rng.choice(COMMON)] for _ in range(rng.choice([1, 2]))]
            fam = False
            if len(parts) == 2 and tuple(n.rom for n in parts) in by_gf:
                continue
        else:  # a person who is not listed at all
            q = make_person("", rng)
            parts, fam = q.parts, q.has_family
        if kind != "common" and listed_like(parts, fam):
            continue
        name = (
            latin_name(parts, fam, Style(rng))
            if rng.random() < 0.8
            else arabic_name(parts, fam, rng)
        )
        rows.append(
            [qid, name, dob_for_query(p, rng, True), nat_for_query(p, rng, True), "", f"neg:{kind}"]
        )
    with open(out / "queries.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "birth_date", "nationality", "expected_id", "kind"])
        w.writerows(rows)
    print(f"{len(people)} listed people, {len(rows)} queries -> {out}")


if __name__ == "__main__":
    main()
