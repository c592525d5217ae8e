"""A second labelled screening set, written from names as people carry them, not from the engine.

    python bench/make_unseen_set.py [--seed 20261201] [--out bench/data/screening-unseen]

Every listed person is a structured Arabic name: ism (given name, or an Abd al-X compound),
nasab (father, often grandfather; sometimes written with bin/ibn/bint), a family name that is a
nisba or tribe with the article (al-Jubouri) or a plain family name, and for some men a kunya
(Abu Omar) as an alias. The Latin spellings come from hand-collected real spellings per name
(bench/names_lexicon.py), the article and compound habits from how Iraqi, Syrian, Gulf and
Maghrebi documents and the UN/OFAC lists write them. Arabic script is written with the usual
orthographic drift (hamza seats dropped, ta marbuta as ha, alif maqsura as ya, the Abd compound
joined or split, a few vowel marks, tatweel).

Queries are split by listed person into a `dev` part (used to choose the threshold and to develop)
and a `heldout` part (figures reported on it only). Positives: another transliteration, Arabic
script, MRZ order (surname first, upper case, article joined), middle names dropped, one typo,
bin/ibn connectors and Abd/kunya forms, and a mix of two. Negatives are hard: the listed
person's name with one whole name replaced by another real name (given, father or family),
common names (Mohammed Ali Hussein), and unlisted people. A negative is checked to be
incompatible with every listed person (its names in order are not a part of any listed name).
Facts: queries carry birth date, sex and nationality as an MRZ does (about two in three); the
list has full dates, years only or none, nationality mostly, sex for half; a few list entries
are a year off, and a few travellers hold another nationality than the list says.
"""

from __future__ import annotations

import argparse
import csv
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

try:  # run as a script (python bench/...) or as a module (bench.make_unseen_set)
    from names_lexicon import ABD, ARTICLE_SUN, FAMILY, FEMALE, MALE, NATIONALITIES
except ImportError:  # pragma: no cover
    from bench.names_lexicon import ABD, ARTICLE_SUN, FAMILY, FEMALE, MALE, NATIONALITIES

HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0652", "\u0651"]


@dataclass
class Person:
    pid: str
    sex: str
    keys: list[str]  # given, father, [grandfather], [family]; family keys start with "fam:"
    birth: date
    nationality: str
    kunya: str | None = None
    aliases: list[str] = field(default_factory=list)
    list_dob: str = ""
    list_nat: str = ""
    list_sex: str = ""
    travel_nat: str = ""


def _confusable() -> dict[str, set[str]]:
    """Keys sharing a Latin spelling, or an Abd compound and its bare name, never swapped."""
    spell: dict[str, set[str]] = {}
    for table in (MALE, FEMALE):
        for k, (_, lat) in table.items():
            spell[k] = {s.lower().replace("'", "") for s in lat}
    for k, (_, lat, _sun) in ABD.items():
        spell[k] = {s.lower() for s in lat}
    out: dict[str, set[str]] = {k: {k} for k in spell}
    for a in spell:
        for b in spell:
            if a != b and spell[a] & spell[b]:
                out[a].add(b)
    return out


