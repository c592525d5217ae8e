"""Request and response bodies of the clearance domain."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
)

from borderpost.cargo.currency import is_currency
from borderpost.clearance.rules import Assessment, CaseState, PaymentMethod
from borderpost.validation import LongText, ShortText


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# An amount read back: a JSON number, not a string (as in cargo's schemas).
Number = Annotated[
    Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")
]

Reference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9][A-Z0-9/\-.]{0,39}$"
    ),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PaymentCreate(Input):
    receipt_number: Reference = Field(description="Used once only, across the whole system")
    amount: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=3)]
    currency: str = Field(examples=["IQD", "USD"])
    method: PaymentMethod
    guarantee_ref: Reference | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = value.strip().upper()
        if not is_currency(code):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return code


class PaymentRead(BaseModel):
    id: str
    truck_id: str
    receipt_number: str
    method: PaymentMethod
    amount: Number
    currency: str
    assessed_amount: Number  # in the assessment currency, at the rate of the day
    guarantee_ref: str | None
    recorded_at: datetime


class PermitCreate(Input):
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    issued_by: ShortText
    item_indexes: list[Annotated[int, Field(ge=1)]] | None = Field(
        default=None, min_length=1, description="Declaration lines covered; all when left out"
    )


class PermitRead(BaseModel):
    id: str
    truck_id: str
    kind: str
    number: str
    issued_by: str
    item_indexes: list[int] | None
    recorded_at: datetime


class AssessmentLineRead(BaseModel):
    item_index: int
    hs_code: str
    customs_value: Number
    duty_percent: Number
    duty: Number
    declared_value: Number
    declared_currency: str
    exchange_rate: Number


class PermitNeedRead(BaseModel):
    item_index: int
    hs_code: str
    kind: str
    issued_by: str
    reason: str


class AssessmentRead(BaseModel):
    lines: list[AssessmentLineRead]
    duties: Number
    fees: Number
    penalty: Number
    total: Number
    currency: str
    paid: Number
    due: Number
    guarantee_required: Number
    guaranteed: Number
    tariff_day: date | None
    permits_missing: list[PermitNeedRead] = []

    @classmethod
    def of(cls, a: Assessment, needs: list[PermitNeedRead]) -> AssessmentRead:
        return cls(
            lines=[
                AssessmentLineRead(
                    item_index=line.item_index,
                    hs_code=line.hs_code,
                    customs_value=line.customs_value,
                    duty_percent=line.duty_percent,
                    duty=line.duty,
                    declared_value=line.declared_value,
                    declared_currency=line.declared_currency,
                    exchange_rate=line.exchange_rate,
                )
                for line in a.lines
            ],
            duties=a.duties,
            fees=a.fees,
            penalty=a.penalty,
            total=a.total,
            currency=a.currency,
            paid=a.paid,
            due=a.due,
            guarantee_required=a.guarantee_required,
            guaranteed=a.guaranteed,
            tariff_day=a.tariff_day,
            permits_missing=needs,
        )


class CaseRef(BaseModel):
    id: str
    state: CaseState


class HandoverCreate(Input):
    to: ShortText = Field(examples=["Anbar Police Directorate, Al-Qaim station"])
    note: LongText | None = None


class CasePhotoRead(BaseModel):
    id: str
    filename: str
    content_type: str
    sha256: str
    recorded_at: datetime


class CaseRead(BaseModel):
    id: str
    truck_id: str
    plate: str
    state: CaseState
    findings: str
    items: list[dict[str, object]]
    driver: dict[str, object]
    photos: list[CasePhotoRead]
    opened_at: datetime
    handed_over_to: str | None
    handover_note: str | None
    handed_over_at: datetime | None


class TariffRateRead(BaseModel):
    hs_prefix: str
    duty_percent: Number
    description: str


class TariffRead(BaseModel):
    day: date
    rates: list[TariffRateRead]


class RejectedRow(BaseModel):
    line: int
    message: str


class TariffImportReport(BaseModel):
    imported: int
    rejected: list[RejectedRow]
    valid_from: date | None = None


class PreArrivalRead(BaseModel):
    id: str
    crossing: str
    number: str
    regime: str
    items: int
    lodged_at: datetime
    truck_id: str | None
    arrived_at: datetime | None
