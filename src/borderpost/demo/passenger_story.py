"""The passengers' part of the story: the soldiers of December 2024, their handover, and the
passenger traffic of the first fortnight after the reopening. Names are synthetic.

Everything goes through the service functions, one transaction per batch or per day.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from borderpost.admission import service as admission
from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.screening import service as screening
from borderpost.traveller import groups, service
from borderpost.traveller.bulk import NewMovement, record_movements
from borderpost.traveller.mrz import build_td1, build_td3
from borderpost.traveller.rules import (
    Custody,
    Decision,
    Direction,
    GroupCategory,
    RefusalGround,
    TravelMode,
)

CODE = "IQ-QAIM"
WATCHLIST = Path(__file__).with_name("demo_watchlist.csv")
Say = Callable[[str], None]
SEED = 2024_12_07

GIVEN = (
    "Ahmad Ali Hasan Husain Omar Khalid Mahmoud Mustafa Yusuf Ibrahim Abdullah Salim Karim Hamid "
    "Majid Tariq Ziad Nasser Adnan Qasim Abbas Saad Walid Samir Bassam Nabil Imad Jamal Kamal "
    "Laith Osama Rami Sami Talal Yasir Zaid Anas Bilal Fadi Ghassan Hani Iyad Jalal Maher Munir "
    "Nidal Rabih Shadi Usama Wael Yazan Zuhair Mohammed Muhammad Hussein Jasim Kadhim Raad"
).split()
GIVEN_F = "Fatima Zainab Maryam Aisha Huda Noor Sara Rana Layla Amal Hind Iman Asma Ghada Hanan Lubna Maha Nada Rasha Suad".split()  # noqa: E501
FAMILY_IRQ = (
    "al-Ani al-Rawi al-Obaidi al-Dulaimi al-Jubouri al-Shammari al-Zubaidi al-Janabi al-Khafaji "
    "al-Hashimi al-Samarrai al-Tamimi al-Kubaisi al-Azzawi al-Hadithi al-Qaisi al-Fahdawi "
    "al-Nuaimi al-Saadi al-Lami al-Kaabi al-Asadi al-Rubaie al-Karbouli al-Mahalawi al-Alwani"
).split()
FAMILY_SYR = (
    "al-Halabi al-Shami al-Dairi al-Raqqawi al-Homsi al-Idlibi al-Hamawi al-Mayadini al-Bukamali "
    "al-Ahmad al-Hasan al-Khalil al-Ibrahim al-Mohammed al-Hussein al-Abdullah al-Saleh al-Yousef "
    "al-Omar al-Ali al-Ismail al-Mustafa al-Jasem al-Hamad al-Issa al-Khalaf al-Sheikh al-Awad"
).split()
RANKS = [
    ("Private", 55),
    ("Private First Class", 12),
    ("Corporal", 10),
    ("Sergeant", 9),
    ("Staff Sergeant", 4),
    ("Warrant Officer", 3),
    ("Lieutenant", 3),
    ("First Lieutenant", 2),
    ("Captain", 1),
    ("Major", 0.6),
    ("Lieutenant Colonel", 0.3),
    ("Colonel", 0.1),
]
UNITS = [
    "17th Division, 93rd Brigade",
    "17th Division, 137th Mechanised Brigade",
    "17th Division, 113th Brigade",
    "Border Guards, 4th Regiment",
    "Air Defence, Deir ez-Zor battalion",
    "Military Intelligence, Albu Kamal branch",
    "Republican Guard, 104th Brigade detachment",
    "Military Police, Deir ez-Zor",
]
VEHICLES = ["T-62 tank", "T-72 tank", "BMP-1 infantry fighting vehicle", "Ural-4320 truck",
            "Toyota Hilux pick-up", "ZU-23-2 on a pick-up", "UAZ-469 jeep"]  # fmt: skip
WEAPONS = ["AK-47 rifle", "AKM rifle", "PKM machine gun", "RPG-7 launcher", "Makarov pistol",
           "SVD Dragunov rifle"]  # fmt: skip
# (date, persons, batches): about 1,500 on the first day and more over the next two.
ARRIVAL_DAYS = [("2024-12-07", 1512, 6), ("2024-12-08", 318, 2), ("2024-12-09", 207, 1)]
HANDOVER_AT = "2024-12-19"
HANDED_OVER = 1905
HANDOVER_CONVOYS = 4


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def import_watchlist(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """A small synthetic national watchlist, so that some travellers and soldiers are referred."""
    with db.transaction() as s:
        watchlist = screening.create_watchlist(
            s, name="IRQ-national-demo", source="synthetic demo list", actor=actors[Role.ADMIN]
        )
        result = screening.import_watchlist(
            s,
            watchlist=watchlist,
            data=WATCHLIST.read_bytes(),
            fmt="csv",
            filename=WATCHLIST.name,
            actor=actors[Role.ADMIN],
        )
    say(f"watchlist IRQ-national-demo: {result.imported} listed people")


def _listed() -> list[tuple[str, str, str, str]]:
    """(given names, surname, birth date, nationality) of each listed person."""
    rows = WATCHLIST.read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for row in rows:
        _, name, _, born, nationality = row.split(",")
        parts = name.split()
        out.append((" ".join(parts[:-1]), parts[-1], born, nationality))
    return out


def weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    """One value of `table` ((value, weight) pairs) drawn by weight."""
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _soldier(rng: random.Random, unit: str) -> groups.NewPerson:
    rank = weighted(rng, RANKS)
    wounded = rng.random() < 0.04
    items = [{"kind": "weapon", "description": rng.choice(WEAPONS), "quantity": 1}]
    if rng.random() < 0.5:
        items.append(
            {"kind": "ammunition", "description": "magazines", "quantity": rng.randint(2, 6)}
        )
    if rng.random() < 0.025:
        items.append({"kind": "vehicle", "description": rng.choice(VEHICLES), "quantity": 1})
    return groups.NewPerson(
        surname=rng.choice(FAMILY_SYR),
        given_names=f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}",
        birth_date=date(rng.randint(1975, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        nationality="SYR",
        rank=rank,
        unit=unit,
        wounded=wounded,
        custody_status=Custody.IN_HOSPITAL if wounded else Custody.IN_CUSTODY,
        items_surrendered=items,
    )


def group_arrival(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """2024-12-07 to 09: Syrian soldiers cross and surrender; registered in batches, screened."""
    security = actors[Role.SECURITY]
    rng = random.Random(SEED)
    listed = [p for p in _listed() if p[3] == "SYR"]
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        group = groups.create_group_arrival(
            s,
            crossing=crossing,
            category=GroupCategory.SURRENDERING_MILITARY,
            description="Syrian government soldiers crossing at Al-Qaim and surrendering to Iraqi "
            "forces after the withdrawal from Albu Kamal; weapons and vehicles handed over.",
            arrived_at=at("2024-12-07T07:30"),
            actor=security,
            at=at("2024-12-07T08:00"),
        )
        group_id = group.id
    total = officer = 0
    for day, persons, batches in ARRIVAL_DAYS:
        size = -(-persons // batches)
        for n in range(batches):
            count = min(size, persons - n * size)
            unit = UNITS[(n + total) % len(UNITS)]
            batch = [_soldier(rng, unit) for _ in range(count)]
            if n == 0:  # an officer in the day's first batch is on the watchlist
                given, surname, born, _ = listed[officer % len(listed)]
                officer += 1
                batch[0] = groups.NewPerson(
                    surname=surname,
                    given_names=given,
                    birth_date=date.fromisoformat(born),
                    nationality="SYR",
                    rank="Lieutenant Colonel",
                    unit="Military Intelligence, Albu Kamal branch",
                    items_surrendered=[
                        {"kind": "weapon", "description": "Makarov pistol", "quantity": 1}
                    ],
                )
            with db.transaction() as s:
                group = groups.get_group_arrival(s, group_id)
                groups.register_persons(
                    s,
                    group=group,
                    persons=batch,
                    actor=security,
                    at=at(f"{day}T{9 + 2 * n:02d}:00"),
                )
            total += count
        say(f"{day} group arrival: {total:,} soldiers registered and screened so far")
    # Five days on, most of the wounded are back from hospital, in custody.
    with db.transaction() as s:
        group = groups.get_group_arrival(s, group_id)
        patients = [p.id for p in groups.list_persons(s, group=group, limit=10_000,
                                                      custody=Custody.IN_HOSPITAL)]  # fmt: skip
        back = patients[: len(patients) * 2 // 3]
        if back:
            groups.change_custody(
                s,
                group=group,
                person_ids=back,
                status=Custody.IN_CUSTODY,
                changed_at=at("2024-12-12T10:00"),
                note="Discharged from Al-Qaim hospital.",
                actor=security,
            )


def handover(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """2024-12-19: 1,905 handed back to the neighbouring state, person by person, in convoys."""
    security = actors[Role.SECURITY]
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        group = groups.list_group_arrivals(s, crossing=crossing)[0]
        group_id = group.id
        held = groups.list_persons(s, group=group, limit=10_000, custody=Custody.IN_CUSTODY)
        # Officers wanted for questioning and watchlist matches stay; the others go back.
        chosen = [p.id for p in held if p.screening_status == "clear"][:HANDED_OVER]
    size = -(-len(chosen) // HANDOVER_CONVOYS)
    for n in range(HANDOVER_CONVOYS):
        with db.transaction() as s:
            group = groups.get_group_arrival(s, group_id)
            groups.hand_over(
                s,
                group=group,
                person_ids=chosen[n * size : (n + 1) * size],
                to="Syrian authorities at Albu Kamal, in the presence of the ICRC",
                handed_over_at=at(f"{HANDOVER_AT}T{8 + 2 * n:02d}:00"),
                note=f"Convoy {n + 1} of {HANDOVER_CONVOYS}.",
                actor=security,
                at=at(f"{HANDOVER_AT}T{8 + 2 * n:02d}:30"),
            )
    with db.transaction() as s:
        counts = groups.counts(s, groups.get_group_arrival(s, group_id))
    say(
        f"{HANDOVER_AT} handover: {counts.handed_over:,} of {counts.total:,} handed back; "
        f"{counts.in_custody} in custody, {counts.in_hospital} in hospital "
        f"({'reconciled' if counts.reconciled else 'NOT reconciled'})"
    )


def closed_to_passengers(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """While closed, a traveller is turned away with 409 and nothing is recorded."""
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        try:
            service.record_movement(
                s,
                crossing=crossing,
                direction=Direction.EXIT,
                travel_mode=TravelMode.CAR,
                mrz=_passport(random.Random(1), "IRQ", "P00000001", date(2030, 1, 1)),
                actor=actors[Role.IMMIGRATION],
                at=at("2025-03-01T09:00"),
            )
        except DomainError as refused:
            say(f"2025-03-01 a passenger at the closed crossing: {refused.status} ({refused.slug})")
            s.rollback()


# --- the fortnight after the reopening ----------------------------------------------------------


@dataclass
class Person:
    nationality: str
    number: str
    surname: str
    given_names: str
    birth: date
    sex: str
    expiry: date
    td1: bool = False
    inside: bool = True  # in Iraq now
    moved_on: date | None = None


def _passport(rng: random.Random, nationality: str, number: str, expiry: date) -> str:
    family = FAMILY_IRQ if nationality == "IRQ" else FAMILY_SYR
    return build_td3(
        issuing_state=nationality,
        surname=rng.choice(family),
        given_names=f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}",
        document_number=number,
        nationality=nationality,
        birth_date=date(1980, 1, 1),
        sex="M",
        expiry_date=expiry,
    )


def mrz_of(p: Person) -> str:
    """The machine-readable zone of the person's document (TD1 card or TD3 passport)."""
    build = build_td1 if p.td1 else build_td3
    return build(
        issuing_state=p.nationality,
        surname=p.surname,
        given_names=p.given_names,
        document_number=p.number,
        nationality=p.nationality,
        birth_date=p.birth,
        sex=p.sex,
        expiry_date=p.expiry,
    )