CONFUSABLE = _confusable()


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.male_keys = list(MALE) + list(ABD)
        self.male_weights = [6.0 if k in COMMON else 1.0 for k in MALE] + [0.8] * len(ABD)
        self.female_keys = list(FEMALE)
        self.family_keys = ["fam:" + k for k in FAMILY]

    # --- choosing names -------------------------------------------------------------------
    def male(self) -> str:
        return self.r.choices(self.male_keys, self.male_weights)[0]

    def given(self, sex: str) -> str:
        return self.male() if sex == "M" else self.r.choice(self.female_keys)

    def person(self, pid: str) -> Person:
        r = self.r
        sex = "F" if r.random() < 0.15 else "M"
        keys = [self.given(sex), self.male()]
        if r.random() < 0.75:
            keys.append(self.male())
        if r.random() < 0.82:
            keys.append(r.choice(self.family_keys))
        birth = date(1950, 1, 1) + timedelta(days=r.randrange(0, 55 * 365))
        p = Person(
            pid, sex, keys, birth, r.choices(NATIONALITIES, [8, 6, 2, 2, 1, 1, 1, 1, 1, 1])[0]
        )
        if sex == "M" and r.random() < 0.12:
            p.kunya = self.male()
        u = r.random()
        p.list_dob = p.birth.isoformat() if u < 0.55 else str(p.birth.year) if u < 0.85 else ""
        if p.list_dob and r.random() < 0.03:  # the list's date is approximate and a year off
            p.list_dob = str(p.birth.year + r.choice((-1, 1)))
        p.list_nat = p.nationality if r.random() < 0.75 else ""
        p.list_sex = sex if r.random() < 0.5 else ""
        p.travel_nat = p.nationality if r.random() < 0.92 else r.choice(NATIONALITIES)
        return p

    # --- Latin rendering -----------------------------------------------------------------
    def latin_token(self, key: str, habit: dict[str, object]) -> str:
        r = self.r
        if key.startswith("fam:"):
            _ar, spellings, article = FAMILY[key[4:]]
            s = self._pick(spellings)
            if not article:
                return s
            style = habit["article"]
            if style == "sun" and s[0].lower() in ARTICLE_SUN:
                art = ARTICLE_SUN[s[0].lower()]
                if s.lower().startswith("sh"):
                    art = "ash"
                return f"{art}-{s}" if r.random() < 0.7 else f"{art.capitalize()} {s}"
            return {
                "al-": f"al-{s}",
                "Al-": f"Al-{s}",
                "Al ": f"Al {s}",
                "joined": f"Al{s.lower()}",
                "El-": f"El-{s}",
                "el ": f"el {s}",
                "none": s,
                "sun": f"al-{s}",
            }[str(style)]
        if key in ABD:
            _, spellings, sun = ABD[key]
            s = self._pick(spellings)
            if key == "abd_allah":
                return r.choice(["Abdullah", "Abdallah", "Abd Allah", "Abdulla", "Abdellah"])
            style = str(habit["abd"])
            if style == "sun" and sun:
                first = s[0].lower()
                art = ARTICLE_SUN.get(first, "al")
                return r.choice([f"Abd {art}-{s}", f"Abdu{first}{s.lower()}", f"Abd{art}-{s}"])
            return {
                "Abd al-": f"Abd al-{s}",
                "Abdul ": f"Abdul {s}",
                "Abdul": f"Abdul{s.lower()}",
                "Abdel ": f"Abdel {s}",
                "Abdel": f"Abdel{s.lower()}",
                "Abd-al-": f"Abd-al-{s}",
                "Abdal": f"Abdal{s.lower()}",
                "Abdul-": f"Abdul-{s}",
                "sun": f"Abd al-{s}",
            }[style]
        table = MALE if key in MALE else FEMALE
        return self._pick(table[key][1])

    def _pick(self, spellings: list[str]) -> str:
        # earlier spellings are the commoner ones
        return self.r.choices(spellings, [1.0 / (i + 1) for i in range(len(spellings))])[0]

    def habit(self) -> dict[str, object]:
        r = self.r
        return {
            "article": r.choice(
                ["al-", "Al-", "Al ", "joined", "El-", "el ", "none", "sun", "al-"]
            ),
            "abd": r.choice(
                [
                    "Abd al-",
                    "Abdul ",
                    "Abdul",
                    "Abdel ",
                    "Abdel",
                    "Abd-al-",
                    "Abdal",
                    "Abdul-",
                    "sun",
                ]
            ),
            "bin": r.random() < 0.15,
            "case": r.choices(["title", "upper", "lower"], [6, 3, 1])[0],
        }

    def latin(self, p: Person, keys: list[str], habit: dict[str, object] | None = None) -> str:
        habit = habit or self.habit()
        parts: list[str] = []
        for i, k in enumerate(keys):
            if i > 0 and habit["bin"] and not k.startswith("fam:"):
                conn = "bint" if i == 1 and p.sex == "F" else self.r.choice(["bin", "ibn", "bin"])
                parts.append(conn)
            parts.append(self.latin_token(k, habit))
        return self._case(" ".join(parts), str(habit["case"]))

    @staticmethod
    def _case(s: str, case: str) -> str:
        return s.upper() if case == "upper" else s.lower() if case == "lower" else s

    # --- Arabic rendering ----------------------------------------------------------------
    def arabic_token(self, key: str, drift: dict[str, bool]) -> str:
        if key.startswith("fam:"):
            s = FAMILY[key[4:]][0]
        elif key in ABD:
            s = "عبد" + (" " if drift["abd_space"] else "") + ABD[key][0]
            if key == "abd_allah" and not drift["abd_space"]:
                s = "عبدالله"
        else:
            s = (MALE.get(key) or FEMALE[key])[0]
        if drift["hamza"]:
            s = s.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
        if drift["ta"] and s.endswith("ة"):
            s = s[:-1] + "ه"
        if drift["ya"] and s.endswith("ى"):
            s = s[:-1] + "ي"
        if drift["marks"] and len(s) > 2:
            i = self.r.randrange(1, len(s))
            s = s[:i] + self.r.choice(HARAKAT) + s[i:]
        if drift["tatweel"] and len(s) > 3:
            s = s[:2] + "ـ" + s[2:]
        return s

    def arabic(self, p: Person, keys: list[str]) -> str:
        r = self.r
        drift = {
            "hamza": r.random() < 0.45,
            "ta": r.random() < 0.3,
            "ya": r.random() < 0.3,
            "marks": r.random() < 0.08,
            "tatweel": r.random() < 0.04,
            "abd_space": r.random() < 0.6,
        }
        bin_ = r.random() < 0.12
        parts: list[str] = []
        for i, k in enumerate(keys):
            if i > 0 and bin_ and not k.startswith("fam:"):
                parts.append("بنت" if i == 1 and p.sex == "F" else "بن")
            parts.append(self.arabic_token(k, drift))
        return " ".join(parts)

    # --- distortions ---------------------------------------------------------------------
    def typo(self, s: str) -> str:
        r = self.r
        words = s.split(" ")
        cand = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not cand:
            return s
        i = r.choice(cand)
        w = words[i]
        j = r.randrange(1, len(w) - 1)
        op = r.choice(["sub", "del", "ins", "swap", "double"])
        letters = "aeioustnrlhmkd"
        if op == "sub":
            w = w[:j] + r.choice(letters) + w[j + 1 :]
        elif op == "del":
            w = w[:j] + w[j + 1 :]
        elif op == "ins":
            w = w[:j] + r.choice(letters) + w[j:]
        elif op == "swap":
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
        return " ".join(words)

    def mrz_order(self, p: Person, keys: list[str]) -> str:
        """Surname first as an MRZ reads: SURNAME GIVEN NAMES, article joined or dropped."""
        fam = [k for k in keys if k.startswith("fam:")]
        rest = [k for k in keys if not k.startswith("fam:")]
        if fam:
            surname, given = fam, rest
        else:  # Iraqi practice: the grandfather's name stands as surname
            surname, given = rest[-1:], rest[:-1]
        habit = self.habit()
        habit["article"] = self.r.choice(["joined", "none", "joined"])
        habit["bin"] = False
        habit["case"] = "upper"
        return self.latin(p, surname + given, habit)


