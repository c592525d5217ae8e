"""GET /access-log: who read which person's data, for the auditor."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from borderpost import errors
from borderpost.audit import access
from borderpost.auth.permissions import Permission as P
from borderpost.crossing import service as crossings
from borderpost.paging import DEFAULT_LIMIT, MAX_LIMIT
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, reading

router = APIRouter(tags=["audit"], responses=problem_responses(401, 403, 404, 422))
SubjectType = StrEnum("SubjectType", {t: t for t in access.SUBJECT_TYPES})  # type: ignore[misc]


class AccessRecordRead(BaseModel):
    id: int
    accessed_at: datetime
    user_id: str
    username: str
    role: str
    subject_type: str
    subject_id: str
    crossing_id: str | None
    route: str
    request_id: str | None


class AccessPage(BaseModel):
    items: list[AccessRecordRead]
    next_cursor: str | None = None


@router.get("/access-log", response_model=AccessPage)
def list_access(
    username: Annotated[str | None, Query(max_length=64)] = None,
    subject_type: SubjectType | None = None,
    subject_id: Annotated[str | None, Query(max_length=32)] = None,
    crossing: Annotated[str | None, Query(max_length=20, description="A crossing's code")] = None,
    since: Annotated[datetime | None, Query(description="From this time, included")] = None,
    until: Annotated[datetime | None, Query(description="Before this time")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    r: Reader = Depends(reading(P.ACCESS_LOG_READ)),
) -> AccessPage:
    """Reads of travellers, movements, trucks (their drivers) and group persons, newest first."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise errors.invalid(name, "needs a time zone offset (use Z for UTC)")
        if value is not None and not 2000 <= value.year <= 2200:
            raise errors.invalid(name, "must be between the years 2000 and 2200")
    rows = access.list_records(
        r.db,
        limit=limit + 1,
        before_id=cursor,
        username=username,
        subject_type=subject_type.value if subject_type else None,
        subject_id=subject_id,
        crossing_id=crossings.get_crossing(r.db, crossing).id if crossing else None,
        since=since,
        until=until,
    )
    items = [AccessRecordRead.model_validate(x, from_attributes=True) for x in rows[:limit]]
    return AccessPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)