def population(rng: random.Random) -> list[Person]:
    """The story's travellers, drawn from `rng`: 14,000 Iraqis and Syrians, then a few listed
    people (from index 14,000 on). The reopening fortnight and the ordinary days both use it."""
    people = []
    for n in range(14_000):
        nationality = "IRQ" if n % 7 < 3 else "SYR"
        female = rng.random() < 0.3
        family = FAMILY_IRQ if nationality == "IRQ" else FAMILY_SYR
        expiry = date(2025, rng.randint(1, 5), rng.randint(1, 28)) if rng.random() < 0.012 else (
            date(rng.randint(2026, 2034), rng.randint(1, 12), rng.randint(1, 28))
        )  # fmt: skip
        people.append(
            Person(
                nationality=nationality,
                number=f"{'A' if nationality == 'IRQ' else 'N'}{rng.randint(10**7, 10**8 - 1)}",
                surname=rng.choice(family),
                given_names=f"{rng.choice(GIVEN_F if female else GIVEN)} {rng.choice(GIVEN)} "
                f"{rng.choice(GIVEN)}",
                birth=date(rng.randint(1945, 2007), rng.randint(1, 12), rng.randint(1, 28)),
                sex="F" if female else "M",
                expiry=expiry,
                td1=nationality == "IRQ" and rng.random() < 0.15,
                inside=nationality == "IRQ",
            )
        )
    for given, surname, born, nationality in _listed()[::3]:  # a few listed people travel
        people.append(
            Person(
                nationality=nationality,
                number=f"W{rng.randint(10**7, 10**8 - 1)}",
                surname=surname,
                given_names=given,
                birth=date.fromisoformat(born),
                sex="M",
                expiry=date(2031, 1, 1),
                inside=nationality == "IRQ",
            )
        )
    return people


