"""The selectivity engine: which lane a declaration goes to, and why.

Modelled on ASYCUDA selectivity. A risk profile (data, `risk_profile.json`, validated by
`RiskProfile`) holds rules (a condition and the lane it sends a declaration to), random
selections with minimum rates, and per-lane capacity shares. Every rule that matches adds a
reason; the highest lane wins; all reasons are kept.

Random selection is reproducible: the caller passes an integer `seed` (for example
`selection_seed(declaration_number, secret)`), the draw is SHA-256 of that seed mapped to [0, 1),
so anyone holding the seed can recompute the decision, in any language, on any Python version.
Random selections are bands of the draw, red first: with red 2% and yellow 5%, a draw below 0.02
selects red and one in [0.02, 0.07) selects yellow.

Capacity: when the recent share of a lane already reaches the share the inspection teams can
handle, random selections to that lane are suppressed (recorded in `suppressed`). Rule hits are
never suppressed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    field_validator,
    model_validator,
)

from borderpost.cargo.lanes import Lane

__all__ = [
    "CapacityState",
    "DeclarationFacts",
    "DeclarationItemFacts",
    "Lane",
    "LaneReason",
    "Regime",
    "RiskDecision",
    "RiskProfile",
    "assess_risk",
    "draw_from_seed",
    "load_default_profile",
    "selection_seed",
]


class Regime(StrEnum):
    IMPORT = "import"
    EXPORT = "export"
    TRANSIT = "transit"
    EMPTY = "empty"  # an empty truck: no items, fees only


# ---------------------------------------------------------------------------- the facts
@dataclass(frozen=True, slots=True)
class DeclarationItemFacts:
    hs_code: str  # 6 digits, already validated by hs.lookup_subheading
    gross_kg: Decimal | float
    value: Decimal | float
    currency: str


@dataclass(frozen=True, slots=True)
class DeclarationFacts:
    regime: Regime | str
    origin_country: str  # ISO 3166-1 alpha-3
    destination_country: str
    items: tuple[DeclarationItemFacts, ...]
    exporter: str = ""
    importer: str = ""
    driver_watchlist_match: bool = False
    party_watchlist_match: bool = False
    first_time_trader: bool = False
    temperature_controlled: bool = False  # a refrigerated truck (reefer)


# ---------------------------------------------------------------------------- the profile
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HsChapterCondition(_Strict):
    kind: Literal["hs_chapter"]
    chapters: list[Annotated[str, Field(pattern=r"^\d{2}$")]] = Field(min_length=1)


class HsPrefixCondition(_Strict):
    kind: Literal["hs_prefix"]
    prefixes: list[Annotated[str, Field(pattern=r"^\d{2,6}$")]] = Field(min_length=1)


class OriginCountryCondition(_Strict):
    kind: Literal["origin_country"]
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = Field(min_length=1)


class DestinationCountryCondition(_Strict):
    kind: Literal["destination_country"]
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = Field(min_length=1)


class RegimeCondition(_Strict):
    kind: Literal["regime"]
    regimes: list[Regime] = Field(min_length=1)


class ValuePerKgCondition(_Strict):
    """Some item's declared value per kg is below `fraction` of the reference for its HS code.
    Items whose code has no reference, or whose currency has no rate, are not judged."""

    kind: Literal["value_per_kg_below_fraction_of_reference"]
    fraction: StrictFloat = Field(gt=0, le=1)


class FlagCondition(_Strict):
    kind: Literal[
        "party_watchlist_match",
        "driver_watchlist_match",
        "first_time_trader",
        "temperature_controlled",
    ]


class AllOfCondition(_Strict):
    """Every sub-condition holds (for a route: regime transit and origin X and chapter Y)."""

    kind: Literal["all_of"]
    conditions: list[Condition] = Field(min_length=1)


Condition = Annotated[
    HsChapterCondition
    | HsPrefixCondition
    | OriginCountryCondition
    | DestinationCountryCondition
    | RegimeCondition
    | ValuePerKgCondition
    | FlagCondition
    | AllOfCondition,
    Field(discriminator="kind"),
]
AllOfCondition.model_rebuild()


class RiskRule(_Strict):
    id: str = Field(min_length=1, max_length=64)
    condition: Condition
    lane: Lane
    reason: str = Field(min_length=1)
    enabled: StrictBool = True
    # A rule that selects only this share of the declarations it matches, by a draw of its own
    # from the seed (the same reproducible draw as the random selections): "red at a rate".
    rate: StrictFloat | None = Field(default=None, gt=0, le=1)

    @field_validator("lane")
    @classmethod
    def _not_green(cls, lane: Lane) -> Lane:
        if lane is Lane.GREEN:
            raise ValueError("a rule sends a declaration to blue, yellow or red, never green")
        return lane


class RandomSelection(_Strict):
    lane: Lane
    rate: StrictFloat = Field(ge=0, le=1)  # the minimum rate, applied unless capacity is exhausted
    reason: str = "random selection"


class UnitValues(_Strict):
    """Rough reference values in USD per gross kg by HS prefix (2, 4 or 6 digits; the longest
    matching prefix wins), and rough rates to USD. See unit_values.json for the sources."""

    as_of: str
    note: str = ""
    usd_per_kg: dict[str, StrictFloat]
    usd_per_unit: dict[str, StrictFloat]  # currency → USD for one unit of it

    @field_validator("usd_per_kg")
    @classmethod
    def _prefixes(cls, table: dict[str, float]) -> dict[str, float]:
        for prefix, value in table.items():
            if not (prefix.isdigit() and len(prefix) in (2, 4, 6)) or value <= 0:
                raise ValueError(f"bad reference value {prefix!r}: {value!r}")
        return table


class RiskProfile(_Strict):
    name: str
    version: int = Field(ge=1)
    rules: list[RiskRule]
    random_selections: list[RandomSelection] = []
    # The share of recent declarations each lane's inspection teams can take; at or past it,
    # random selections to that lane stop. A lane not listed is never limited.
    capacity_share: dict[Lane, StrictFloat] = {}
    unit_values: UnitValues

    @model_validator(mode="after")
    def _check(self) -> RiskProfile:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        if sum(s.rate for s in self.random_selections) > 1:
            raise ValueError("random selection rates add up to more than 1")
        if len({s.lane for s in self.random_selections}) != len(self.random_selections):
            raise ValueError("one random selection per lane")
        return self


@cache
def load_default_profile() -> RiskProfile:
    """The profile shipped with Borderpost (risk_profile.json + unit_values.json)."""
    package = resources.files("borderpost.cargo")
    profile = json.loads((package / "risk_profile.json").read_text(encoding="utf-8"))
    profile["unit_values"] = json.loads((package / "unit_values.json").read_text(encoding="utf-8"))
    return RiskProfile.model_validate(profile)


# ---------------------------------------------------------------------------- the decision
@dataclass(frozen=True, slots=True)
class LaneReason:
    rule_id: str
    lane: Lane
    message: str


@dataclass(frozen=True, slots=True)
class CapacityState:
    """Lanes given to recent declarations (for example the last 8 hours), counts per lane.
    `capacity_share` overrides the profile's for today (an x-ray scanner down, a team short)."""

    recent_counts: Mapping[Lane, int]
    capacity_share: Mapping[Lane, float] | None = None

    def share(self, lane: Lane) -> float:
        total = sum(self.recent_counts.values())
        return self.recent_counts.get(lane, 0) / total if total else 0.0


