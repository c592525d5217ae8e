"""Request and response bodies of the crossing domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from borderpost.crossing.rules import (
    AssessmentState,
    ReasonCategory,
    Recommendation,
    SignatureDecision,
    State,
    Traffic,
)
from borderpost.validation import (
    CountryCode,
    Input,
    LongText,
    ShortText,
    TimeZoneName,
    require_timezone,
)

CrossingCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}-[A-Z0-9]{2,16}$"),
]
TrafficList = Annotated[list[Traffic], Field(min_length=1, max_length=2)]


class CrossingCreate(Input):
    code: CrossingCode = Field(examples=["IQ-QAIM"])
    name: ShortText
    country: CountryCode
    neighbour_country: CountryCode
    counterpart_name: ShortText
    timezone: TimeZoneName = Field(examples=["Asia/Baghdad"])

    @field_validator("neighbour_country")
    @classmethod
    def _two_states(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("country"):
            raise ValueError("must differ from country")
        return value


class ClassStatusRead(BaseModel):
    state: State
    since: datetime
    reason_category: ReasonCategory | None = None
    reason: str | None = None


class CrossingStatusRead(BaseModel):
    cargo: ClassStatusRead
    passenger: ClassStatusRead


class CrossingRead(BaseModel):
    id: str
    code: str
    name: str
    country: str
    neighbour_country: str
    counterpart_name: str
    timezone: str
    status: CrossingStatusRead


class StatusChangeCreate(Input):
    traffic: TrafficList
    state: State
    reason_category: ReasonCategory | None = Field(default=None, validate_default=True)
    reason: LongText
    assessment_id: str | None = Field(default=None, max_length=32)

    @field_validator("traffic")
    @classmethod
    def _distinct(cls, value: list[Traffic]) -> list[Traffic]:
        if len(set(value)) != len(value):
            raise ValueError("lists a traffic class twice")
        return value

    @field_validator("reason_category")
    @classmethod
    def _category_when_closing(
        cls, value: ReasonCategory | None, info: ValidationInfo
    ) -> ReasonCategory | None:
        if value is None and info.data.get("state") not in (None, State.OPEN):
            raise ValueError("is required to close or restrict traffic")
        return value


class StatusChangeRead(BaseModel):
    id: str
    crossing: str
    traffic: list[Traffic]
    state: State
    previous: dict[Traffic, State]
    reason_category: ReasonCategory | None
    reason: str
    assessment_id: str | None
    changed_at: datetime
    changed_by: str


class AssessmentCreate(Input):
    title: ShortText
    findings: LongText
    recommendation: Recommendation
    traffic: TrafficList


class SignatureCreate(Input):
    country: CountryCode
    official_name: ShortText
    official_role: ShortText
    decision: SignatureDecision
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class SignatureRead(BaseModel):
    country: str
    official_name: str
    official_role: str
    decision: SignatureDecision
    note: str | None
    signed_at: datetime


class AssessmentRead(BaseModel):
    id: str
    crossing: str
    title: str
    findings: str
    recommendation: Recommendation
    traffic: list[Traffic]
    state: AssessmentState
    signatures: list[SignatureRead]
    created_at: datetime
    concluded_at: datetime | None


class StatementCreate(Input):
    text_en: LongText
    text_ar: LongText


class StatementRead(BaseModel):
    id: str
    crossing: str
    text_en: str
    text_ar: str
    published_at: datetime


class IncidentCreate(Input):
    kind: ShortText = Field(examples=["armed_clashes"])
    severity: int = Field(ge=1, le=5)
    occurred_at: datetime
    description: LongText

    _aware = field_validator("occurred_at")(require_timezone)


class IncidentRead(BaseModel):
    id: str
    crossing: str
    kind: str
    severity: int
    occurred_at: datetime
    description: str
    recorded_at: datetime
