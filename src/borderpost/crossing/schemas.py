"""Request and response bodies of the crossing domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from borderpost.crossing.rules import (
    Allowed,
    AssessmentState,
    Category,
    Direction,
    ReasonCategory,
    Recommendation,
    SignatureDecision,
    State,
    Traffic,
    direction_of,
    event_time_problem,
)
from borderpost.db import utcnow
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


class AllowedIn(Input):
    """What a restricted direction lets pass; an empty (or absent) list sets no limit."""

    categories: Annotated[list[Category], Field(max_length=len(Category))] = []
    nationalities: Annotated[list[CountryCode], Field(max_length=300)] = []


class AllowedRead(BaseModel):
    categories: list[Category]
    nationalities: list[str]


class DirectionStatusRead(BaseModel):
    state: State
    since: datetime
    reason_category: ReasonCategory | None = None
    reason: str | None = None
    allowed: AllowedRead | None = None


class DirectionsRead(BaseModel):
    entry: DirectionStatusRead
    exit: DirectionStatusRead


class ClassStatusRead(BaseModel):
    """v1's fields are those of the most open direction; `directions` has both."""

    state: State
    since: datetime
    reason_category: ReasonCategory | None = None
    reason: str | None = None
    directions: DirectionsRead


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
    directions: Annotated[
        list[Direction], Field(min_length=1, max_length=2, examples=[["entry", "exit"]])
    ] = [Direction.ENTRY, Direction.EXIT]
    allowed: AllowedIn | None = None

    @field_validator("traffic", "directions")
    @classmethod
    def _distinct(cls, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise ValueError("lists a value twice")
        return value

    @field_validator("directions", mode="before")
    @classmethod
    def _cargo_words(cls, value: Any) -> Any:
        """Cargo says inbound and outbound for entry and exit."""
        if isinstance(value, list):
            return [direction_of(v) if v in ("inbound", "outbound") else v for v in value]
        return value

    @field_validator("allowed")
    @classmethod
    def _only_when_restricted(cls, value: AllowedIn | None, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("state") not in (None, State.RESTRICTED):
            raise ValueError("is only for a restricted state")
        return value

    def as_change(self) -> dict[str, Any]:
        """The keyword arguments of `service.change_status`."""
        allowed = (
            Allowed(frozenset(self.allowed.categories), frozenset(self.allowed.nationalities))
            if self.allowed
            else None
        )
        return {**self.model_dump(exclude={"allowed"}), "allowed": allowed}

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
    directions: list[Direction]
    state: State
    allowed: AllowedRead | None
    previous: dict[Traffic, State]
    previous_directions: dict[Traffic, dict[Direction, State]]
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

    @field_validator("occurred_at")
    @classmethod
    def _has_happened(cls, value: datetime) -> datetime:
        if problem := event_time_problem(value, now=utcnow()):
            raise ValueError(problem)
        return value


class IncidentRead(BaseModel):
    id: str
    crossing: str
    kind: str
    severity: int
    occurred_at: datetime
    description: str
    recorded_at: datetime
