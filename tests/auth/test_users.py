"""User administration at the service level: scope rules, the last administrator under
concurrency, an administrator kept to their state."""

from __future__ import annotations

import threading

import pytest

from borderpost.auth import scope, users
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM, actor_of
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.errors import DomainError
from tests.conftest import PASSWORD


def make_crossing(db: Database, code: str, country: str, neighbour: str) -> None:
    with db.transaction() as s:
        crossings.create_crossing(
            s, code=code, name=code, country=country, neighbour_country=neighbour,
            counterpart_name="c", timezone="Asia/Baghdad", actor=SYSTEM,
        )  # fmt: skip


def test_the_scope_rule():
    qaim = scope.CrossingRef("c1", "IQ-QAIM", "IRQ", "SYR")
    cases = [
        (Role.SUPERVISOR, "IRQ", None, True),
        (Role.SUPERVISOR, "SYR", None, False),
        (Role.SUPERVISOR, None, None, False),
        (Role.IMMIGRATION, "IRQ", frozenset({"c2"}), False),
        (Role.IMMIGRATION, "IRQ", frozenset({"c1"}), True),
        (Role.LIAISON, "SYR", None, True),
        (Role.LIAISON, "IRQ", None, False),
        (Role.LIAISON, "JOR", None, False),
        (Role.ANALYST, None, None, True),
        (Role.ANALYST, "IRQ", None, True),
        (Role.ANALYST, "JOR", None, False),
        (Role.ADMIN, None, frozenset({"c2"}), False),
    ]
    for role, country, listed, expected in cases:
        got = scope.covers(role=role, country=country, listed=listed, crossing=qaim)
        assert got == expected, (role, country, listed)


def test_listed_crossings_must_be_the_users_to_act_on(fresh_database: Database):
    make_crossing(fresh_database, "IQ-QAIM", "IRQ", "SYR")
    make_crossing(fresh_database, "JO-KARAMA", "JOR", "IRQ")
    with fresh_database.transaction() as s:
        liaison = users.create_user(
            s, username="liaison1", password=PASSWORD, role=Role.LIAISON, country="SYR",
            crossings=["iq-qaim"], actor=SYSTEM,
        )  # fmt: skip
        assert users.crossings_of(s, [liaison.id]) == {liaison.id: ["IQ-QAIM"]}
        with pytest.raises(DomainError) as exc:
            users.set_scope(s, user=liaison, country="SYR", crossings=["JO-KARAMA"], actor=SYSTEM)
        assert exc.value.errors[0].field == "crossings"
        with pytest.raises(DomainError) as exc:
            users.set_scope(s, user=liaison, country=None, crossings=[], actor=SYSTEM)
        assert exc.value.errors[0].field == "country"


def test_an_administrator_of_a_state_manages_its_accounts_only(fresh_database: Database):
    with fresh_database.transaction() as s:
        iraqi = actor_of(
            users.create_user(
                s,
                username="admin.irq",
                password=PASSWORD,
                role=Role.ADMIN,
                country="IRQ",
                actor=SYSTEM,
            )
        )
        jordanian = users.create_user(
            s, username="customs.jor", password=PASSWORD, role=Role.CUSTOMS, country="JOR",
            actor=SYSTEM,
        )  # fmt: skip
        with pytest.raises(DomainError) as exc:
            users.get_user(s, "customs.jor", actor=iraqi)
        assert exc.value.status == 404
        for change in (users.disable_user, users.enable_user):
            with pytest.raises(DomainError) as exc:
                change(s, user=jordanian, actor=iraqi)
            assert exc.value.slug == "out-of-scope"
        with pytest.raises(DomainError) as exc:
            users.create_user(s, username="national", password=PASSWORD, role=Role.ANALYST,
                              country=None, actor=iraqi)  # fmt: skip
        assert exc.value.slug == "out-of-scope"
        assert [u.username for u in users.list_users(s, actor=iraqi)] == ["admin.irq"]


def test_administrators_disabling_each_other_at_once_leave_one(fresh_database: Database):
    """Every active admin disabled at the same moment, each by another: one stays."""
    names = [f"admin{i}" for i in range(4)]
    with fresh_database.transaction() as s:
        for name in names:
            users.create_user(s, username=name, password=PASSWORD, role=Role.ADMIN,
                              country=None, actor=SYSTEM)  # fmt: skip
    barrier = threading.Barrier(len(names))
    outcomes: list[str] = []

    def disable(name: str) -> None:
        barrier.wait()
        try:
            with fresh_database.transaction() as s:
                users.disable_user(s, user=users.get_user(s, name, actor=SYSTEM), actor=SYSTEM)
            outcomes.append("disabled")
        except DomainError as exc:
            outcomes.append(exc.slug)

    threads = [threading.Thread(target=disable, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["disabled"] * 3 + ["last-admin"]
    with fresh_database.transaction() as s:
        active = [u.username for u in users.list_users(s, actor=SYSTEM) if u.active]
    assert len(active) == 1
