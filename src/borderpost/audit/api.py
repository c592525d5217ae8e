from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from borderpost.audit import service
from borderpost.audit.schemas import AuditPage, AuditRecordRead, CheckpointRead, VerificationRead
from borderpost.auth.permissions import Permission as P
from borderpost.paging import DEFAULT_LIMIT, MAX_LIMIT
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, reading, settings_of

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
    request: Request,
    head: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    r: Reader = Depends(reading(P.AUDIT_READ)),
) -> VerificationRead:
    """Recompute the chain; with checkpoints set up, also against the last signed one."""
    settings = settings_of(request)
    result = service.verify_configured(
        r.db,
        checkpoint_file=settings.audit_checkpoint_file,
        key_file=settings.audit_key_file,
        expected_head=head,
    )
    checkpoint = result.checkpoint
    return VerificationRead(
        ok=result.ok,
        records=result.records,
        head=result.head,
        first_bad_id=result.first_bad_id,
        problem=result.problem,
        checkpoint=CheckpointRead(records=checkpoint.records, at=checkpoint.at)
        if checkpoint
        else None,
    )
