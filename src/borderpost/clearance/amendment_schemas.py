"""Bodies of a declaration's amendment (apart: they use cargo's item schema, and cargo's schemas
use the clearance schemas)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from borderpost.cargo.schemas import MAX_ITEMS, ItemIn
from borderpost.clearance.schemas import Input, Number
from borderpost.validation import LongText


class AmendmentCreate(Input):
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    reason: LongText = Field(description="What the inspection found and what was corrected")


class AmendmentRead(BaseModel):
    id: str
    truck_id: str
    reason: str
    duties_before: Number
    duties_after: Number
    penalty: Number
    recorded_at: datetime
