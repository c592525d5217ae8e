"""Request and response bodies of the traveller domain (movements, travellers, group arrivals)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from borderpost.crossing.rules import Category
from borderpost.screening.normalise import clean_name
from borderpost.traveller.rules import (
    Custody,
    Decision,
    Direction,
    GroupCategory,
    RefusalGround,
    ScreeningStatus,
    TravelMode,
)
from borderpost.validation import (
    EventTime,
    Input,
    LongText,
    ShortText,
    TravelCountry,
    require_timezone,
)

MAX_BATCH = 5000


def _matching(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        value = value.strip().upper()
        if not compiled.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return AfterValidator(check)


DocumentNumber = Annotated[str, _matching(r"[A-Z0-9]{1,20}", "1 to 20 letters and digits")]
DocumentType = Annotated[str, _matching(r"[A-Z][A-Z]?", "one or two letters (P, I, ID, ...)")]
# Names pass through screening's one clean-up (invisible characters out; a BeforeValidator runs
# before the length checks), so a name that is only zero-width characters is refused like an
# empty one.
Name = Annotated[str, StringConstraints(min_length=1, max_length=100), BeforeValidator(clean_name)]
OptionalName = Annotated[str, StringConstraints(max_length=100), BeforeValidator(clean_name)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def _past(value: date | None) -> date | None:
    if value is not None and value > date.today():
        raise ValueError("is in the future")
    return value


class DocumentIn(Input):
    """A travel document typed in by the officer (when there is no readable MRZ)."""

    document_type: DocumentType = "P"
    document_number: DocumentNumber
    issuing_state: TravelCountry
    nationality: TravelCountry
    surname: Name
    given_names: OptionalName = ""
    birth_date: date | None = None
    sex: Literal["M", "F", "X"]
    expiry_date: date

    _born = field_validator("birth_date")(_past)


MrzText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class MovementCreate(Input):
    direction: Direction
    mrz: MrzText | None = Field(
        default=None,
        description="The MRZ lines joined by a line feed (2 lines: TD2, TD3; 3 lines: TD1)",
    )
    document: DocumentIn | None = None
    travel_mode: TravelMode
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    category: Category = Category.REGULAR  # what a restricted direction may let pass

    @model_validator(mode="after")
    def _one_source(self) -> MovementCreate:
        if (self.mrz is None) == (self.document is None):
            raise ValueError("give exactly one of mrz or document")
        if self.travel_mode == TravelMode.AIR:
            raise ValueError("a crossing by air is recorded by a supervisor (air-movements)")
        return self


class AirMovementCreate(Input):
    """A crossing by air the airport recorded, entered by a supervisor."""

    direction: Direction
    mrz: MrzText | None = None
    document: DocumentIn | None = None
    airport: Annotated[str, _matching(r"[A-Z]{3}", "an IATA airport code (BGW, BSR)")]
    crossed_at: datetime

    _aware = field_validator("crossed_at")(require_timezone)

    @model_validator(mode="after")
    def _one_source(self) -> AirMovementCreate:
        if (self.mrz is None) == (self.document is None):
            raise ValueError("give exactly one of mrz or document")
        return self


class TravellerFields(BaseModel):
    document_type: str
    document_number: str
    issuing_state: str
    nationality: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    expiry_date: date


class ReasonRead(BaseModel):
    code: str
    message: str
    refusal_ground: RefusalGround | None = None


class MatchRead(BaseModel):
    entry_id: str
    list: str
    name: str
    score: float
    matched_alias: str | None = None


class ScreeningRead(BaseModel):
    status: ScreeningStatus
    matches: list[MatchRead]


class ResolutionRead(BaseModel):
    decision: Decision
    note: str
    refusal_ground: RefusalGround | None
    resolved_at: datetime
    resolved_by: str


class MovementRead(BaseModel):
    id: str
    crossing: str
    direction: Direction
    decision: Decision
    reasons: list[ReasonRead]
    traveller: TravellerFields
    traveller_id: str
    screening: ScreeningRead
    travel_mode: TravelMode
    purpose: str | None
    source: Literal["mrz", "document"]
    recorded_at: datetime
    recorded_by: str
    resolution: ResolutionRead | None = None
    overstay_days: int | None = Field(
        default=None, description="On an exit past the stay allowed: the days over"
    )
    stay_until: date | None = Field(
        default=None, description="On an admitted entry: the last day of the stay allowed"
    )
    permit_id: str | None = Field(default=None, description="The permit the entry used")
    point: Literal["land", "airport"] = "land"
    refusal_ground: RefusalGround | None = None


class ResolutionCreate(Input):
    decision: Literal[Decision.ADMITTED, Decision.REFUSED]
    note: Note
    refusal_ground: RefusalGround | None = Field(
        default=None,
        description="Schengen Annex V letter for a refusal; default H for a watchlist referral, "
        "else I",
    )

    @model_validator(mode="after")
    def _ground_only_for_refusals(self) -> ResolutionCreate:
        if self.refusal_ground is not None and self.decision != Decision.REFUSED:
            raise ValueError("refusal_ground is only for a refusal")
        return self


class TravellerMovement(BaseModel):
    id: str
    crossing: str
    direction: Direction
    decision: Decision
    reasons: list[str]
    recorded_at: datetime


class TravellerRead(BaseModel):
    id: str
    traveller: TravellerFields
    present_in_country: bool | None = Field(
        description="True after an admitted entry, false after an admitted exit, null when the "
        "traveller has never been admitted across"
    )
    last_crossed_at: datetime | None
    movements: list[TravellerMovement] = Field(description="Newest first (at most 200)")


# --- group arrivals ---------------------------------------------------------------------------


class GroupArrivalCreate(Input):
    category: GroupCategory
    description: LongText
    arrived_at: EventTime


class ItemSurrendered(Input):
    kind: Literal["weapon", "ammunition", "vehicle", "equipment", "other"]
    description: ShortText
    quantity: int = Field(default=1, ge=1, le=100_000)


class PersonDocument(Input):
    document_type: DocumentType = "P"
    document_number: DocumentNumber
    issuing_state: TravelCountry


def _items_shorthand(value: object) -> object:
    """A bare string is shorthand for one item of kind "other"."""
    if isinstance(value, list):
        return [{"kind": "other", "description": v} if isinstance(v, str) else v for v in value]
    return value


class PersonCreate(Input):
    surname: Name
    given_names: OptionalName = ""
    birth_date: date | None = None
    nationality: TravelCountry | None = None
    document: PersonDocument | None = None
    rank: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    wounded: bool = False
    custody_status: Literal[Custody.IN_CUSTODY, Custody.IN_HOSPITAL, Custody.RELEASED] = (
        Custody.IN_CUSTODY
    )
    items_surrendered: Annotated[
        list[ItemSurrendered], BeforeValidator(_items_shorthand), Field(max_length=50)
    ] = Field(default_factory=list)

    _born = field_validator("birth_date")(_past)


class PersonsCreate(Input):
    persons: list[PersonCreate] = Field(min_length=1, max_length=MAX_BATCH)


class PossibleMatch(BaseModel):
    person_id: str
    index: int = Field(description="The person's position in the batch, from 0")
    surname: str
    given_names: str
    matches: list[MatchRead]


class GroupCounts(BaseModel):
    total: int
    in_custody: int
    in_hospital: int
    released: int
    handed_over: int
    wounded: int
    possible_matches: int
    reconciled: bool = Field(
        description="The persons counted by status add up to the registered total, and the "
        "handed-over persons to the sum of the handovers"
    )


class RegistrationRead(BaseModel):
    batch_id: str
    registered: int
    possible_matches: list[PossibleMatch]
    person_ids: list[str] = Field(description="In the order of the batch")
    counts: GroupCounts


class PersonRead(BaseModel):
    id: str
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None
    document: dict | None
    rank: str | None
    unit: str | None
    wounded: bool
    items_surrendered: list[dict]
    screening: ScreeningRead
    custody_status: Custody
    custody_since: datetime
    handover_id: str | None


class PersonPage(BaseModel):
    items: list[PersonRead]
    next_cursor: str | None = None


class HandoverRead(BaseModel):
    id: str
    to: str
    handed_over_at: datetime
    persons: int
    note: str | None


class GroupArrivalRead(BaseModel):
    id: str
    crossing: str
    category: GroupCategory
    description: str
    arrived_at: datetime
    counts: GroupCounts
    handovers: list[HandoverRead]
    persons: PersonPage


class GroupArrivalSummary(BaseModel):
    id: str
    crossing: str
    category: GroupCategory
    description: str
    arrived_at: datetime
    counts: GroupCounts


PersonIds = Annotated[
    list[Annotated[str, Field(max_length=32)]], Field(min_length=1, max_length=MAX_BATCH)
]


def _distinct_ids(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("lists a person twice")
    return value


class HandoverCreate(Input):
    person_ids: PersonIds
    to: ShortText
    handed_over_at: EventTime
    note: Note | None = None

    _distinct = field_validator("person_ids")(_distinct_ids)


class CustodyChangeCreate(Input):
    person_ids: PersonIds
    status: Literal[Custody.IN_CUSTODY, Custody.IN_HOSPITAL, Custody.RELEASED]
    changed_at: EventTime
    note: Note | None = None

    _distinct = field_validator("person_ids")(_distinct_ids)


class HandoverResult(BaseModel):
    handover_id: str
    handed_over: int
    counts: GroupCounts