COMMON = {
    "muhammad",
    "ahmad",
    "ali",
    "hassan",
    "hussein",
    "mahmud",
    "ibrahim",
    "khalid",
    "omar",
    "abbas",
    "jasim",
    "kazim",
    "salih",
}


def compatible(q: list[str], p: list[str]) -> bool:
    """True when one name, in order, is a part of the other starting with the same given name
    (the same person with names dropped on one side): not a valid negative."""
    if not q or not p or q[0] != p[0]:
        return False

    def within(a: list[str], b: list[str]) -> bool:
        it = iter(b[1:])
        return all(any(k == x for x in it) for k in a[1:])

    return within(q, p) or within(p, q)


def build(
    seed: int, n_people: int, n_pos: int, n_neg: int
) -> tuple[list[Person], list[dict[str, str]]]:
    g = Gen(seed)
    r = g.r
    people = [g.person(f"U{i:05d}") for i in range(1, n_people + 1)]
    for p in people:
        habits = g.habit()
        p.aliases.append(g.latin(p, p.keys, habits))
        for _ in range(r.choices([0, 1, 2], [3, 5, 2])[0]):
            p.aliases.append(g.latin(p, p.keys))
        if r.random() < 0.65:
            p.aliases.append(g.arabic(p, p.keys))
        if p.kunya:
            fam = [k for k in p.keys if k.startswith("fam:")]
            kun = "Abu " + g.latin_token(p.kunya, g.habit())
            if fam:
                kun += " " + g.latin_token(fam[0], g.habit())
            p.aliases.append(kun)
        p.aliases = list(dict.fromkeys(p.aliases))

    def part_of(p: Person) -> str:
        return "dev" if int(p.pid[1:]) % 2 else "heldout"

    def facts(q: dict[str, str], birth: date | None, sex: str, nat: str) -> None:
        carry = r.random() < 0.65
        q["birth_date"] = birth.isoformat() if carry and birth else ""
        q["sex"] = sex if carry else ""
        q["nationality"] = nat if carry or r.random() < 0.2 else ""

    queries: list[dict[str, str]] = []
    pos_kinds = ["translit", "arabic", "mrz", "dropped", "typo", "nasab", "mixed"]
    chosen = r.sample(people, n_pos)
    for i, p in enumerate(chosen):
        kind = pos_kinds[i % len(pos_kinds)]
        keys = list(p.keys)
        if kind == "translit":
            name = g.latin(p, keys)
            for _ in range(5):  # a spelling not already on the list when the lexicon allows
                if name not in p.aliases:
                    break
                name = g.latin(p, keys)
        elif kind == "arabic":
            if len(keys) > 3 and r.random() < 0.3:
                keys = [k for k in keys if k != keys[2]]
            name = g.arabic(p, keys)
        elif kind == "mrz":
            name = g.mrz_order(p, keys)
        elif kind == "dropped":
            keys = _drop(r, keys)
            name = g.latin(p, keys)
        elif kind == "typo":
            name = g.typo(g.latin(p, keys))
        elif kind == "nasab":
            if p.kunya and r.random() < 0.5:
                fam = [k for k in p.keys if k.startswith("fam:")]
                name = "Abu " + g.latin_token(p.kunya, g.habit())
                if fam:
                    name += " " + g.latin_token(fam[0], g.habit())
            else:
                h = g.habit()
                h["bin"] = True
                name = g.latin(p, keys, h)
        else:
            keys = _drop(r, keys) if r.random() < 0.5 else keys
            name = g.mrz_order(p, keys) if r.random() < 0.5 else g.arabic(p, keys)
            if not any("\u0600" <= c <= "\u06ff" for c in name):
                name = g.typo(name)
        q = {"name": name, "expected_id": p.pid, "kind": f"pos:{kind}", "part": part_of(p)}
        facts(q, p.birth, p.sex, p.travel_nat)
        queries.append(q)

    neg_kinds = ["other_given", "other_family", "other_father", "common", "unlisted"]
    anchors = r.sample(people, len(people))
    by_first: dict[str, list[list[str]]] = {}
    for p in people:
        by_first.setdefault(p.keys[0], []).append(p.keys)
    made = 0
    attempts = 0
    while made < n_neg and attempts < n_neg * 50:
        attempts += 1
        p = anchors[attempts % len(anchors)]
        kind = neg_kinds[made % len(neg_kinds)]
        keys = list(p.keys)
        sex, nat, birth = p.sex, p.nationality, None
        if kind == "other_given":
            sex = "F" if r.random() < 0.3 else "M"
            keys[0] = _other(r, g.given(sex), keys[0])
        elif kind == "other_family":
            fam = [i for i, k in enumerate(keys) if k.startswith("fam:")]
            if fam:
                keys[fam[0]] = _other(r, r.choice(g.family_keys), keys[fam[0]])
            else:
                keys.append(r.choice(g.family_keys))
                keys[-2] = _other(r, g.male(), keys[-2])
        elif kind == "other_father":
            keys[1] = _other(r, g.male(), keys[1])
            if len(keys) > 3 and r.random() < 0.5:
                del keys[2]
        elif kind == "common":
            sex = "M"
            pool = sorted(COMMON)
            keys = [r.choice(pool) for _ in range(r.choice([2, 3, 3]))]
            if r.random() < 0.3:
                keys.append(r.choice(g.family_keys[:12]))
            nat = r.choice(NATIONALITIES)
        else:
            fresh = g.person("X")
            keys, sex, nat = fresh.keys, fresh.sex, fresh.nationality
        if kind not in ("other_given", "other_father"):
            nat = r.choice(NATIONALITIES) if kind != "other_family" or r.random() < 0.5 else nat
        if any(compatible(keys, other) for other in by_first.get(keys[0], [])):
            continue  # could be a listed person with names dropped: not a negative
        birth = date(1950, 1, 1) + timedelta(days=r.randrange(0, 55 * 365))
        who = Person("X", sex, keys, birth, nat)
        style = r.choices(["latin", "arabic", "mrz", "typo"], [5, 3, 2, 1])[0]
        if style == "arabic":
            name = g.arabic(who, keys)
        elif style == "mrz":
            name = g.mrz_order(who, keys)
        elif style == "typo":
            name = g.typo(g.latin(who, keys))
        else:
            name = g.latin(who, keys)
        q = {"name": name, "expected_id": "", "kind": f"neg:{kind}", "part": part_of(p)}
        facts(q, birth, sex, nat)
        queries.append(q)
        made += 1
    r.shuffle(queries)
    for i, q in enumerate(queries, 1):
        q["id"] = f"V{i:05d}"
    return people, queries


