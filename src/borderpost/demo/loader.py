"""`borderpost demo`: a fresh SQLite database with the Al-Qaim story in it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from borderpost.auth import service as auth
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM, Actor
from borderpost.config import DEMO_SECRET, Settings
from borderpost.db import Database
from borderpost.demo import cargo_story, crossing_story, ordinary, passenger_story
from borderpost.migrations.run import upgrade

# (username, role, country); the liaison is an official of the neighbouring state.
DEMO_USERS: list[tuple[str, Role, str | None]] = [
    ("admin", Role.ADMIN, None),
    ("supervisor", Role.SUPERVISOR, "IRQ"),
    ("immigration", Role.IMMIGRATION, "IRQ"),
    ("customs", Role.CUSTOMS, "IRQ"),
    ("security", Role.SECURITY, "IRQ"),
    ("analyst", Role.ANALYST, None),
    ("auditor", Role.AUDITOR, None),
    ("liaison", Role.LIAISON, "SYR"),
]


def demo_password(role: Role) -> str:
    # Not the username itself: the password policy refuses passwords that contain it.
    return f"{role.value[:3]}-demo-pass-2025"


def demo_settings(database: str) -> Settings:
    return Settings(
        database_url=f"sqlite:///{Path(database).resolve()}", secret_key=DEMO_SECRET, demo=True
    )


def load_demo(database: str, *, console: Console | None = None) -> list[tuple[str, str, str]]:
    path = Path(database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = demo_settings(database)
    db = Database(settings.database_url)
    upgrade(db.engine)
    actors = create_demo_users(db)
    say = console.print if console else (lambda _text: None)
    # The story in the order of scenario.md; each domain adds its chapters here.
    passenger_story.import_watchlist(db, actors, say)
    crossing_story.closure(db, actors, say)
    passenger_story.group_arrival(db, actors, say)
    passenger_story.handover(db, actors, say)
    passenger_story.closed_to_passengers(db, actors, say)
    crossing_story.road_to_reopening(db, actors, say)
    secret = settings.secret_key.encode()
    cargo_story.reopening_profile(db, actors, say)
    cargo_story.first_truck(db, actors, say, secret=secret)
    passenger_story.reopening_traffic(db, actors, say, console)
    cargo_story.fortnight(db, actors, say, secret=secret, console=console)
    # After the story, ordinary days up to the present: the demo is a working crossing today.
    ordinary.up_to_today(db, actors, say, secret=secret, console=console)
    db.dispose()
    return [(name, role.value, demo_password(role)) for name, role, _ in DEMO_USERS]


def create_demo_users(db: Database) -> dict[Role, Actor]:
    actors: dict[Role, Actor] = {}
    with db.transaction() as session:
        for name, role, country in DEMO_USERS:
            user = auth.create_user(
                session,
                username=name,
                password=demo_password(role),
                role=role,
                country=country,
                actor=SYSTEM,
            )
            actors[role] = auth.actor_of(user)
    return actors