# Drivers cross with their trucks (cargo_story), not at the passenger booths.
MODES = [(TravelMode.CAR, 55), (TravelMode.BUS, 30), (TravelMode.FOOT, 15)]
DAYS = 14
WITHOUT_VISA = 0.02  # Syrians who come with no e-visa: refused `visa_required`


def issue_visas(db: Database, actors: dict[Role, Actor], say: Say, people: list[Person]) -> None:
    """Federal Iraq issues no visa at its crossings since March 2025: the Syrian travellers of
    the story hold e-visas issued before travel, imported as the ministry's CSV export."""
    rng = random.Random(SEED + 2)
    rows = [
        "kind,number,issuing_state,document_number,document_issuing_state,nationality,surname,"
        "given_names,birth_date,valid_from,valid_until,stay_days,entries"
    ]
    for n, p in enumerate(people):
        if p.nationality == "IRQ" or rng.random() < WITHOUT_VISA:
            continue
        rows.append(
            f"visa,EV{2025_000_000 + n},IRQ,{p.number},{p.nationality},{p.nationality},"
            f"{p.surname},{p.given_names},{p.birth.isoformat()},2025-06-01,2025-12-31,30,multiple"
        )
    with db.transaction() as s:
        result = admission.import_permits(
            s, data="\n".join(rows).encode(), actor=actors[Role.SUPERVISOR]
        )
    say(f"2025-06-13 e-visas of the Syrian travellers imported: {result.imported:,}")


