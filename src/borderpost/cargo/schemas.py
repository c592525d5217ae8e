"""Request and response bodies of the cargo domain.

Input checks that need nothing but the input (HS codes, currencies, positive masses, the item
count) are made here, so a 422 names the field (`declaration.items[3].hs_code`). Checks that need
the crossing or the MRZ reader are made in the service and name their field the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from borderpost.cargo.currency import is_currency
from borderpost.cargo.hs import HsCodeError, lookup_subheading
from borderpost.cargo.lanes import InspectionKind, InspectionResult, Lane, TruckState
from borderpost.cargo.risk import (
    RandomSelection,
    Regime,
    RiskRule,
    UnitValues,
)
from borderpost.clearance.schemas import AssessmentRead, CaseRef
from borderpost.crossing.rules import Category
from borderpost.screening.normalise import clean_name
from borderpost.validation import CountryCode, Input, LongText, require_timezone

MAX_ITEMS = 999  # the item count a customs declaration (SAD, ASYCUDA) can hold
MAX_TRUCK_KG = Decimal(120_000)  # more than any road vehicle carries


class Direction(StrEnum):
    INBOUND = "inbound"  # into the crossing's country
    OUTBOUND = "outbound"


class Unit(StrEnum):
    """Units of quantity (after the WCO standard units): mass, volume, length, count."""

    KG = "kg"
    TONNE = "t"
    LITRE = "l"
    CUBIC_METRE = "m3"
    SQUARE_METRE = "m2"
    METRE = "m"
    PIECES = "pcs"
    PAIRS = "pairs"
    HEAD = "head"  # live animals
    KWH = "kwh"
    CARAT = "carat"


Plate = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, min_length=2, max_length=20, pattern=r"^[\w\- ]+$"
    ),
]
DeclarationNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9][A-Z0-9/\-]{2,39}$"),
]
# Invisible characters out first (screening's one clean-up), then the length checks.
Party = Annotated[str, StringConstraints(min_length=2, max_length=200), BeforeValidator(clean_name)]
Amount = Annotated[Decimal, Field(max_digits=16, decimal_places=3)]


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# An amount read back: a JSON number (at most three decimals), not a string.
Number = Annotated[
    Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")
]


class DriverDocument(Input):
    """A driver's document typed in when there is no MRZ to read."""

    document_type: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")] = "P"
    document_number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9]{1,20}$")
    ]
    issuing_state: CountryCode
    nationality: CountryCode
    surname: Annotated[
        str, StringConstraints(min_length=1, max_length=200), BeforeValidator(clean_name)
    ]
    given_names: Annotated[str, StringConstraints(max_length=200), BeforeValidator(clean_name)] = ""
    birth_date: date | None = None
    sex: Annotated[str, StringConstraints(pattern=r"^[MFX]$")] | None = None
    expiry_date: date | None = None


class DriverIn(Input):
    mrz: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = Field(
        default=None, examples=["P<SYRHADDAD<<SAMER<<<...\nN1234567<8SYR8001014M3001012<<<...<0"]
    )
    document: DriverDocument | None = None

    @model_validator(mode="after")
    def _one_of(self) -> DriverIn:
        if (self.mrz is None) == (self.document is None):
            raise ValueError("give the driver's mrz or document (one of them)")
        return self


class ItemIn(Input):
    hs_code: str = Field(examples=["252329", "2523.29"])
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    quantity: Amount = Field(gt=0)
    unit: Unit
    gross_kg: Amount = Field(gt=0, le=MAX_TRUCK_KG)
    value: Amount = Field(ge=0)
    currency: str = Field(examples=["USD", "IQD"])

    @field_validator("hs_code")
    @classmethod
    def _hs(cls, value: str) -> str:
        try:
            return lookup_subheading(value).code
        except HsCodeError as exc:
            raise ValueError(exc.message) from exc

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = value.strip().upper()
        if not is_currency(code):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return code


class DeclarationIn(Input):
    number: DeclarationNumber
    regime: Regime
    exporter: Party
    importer: Party
    origin_country: CountryCode
    destination_country: CountryCode
    temperature_controlled: bool = False
    humanitarian: bool = False
    trader_id: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9\-/]{1,39}$"),
        ]
        | None
    ) = Field(
        default=None,
        description="The trader's tax number: first-time-trader history keys on it (on the "
        "trader's name when absent)",
    )
    items: list[ItemIn] = Field(default=[], max_length=MAX_ITEMS, validate_default=True)

    @field_validator("items")
    @classmethod
    def _mass(cls, items: list[ItemIn], info: ValidationInfo) -> list[ItemIn]:
        regime = info.data.get("regime")  # None when the regime itself was invalid
        if regime is Regime.EMPTY and items:
            raise ValueError("an empty truck's declaration has no items")
        if regime is not None and regime is not Regime.EMPTY and not items:
            raise ValueError(f"an {regime.value} declaration has at least one item")
        total = sum((i.gross_kg for i in items), Decimal(0))
        if total > MAX_TRUCK_KG:
            raise ValueError(f"gross mass {total} kg is more than a truck carries ({MAX_TRUCK_KG})")
        return items


class TruckArrival(Input):
    direction: Direction
    plate: Plate
    registration_country: CountryCode
    trailer_plate: Plate | None = None
    driver: DriverIn
    declaration: DeclarationIn
    category: Category = Category.REGULAR  # what a restricted direction may let pass

    @model_validator(mode="after")
    def _regime_fits_direction(self) -> TruckArrival:
        regime = self.declaration.regime
        expected = {Regime.IMPORT: Direction.INBOUND, Regime.EXPORT: Direction.OUTBOUND}.get(regime)
        if expected is not None and self.direction is not expected:
            raise ValueError(
                f"an {regime.value} declaration travels {expected.value}, "
                f"not {self.direction.value}"
            )
        return self


