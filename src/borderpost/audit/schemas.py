from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditRecordRead(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    items: list[AuditRecordRead]
    next_cursor: str | None = None


class CheckpointRead(BaseModel):
    records: int
    at: str


class VerificationRead(BaseModel):
    ok: bool
    records: int
    head: str
    first_bad_id: int | None = None
    problem: str | None = None
    # the signed checkpoint the log was checked against, when checkpoints are set up
    checkpoint: CheckpointRead | None = None
