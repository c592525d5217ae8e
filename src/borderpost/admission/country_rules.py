"""A state's rules of admission, read from `countries/<STATE>.json` (one file per state).

The files are data a supervisor reads (the country-rules page shows them, sources included) and
an administrator changes by editing the file and restarting the server; the code never holds a
country's list. A state with no file gets the strictest reading: its own nationals are citizens,
every foreigner needs a permit, drivers too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

COUNTRIES_DIR = Path(__file__).with_name("countries")


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    says: str
    retrieved_on: str


@dataclass(frozen=True, slots=True)
class CountryRules:
    state: str
    name: str
    citizens: frozenset[str]  # nationalities (MRZ codes) that are this state's citizens
    visa_exempt: dict[str, int]  # nationality -> days a visa-exempt visitor may stay
    default_stay_days: int  # the stay of a permit that names no stay days
    transfer_zone_drivers_need_visa: bool  # truck drivers who stay in the customs zone
    visa_on_arrival_at_land_crossings: bool
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed_on: str | None = None
    from_file: bool = field(default=True)

    def is_citizen(self, nationality: str) -> bool:
        return nationality in self.citizens

    def exempt_stay_days(self, nationality: str) -> int | None:
        """Days a visa-exempt national may stay, None when the nationality needs a permit."""
        return self.visa_exempt.get(nationality)


def _parse(data: dict[str, Any]) -> CountryRules:
    return CountryRules(
        state=str(data["state"]),
        name=str(data["name"]),
        citizens=frozenset(data["citizens"]),
        visa_exempt={str(k): int(v) for k, v in data.get("visa_exempt", {}).items()},
        default_stay_days=int(data["default_stay_days"]),
        transfer_zone_drivers_need_visa=bool(data["transfer_zone_drivers_need_visa"]),
        visa_on_arrival_at_land_crossings=bool(data.get("visa_on_arrival_at_land_crossings")),
        notes=tuple(data.get("notes", ())),
        sources=tuple(Source(**s) for s in data.get("sources", ())),
        reviewed_on=data.get("reviewed_on"),
    )


@cache
def rules_for(state: str) -> CountryRules:
    path = COUNTRIES_DIR / f"{state}.json"
    if not path.is_file():
        return CountryRules(
            state=state,
            name=state,
            citizens=frozenset({state}),
            visa_exempt={},
            default_stay_days=30,
            transfer_zone_drivers_need_visa=True,
            visa_on_arrival_at_land_crossings=False,
            notes=(f"No rules file for {state}: every foreigner needs a permit.",),
            from_file=False,
        )
    return _parse(json.loads(path.read_text(encoding="utf-8")))


def known_states() -> list[str]:
    return sorted(p.stem for p in COUNTRIES_DIR.glob("*.json"))