class InspectionCreate(Input):
    kind: InspectionKind
    result: InspectionResult
    findings: LongText | None = None
    started_at: datetime | None = Field(
        default=None, description="When the control began; the time of recording by default."
    )

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else require_timezone(value)

    @model_validator(mode="after")
    def _findings_for_findings(self) -> InspectionCreate:
        if self.result is not InspectionResult.CLEARED and not self.findings:
            raise ValueError(f"findings are required for a {self.result.value}")
        return self


class InspectionLanesSet(Input):
    open: int = Field(ge=1, le=50, description="Inspection lanes (bays with a team) open now")


# ---------------------------------------------------------------------------- responses
class HsRef(BaseModel):
    hs_code: str
    hs_description: str
    chapter: str
    chapter_description: str
    name_ar: str | None = None  # from hs_names_ar.json, for the headings traded at the crossing


class ItemRead(HsRef):
    line: int
    description: str
    quantity: Number
    unit: str
    gross_kg: Number
    value: Number
    currency: str


class ScreeningMatchRead(BaseModel):
    entry_id: str
    list: str
    name: str
    matched_alias: str
    score: float


class ScreeningRead(BaseModel):
    status: str
    matches: list[ScreeningMatchRead]


class DeclarationRead(BaseModel):
    number: str
    regime: Regime
    exporter: str
    importer: str
    origin_country: str
    destination_country: str
    temperature_controlled: bool
    humanitarian: bool
    party_screening: dict[str, ScreeningRead]
    items: list[ItemRead]
    gross_kg: Number
    value_by_currency: dict[str, Number]


class LaneReasonRead(BaseModel):
    rule_id: str
    lane: Lane
    message: str


class RiskInputsRead(BaseModel):
    """What decided the lane besides the declaration, as recorded at arrival."""

    first_time_trader: bool
    driver_watchlist_match: bool
    party_watchlist_match: bool
    recent_lanes: dict[Lane, int]  # lanes at the crossing in the 8 hours before the arrival


class RiskRead(BaseModel):
    profile_version: int
    selection_seed: str
    random_draw: float
    suppressed: list[LaneReasonRead]
    inputs: RiskInputsRead | None = None  # None on visits recorded before the inputs were kept


class InspectionRead(BaseModel):
    id: str
    truck_id: str
    kind: InspectionKind
    result: InspectionResult
    findings: str | None
    started_at: datetime
    recorded_at: datetime
    truck_state: TruckState | None = None


class DriverMovementRead(BaseModel):
    id: str
    decision: str
    reasons: list[dict[str, Any]]


class TruckVisitRead(BaseModel):
    id: str
    crossing: str
    direction: Direction
    plate: str
    registration_country: str
    trailer_plate: str | None
    state: TruckState
    lane: Lane
    lane_reasons: list[LaneReasonRead]
    risk: RiskRead
    priority_class: str
    placement_reason: str = ""  # why the truck is where it is in the queue
    humanitarian_confirmed_at: datetime | None = None
    queue_position: int | None
    estimated_wait_minutes: int | None
    driver: dict[str, Any]
    driver_screening: ScreeningRead
    driver_movement: DriverMovementRead | None = None
    declaration: DeclarationRead
    inspections: list[InspectionRead]
    # Duties, fees, payments and the permits still missing (clearance domain).
    assessment: AssessmentRead | None = None
    case: CaseRef | None = None  # the seizure case, once a seizure opened one
    post_clearance_audit: bool
    arrived_at: datetime
    service_started_at: datetime | None
    released_at: datetime | None
    detained_at: datetime | None


class QueueEntryRead(BaseModel):
    queue_position: int
    id: str
    plate: str
    direction: Direction
    lane: Lane
    priority_class: str
    placement_reason: str = ""
    arrived_at: datetime
    estimated_wait_minutes: int | None


class InServiceRead(BaseModel):
    id: str
    plate: str
    lane: Lane
    state: TruckState
    service_started_at: datetime


class QueueRead(BaseModel):
    crossing: str
    at: datetime
    lanes_open: int
    items: list[QueueEntryRead]
    next_cursor: str | None = None
    in_service: list[InServiceRead]
    mean_service_minutes: dict[Lane, float]
    new_arrival_wait_minutes: int | None


class InspectionLanesRead(BaseModel):
    crossing: str
    open: int
    since: datetime | None


class RiskProfileCreate(Input):
    """A new version of the selectivity profile; unit values are kept when left out."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    rules: list[RiskRule] = Field(max_length=500)
    random_selections: list[RandomSelection] = []
    capacity_share: dict[Lane, Annotated[float, Field(gt=0, le=1)]] = {}
    unit_values: UnitValues | None = None
    note: LongText = Field(description="Why the profile changes (kept in the audit log)")


class RiskProfileRead(BaseModel):
    version: int
    name: str
    rules: list[RiskRule]
    random_selections: list[RandomSelection]
    capacity_share: dict[Lane, float]
    unit_values: UnitValues
    sha256: str
    note: str
    created_at: datetime | None
    created_by: str


class RiskProfileSummary(BaseModel):
    version: int
    name: str
    rules: int
    sha256: str
    note: str
    created_at: datetime | None
    created_by: str
