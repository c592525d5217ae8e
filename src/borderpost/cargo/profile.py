"""The selectivity profile as data: versions in the database, the newest one active.

While no version has been posted, the profile shipped with Borderpost (risk_profile.json and
unit_values.json) is active as its own version (1). A supervisor posts a whole new version; it is
validated as a `RiskProfile`, numbered one above the active one, and audited with its full body,
so the log alone tells which rules decided any truck's lane (the truck records the version).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.models import RiskProfileVersion
from borderpost.cargo.risk import (
    RandomSelection,
    RiskProfile,
    RiskRule,
    UnitValues,
    load_default_profile,
)
from borderpost.db import utcnow

_PG_PROFILE_LOCK = 7_305_202_412
SHIPPED_BY = "borderpost (shipped default)"


@dataclass(frozen=True, slots=True)
class ActiveProfile:
    profile: RiskProfile
    sha256: str
    note: str
    created_at: datetime | None
    created_by: str

    @property
    def version(self) -> int:
        return self.profile.version


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(profile: RiskProfile) -> str:
    return hashlib.sha256(_canonical(profile.model_dump(mode="json")).encode()).hexdigest()


_parsed: dict[tuple[str, int, str], RiskProfile] = {}
_actives: dict[tuple[str, int, str], ActiveProfile] = {}
_parsed_lock = threading.Lock()


@cache
def _default() -> ActiveProfile:
    """The shipped profile as a version (its hash computed once per process, not per truck)."""
    profile = load_default_profile()
    return ActiveProfile(
        profile, _sha(profile), "the profile shipped with Borderpost", None, SHIPPED_BY
    )


def _active(db: Session, row: RiskProfileVersion) -> ActiveProfile:
    key = (str(db.get_bind().engine.url), row.version, row.sha256)
    return ActiveProfile(
        _parse(key, row.body), row.sha256, row.note, row.created_at, row.created_by
    )


def _parse(key: tuple[str, int, str], body: dict[str, Any]) -> RiskProfile:
    with _parsed_lock:
        found = _parsed.get(key)
    if found is None:
        found = RiskProfile.model_validate(body)
        with _parsed_lock:
            _parsed[key] = found
    return found


def active_profile(db: Session) -> ActiveProfile:
    """The profile in force now (parsed once per version and process)."""
    head = db.execute(
        select(RiskProfileVersion.version, RiskProfileVersion.sha256)
        .order_by(RiskProfileVersion.version.desc())
        .limit(1)
    ).first()
    if head is None:
        return _default()
    key = (str(db.get_bind().engine.url), head.version, head.sha256)
    with _parsed_lock:
        known = _actives.get(key)
    if known is None:
        row = db.get(RiskProfileVersion, head.version)
        assert row is not None
        known = _active(db, row)
        with _parsed_lock:
            _actives[key] = known
    return known


def profile_version(db: Session, version: int) -> ActiveProfile:
    row = db.get(RiskProfileVersion, version)
    if row is not None:
        return _active(db, row)
    if version == load_default_profile().version and not _any_version(db, below=version):
        return _default()
    raise errors.not_found("risk profile version", str(version))


def _any_version(db: Session, *, below: int) -> bool:
    return (
        db.scalar(
            select(RiskProfileVersion.version).where(RiskProfileVersion.version <= below).limit(1)
        )
        is not None
    )


def list_versions(db: Session) -> list[ActiveProfile]:
    """Every version, newest first, the shipped default last when it was ever in force."""
    rows = db.scalars(select(RiskProfileVersion).order_by(RiskProfileVersion.version.desc()))
    versions = [_active(db, row) for row in rows]
    default = load_default_profile()
    if not versions or versions[-1].version > default.version:
        versions.append(_default())
    return versions


def publish_profile(
    db: Session,
    *,
    name: str,
    rules: list[RiskRule],
    random_selections: list[RandomSelection],
    capacity_share: dict[str, float],
    unit_values: UnitValues | None,
    note: str,
    actor: Actor,
    at: datetime | None = None,
) -> ActiveProfile:
    """Post a new version of the profile; it is active from this transaction's commit."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_PROFILE_LOCK})
    current = active_profile(db)
    body = {
        "name": name,
        "version": current.version + 1,
        "rules": [r.model_dump(mode="json") for r in rules],
        "random_selections": [s.model_dump(mode="json") for s in random_selections],
        "capacity_share": {str(k): v for k, v in capacity_share.items()},
        "unit_values": (unit_values or current.profile.unit_values).model_dump(mode="json"),
    }
    try:
        profile = RiskProfile.model_validate(body)
    except ValidationError as exc:
        raise errors.DomainError(
            "The risk profile is not valid.",
            slug="invalid-input",
            title="Invalid input",
            status=422,
            errors=[
                errors.FieldError(".".join(str(p) for p in e["loc"]) or "profile", e["msg"])
                for e in exc.errors()
            ],
        ) from exc
    sha = _sha(profile)
    row = RiskProfileVersion(
        version=profile.version,
        name=name,
        body=profile.model_dump(mode="json"),
        sha256=sha,
        note=note,
        created_at=at or utcnow(),
        created_by=actor.label,
    )
    db.add(row)
    db.flush()
    after = {k: v for k, v in row.body.items() if k != "unit_values"}
    after |= {"sha256": sha, "note": note}
    after["unit_values_sha256"] = hashlib.sha256(
        _canonical(row.body["unit_values"]).encode()
    ).hexdigest()
    audit.record(
        db,
        actor=actor.label,
        action="risk_profile.publish",
        subject_type="risk_profile",
        subject_id=str(profile.version),
        before={"version": current.version, "sha256": current.sha256},
        after=after,
    )
    return _active(db, row)