def reopening_traffic(
    db: Database, actors: dict[Role, Actor], say: Say, console: Console | None = None
) -> None:
    """From 2025-06-14, 14 days of 1,000-1,500 movements: Iraqis leave and return, Syrians come
    and go; the watchlisted and the double entries are referred and resolved by a supervisor."""
    immigration, supervisor = actors[Role.IMMIGRATION], actors[Role.SUPERVISOR]
    rng = random.Random(SEED + 1)
    people = population(rng)
    issue_visas(db, actors, say, people)
    listed = people[14_000:]
    first = date(2025, 6, 14)
    totals = {d.value: 0 for d in Decision}
    with Progress(console=console, transient=True, disable=console is None) as progress:
        task = progress.add_task("passenger traffic", total=DAYS)
        for day_n in range(DAYS):
            day = first + timedelta(days=day_n)
            count = rng.randint(1000, 1500) if day_n else 1000
            start = datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)  # 06:00 at Al-Qaim
            stamps = sorted(rng.uniform(0, 14 * 3600) for _ in range(count))
            batch: list[tuple[Person, bool, NewMovement]] = []
            for k, second in enumerate(stamps):
                person = rng.choice(listed) if rng.random() < 0.004 else rng.choice(people)
                if person.moved_on == day and k % 50:  # one crossing a day, mostly
                    person = rng.choice(people)
                direction = Direction.EXIT if person.inside else Direction.ENTRY
                if rng.random() < 0.003:  # a missed exit record: the same direction again
                    direction = Direction.ENTRY if person.inside else Direction.EXIT
                movement = NewMovement(
                    direction=direction,
                    travel_mode=TravelMode(weighted(rng, MODES)),  # type: ignore[arg-type]
                    purpose=rng.choice([None, "family visit", "trade", "return home", "work"]),
                    mrz=mrz_of(person),
                    at=start + timedelta(seconds=second),
                )
                # Taken as admitted while the day is drawn; put back below if it was not.
                batch.append((person, person.inside, movement))
                person.inside, person.moved_on = direction == Direction.ENTRY, day
            with db.transaction() as s:
                crossing = crossings.get_crossing(s, CODE)
                recorded = record_movements(
                    s, crossing=crossing, movements=[m for _, _, m in batch], actor=immigration
                )
                referred: list[tuple[str, datetime, Person]] = []
                for (person, was_inside, _), movement in zip(batch, recorded, strict=True):
                    totals[movement.decision] += 1
                    if movement.decision != Decision.ADMITTED:
                        person.inside = was_inside
                    if movement.decision == Decision.REFERRED:
                        referred.append((movement.id, movement.recorded_at, person))
                for movement_id, when, person in referred:
                    if day_n == DAYS - 1 and when.hour >= 12:
                        continue  # the last afternoon's referrals are still open
                    refuse = person.number.startswith("W") and rng.random() < 0.5
                    resolved = service.resolve_movement(
                        s,
                        movement_id=movement_id,
                        decision=Decision.REFUSED if refuse else Decision.ADMITTED,
                        note="Identity confirmed against the list at secondary inspection."
                        if refuse
                        else "Secondary inspection: not the listed person / record corrected.",
                        refusal_ground=RefusalGround.H if refuse else None,
                        actor=supervisor,
                        at=when + timedelta(minutes=rng.randint(20, 90)),
                    )
                    totals[Decision.REFERRED.value] -= 1
                    totals[resolved.decision] += 1
                    if resolved.decision == Decision.ADMITTED:
                        person.inside = resolved.direction == Direction.ENTRY
            progress.advance(task)
    say(
        f"2025-06-14 + {DAYS} days: {sum(totals.values()):,} passenger movements "
        f"({totals['admitted']:,} admitted, {totals['referred']} referred and open, "
        f"{totals['refused']} refused)"
    )
