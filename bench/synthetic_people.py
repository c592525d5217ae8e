"""Synthetic listed people for benchmarks: Arabic-style names, several spellings each.

Deterministic for a seed. Names are built from pools of given names, fathers' names and family
names (nisbas), so the index sees the same skewed distribution a real regional list has: many
Mohammeds and Alis, few rare family names.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from borderpost.screening.matcher import WatchEntry

GIVEN = (
    "Mohammed Muhammad Ahmed Ali Hassan Hussein Omar Abdullah Abdulrahman Ibrahim Khalid Mahmoud "
    "Mustafa Yousef Salih Salim Karim Kadhim Jasim Hamid Majid Faisal Tariq Ziad Nasser Adnan "
    "Qasim Haidar Abbas Jafar Raad Saad Walid Samir Bassam Firas Nabil Imad Jamal Kamal Laith "
    "Muayad Nawfal Osama Rami Sami Talal Wissam Yasir Zaid Fatima Zainab Maryam Aisha Huda Noor "
    "Sara Rana Layla Amal Shaima Ruqaya Hind Iman Asma Dalal Ghada Hanan Khadija Lubna Maha Nada"
).split()
FAMILY = (
    "al-Jubouri al-Dulaimi al-Tikriti al-Ani al-Rawi al-Obaidi al-Shammari al-Zubaidi al-Janabi "
    "al-Khafaji al-Hashimi al-Samarrai al-Tamimi al-Karbalai al-Husseini al-Mosawi al-Kubaisi "
    "al-Azzawi al-Bayati al-Hadithi al-Qaisi al-Mashhadani al-Juburi al-Fahdawi al-Nuaimi "
    "al-Saadi al-Lami al-Musawi al-Kaabi al-Maliki al-Asadi al-Rubaie al-Baghdadi al-Mosuli "
    "al-Halabi al-Shami al-Dairi al-Raqqawi al-Homsi al-Idlibi al-Hamawi al-Sharabi al-Mayadini"
).split()
SPELLINGS = {
    "Mohammed": ["Muhammad", "Mohamad", "Mohammad"],
    "Hussein": ["Husayn", "Hossein", "Husain"],
    "Abdulrahman": ["Abdul Rahman", "Abd al-Rahman", "Abdelrahman"],
    "Yousef": ["Yusuf", "Youssef"],
    "Kadhim": ["Kazim", "Kathem"],
    "Jasim": ["Jassim", "Qasim"],
}
NATIONALITIES = ("IRQ", "SYR", "JOR", "SAU", "TUR", "IRN", "LBN", "EGY")


def _variant(name: str, rng: random.Random) -> str:
    options = SPELLINGS.get(name)
    return rng.choice(options) if options and rng.random() < 0.6 else name


def _family_variant(family: str, rng: random.Random) -> str:
    return family.replace("al-", rng.choice(["Al ", "al-", "Al-", "El ", "Al"]))


def synthetic_entries(
    aliases: int, *, seed: int = 7, list_name: str = "synthetic"
) -> Iterator[WatchEntry]:
    """Entries with about three aliases each, until `aliases` names have been produced."""
    rng = random.Random(seed)
    produced, n = 0, 0
    while produced < aliases:
        n += 1
        given, father, grandfather = rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(GIVEN)
        family = rng.choice(FAMILY)
        primary = f"{given} {father} {grandfather} {family}"
        count = min(rng.randint(2, 4), aliases - produced)
        others = tuple(
            f"{_variant(given, rng)} {_variant(father, rng)} {_family_variant(family, rng)}"
            for _ in range(count - 1)
        )
        produced += 1 + len(others)
        born = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield WatchEntry(f"S-{n}", list_name, primary, others, born, rng.choice(NATIONALITIES))


def synthetic_csv(aliases: int, *, seed: int = 7) -> bytes:
    """The same people as a watchlist CSV (the contract's columns), for import benchmarks."""
    lines = ["id,name,aliases,date_of_birth,nationality"]
    for e in synthetic_entries(aliases, seed=seed):
        lines.append(f"{e.entry_id},{e.name},{';'.join(e.aliases)},{e.birth_date},{e.nationality}")
    return ("\n".join(lines) + "\n").encode()