@dataclass(frozen=True, slots=True)
class RiskDecision:
    lane: Lane
    reasons: tuple[LaneReason, ...]
    random_draw: float
    suppressed: tuple[LaneReason, ...] = field(default=())  # random selections capacity stopped


def selection_seed(declaration_number: str, secret: bytes) -> int:
    """A 64-bit seed from the declaration number and a secret: traders cannot predict it,
    auditors holding the secret can recompute it."""
    digest = hmac.new(secret, declaration_number.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def draw_from_seed(seed: int) -> float:
    """A uniform draw in [0, 1) from the seed: the first 53 bits of SHA-256("...:" + seed)."""
    digest = hashlib.sha256(f"borderpost-selectivity-v1:{int(seed)}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / float(1 << 53)


def rule_draw(seed: int, rule_id: str) -> float:
    """A rule's own uniform draw in [0, 1) from the seed, independent of the random selections'."""
    digest = hashlib.sha256(f"borderpost-rule-v1:{rule_id}:{int(seed)}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / float(1 << 53)


def _chapter(code: str) -> str:
    return code.replace(".", "").strip()[:2]


def _usd_per_kg(item: DeclarationItemFacts, units: UnitValues) -> float | None:
    rate = units.usd_per_unit.get(item.currency.upper())
    kg = float(item.gross_kg)
    if rate is None or kg <= 0:
        return None
    return float(item.value) * rate / kg


def _reference(code: str, units: UnitValues) -> tuple[str, float] | None:
    digits = code.replace(".", "").strip()
    for length in (6, 4, 2):
        value = units.usd_per_kg.get(digits[:length])
        if value is not None:
            return digits[:length], value
    return None


def _evaluate(condition: Condition, facts: DeclarationFacts, units: UnitValues) -> list[str]:
    """Why the condition holds (one or more details), or [] when it does not."""
    match condition:
        case HsChapterCondition(chapters=chapters):
            return [
                f"item {n}: {i.hs_code} is in chapter {_chapter(i.hs_code)}"
                for n, i in enumerate(facts.items, 1)
                if _chapter(i.hs_code) in chapters
            ]
        case HsPrefixCondition(prefixes=prefixes):
            return [
                f"item {n}: {i.hs_code}"
                for n, i in enumerate(facts.items, 1)
                if i.hs_code.replace(".", "").startswith(tuple(prefixes))
            ]
        case OriginCountryCondition(countries=countries):
            return [f"origin {facts.origin_country}"] if facts.origin_country in countries else []
        case DestinationCountryCondition(countries=countries):
            hit = facts.destination_country in countries
            return [f"destination {facts.destination_country}"] if hit else []
        case RegimeCondition(regimes=regimes):
            return [f"regime {facts.regime}"] if Regime(facts.regime) in regimes else []
        case ValuePerKgCondition(fraction=fraction):
            details = []
            for n, item in enumerate(facts.items, 1):
                declared, reference = _usd_per_kg(item, units), _reference(item.hs_code, units)
                if declared is None or reference is None:
                    continue
                prefix, usd = reference
                if declared < fraction * usd:
                    details.append(
                        f"item {n}: {item.hs_code} declared {declared:.3g} USD/kg, under "
                        f"{fraction:.0%} of the reference {usd:g} USD/kg for {prefix}"
                    )
            return details
        case FlagCondition(kind=kind):
            return [kind.replace("_", " ")] if getattr(facts, kind) else []
        case AllOfCondition(conditions=conditions):
            details: list[str] = []
            for sub in conditions:
                found = _evaluate(sub, facts, units)
                if not found:
                    return []
                details.extend(found)
            return details
    raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover


def assess_risk(
    facts: DeclarationFacts,
    profile: RiskProfile,
    *,
    seed: int,
    capacity: CapacityState | None = None,
) -> RiskDecision:
    """The lane for a declaration: the highest lane among rule hits and the random selection."""
    units = profile.unit_values
    reasons: list[LaneReason] = []
    for rule in profile.rules:
        if not rule.enabled:
            continue
        details = _evaluate(rule.condition, facts, units)
        if details and rule.rate is not None:
            own = rule_draw(seed, rule.id)
            if own >= rule.rate:
                continue
            details.append(f"selected at a rate of {rule.rate:.0%}: draw {own:.4f}")
        if details:
            reasons.append(LaneReason(rule.id, rule.lane, f"{rule.reason} ({'; '.join(details)})"))

    draw = draw_from_seed(seed)
    suppressed: list[LaneReason] = []
    limits = dict(profile.capacity_share)
    if capacity is not None and capacity.capacity_share is not None:
        limits.update(capacity.capacity_share)
    lower = 0.0
    for selection in sorted(profile.random_selections, key=lambda s: -s.lane.rank):
        upper = lower + selection.rate
        if lower <= draw < upper:
            reason = LaneReason(
                f"random-{selection.lane}",
                selection.lane,
                f"{selection.reason} (draw {draw:.4f} in [{lower:.4f}, {upper:.4f}))",
            )
            limit = limits.get(selection.lane)
            full = capacity is not None and limit is not None
            if full and capacity.share(selection.lane) >= limit:
                suppressed.append(reason)
            else:
                reasons.append(reason)
        lower = upper

    lane = max((r.lane for r in reasons), key=lambda lane: lane.rank, default=Lane.GREEN)
    ordered = tuple(sorted(reasons, key=lambda r: -r.lane.rank))
    return RiskDecision(lane=lane, reasons=ordered, random_draw=draw, suppressed=tuple(suppressed))