def _drop(r: random.Random, keys: list[str]) -> list[str]:
    """Drop middle names (grandfather and/or father) or the family name; keep at least two."""
    middle = list(range(1, len(keys) - (1 if keys[-1].startswith("fam:") else 0)))
    fam = keys[-1].startswith("fam:")
    if fam and len(keys) >= 3 and r.random() < 0.8:
        n = r.randint(1, len(middle)) if middle else 0
        drop = set(r.sample(middle, n)) if n else set()
        if len(keys) - len(drop) < 2:
            drop = set(list(drop)[:-1])
        return [k for i, k in enumerate(keys) if i not in drop]
    if fam and len(keys) >= 3:
        return keys[:-1]
    return keys[:-1] if len(keys) > 2 else keys


def _other(r: random.Random, candidate: str, old: str) -> str:
    """A real name other than `old` and not a spelling of it, from the candidate's own pool."""
    if candidate.startswith("fam:"):
        pool = ["fam:" + k for k in FAMILY]
    elif candidate in FEMALE:
        pool = list(FEMALE)
    else:
        pool = list(MALE) + list(ABD)
    while candidate == old or candidate in CONFUSABLE.get(old, set()):
        candidate = r.choice(pool)
    return candidate


def write(out: Path, people: list[Person], queries: list[dict[str, str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "watchlist.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "aliases", "date_of_birth", "nationality", "sex"])
        for p in people:
            w.writerow(
                [p.pid, p.aliases[0], ";".join(p.aliases[1:]), p.list_dob, p.list_nat, p.list_sex]
            )
    cols = ["id", "part", "name", "birth_date", "sex", "nationality", "expected_id", "kind"]
    with open(out / "queries.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols)
        w.writeheader()
        for q in queries:
            w.writerow({c: unicodedata.normalize("NFC", q[c]) for c in cols})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--positives", type=int, default=1400)
    ap.add_argument("--negatives", type=int, default=1400)
    ap.add_argument("--out", default=str(Path(__file__).parent / "data" / "screening-unseen"))
    args = ap.parse_args()
    people, queries = build(args.seed, args.people, args.positives, args.negatives)
    write(Path(args.out), people, queries)
    parts = {k: sum(1 for q in queries if q["part"] == k) for k in ("dev", "heldout")}
    print(f"{len(people)} listed people, {len(queries)} queries {parts} -> {args.out}")


if __name__ == "__main__":
    main()
