from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from borderpost.audit import service
from borderpost.audit.schemas import AuditPage, AuditRecordRead, VerificationRead
from borderpost.auth.permissions import Permission as P
from borderpost.paging import DEFAULT_LIMIT, MAX_LIMIT
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, reading

router = APIRouter(prefix="/audit", tags=["audit"], responses=problem_responses(401, 403, 422))


@router.get("", response_model=AuditPage)
def list_audit(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    r: Reader = Depends(reading(P.AUDIT_READ)),
) -> AuditPage:
    rows = service.list_records(r.db, limit=limit + 1, before_id=cursor)
    items = [AuditRecordRead.model_validate(x, from_attributes=True) for x in rows[:limit]]
    next_cursor = str(items[-1].id) if len(rows) > limit else None
    return AuditPage(items=items, next_cursor=next_cursor)


@router.get("/verify", response_model=VerificationRead)
def verify_audit(
    head: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    r: Reader = Depends(reading(P.AUDIT_READ)),
) -> VerificationRead:
    result = service.verify(r.db, expected_head=head)
    return VerificationRead(
        ok=result.ok,
        records=result.records,
        head=result.head,
        first_bad_id=result.first_bad_id,
        problem=result.problem,
    )
