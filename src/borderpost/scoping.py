"""The scope guard of the request edges (transaction.py for the API, web/edge.py for the pages).

Every route that names a crossing, or a record of one, in its path is kept to the caller's scope
(auth/scope.py) before its work starts: the edge looks up the crossing of each path parameter
below and refuses with 403 `/out-of-scope`. Routes whose permission is in UNSCOPED (what every
role may read of any crossing: its status, history, incidents, queue, assessments) are not.

A new route needs nothing more when its path parameters are named as here. A new kind of record
in a path adds its resolver to CROSSING_PARAMS (or, when it belongs to no crossing, its name to
NATIONAL_PARAMS); tests/test_scope.py fails on a parameter that is in neither.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from borderpost.auth import scope
from borderpost.auth.permissions import Permission
from borderpost.auth.service import Actor
from borderpost.cargo.models import TruckVisit
from borderpost.clearance.models import SeizureCase
from borderpost.crossing.models import Assessment, Crossing
from borderpost.plain_sql import PlainStatement
from borderpost.traveller.models import GroupArrival, Movement

UNSCOPED = frozenset({Permission.CROSSING_READ, Permission.SESSION_END})


@dataclass(frozen=True, slots=True)
class Resolver:
    """The crossing of a path parameter: a query built once (scope.guarded, the value bound as
    `value`) and what the value becomes before it is bound."""

    query: PlainStatement
    prepare: Callable[[str], str]


def _of(model: Any) -> Resolver:
    query = (
        scope.crossing_columns()
        .join(model, model.crossing_id == Crossing.id)
        .where(model.id == bindparam("value"))
    )
    return Resolver(scope.guarded(query), lambda value: value[:64])


# path parameter -> the query of the crossing it belongs to
CROSSING_PARAMS: dict[str, Resolver] = {
    "code": Resolver(
        scope.guarded(scope.crossing_columns().where(Crossing.code == bindparam("value"))),
        lambda value: value[:64].upper(),
    ),
    "assessment_id": _of(Assessment),
    "movement_id": _of(Movement),
    "truck_id": _of(TruckVisit),
    "group_id": _of(GroupArrival),
    # a seizure case holds the driver and the goods: the crossing of its truck
    "case_id": Resolver(
        scope.guarded(
            scope.crossing_columns()
            .join(TruckVisit, TruckVisit.crossing_id == Crossing.id)
            .join(SeizureCase, SeizureCase.truck_visit_id == TruckVisit.id)
            .where(SeizureCase.id == bindparam("value"))
        ),
        lambda value: value[:64],
    ),
}
# path parameters of what belongs to no crossing (national lists, accounts, static files)
# (permits are the state's list, like watchlists; a transit is discharged by the office of
# destination, which may be another crossing or an inland office; a photo and a pre-arrival
# number come after the case or crossing that their path already names and checks)
NATIONAL_PARAMS = frozenset(
    {
        "watchlist_id",
        "user_id",
        "version",
        "path",
        "username",
        "permit_id",
        "transit_id",
        "photo_id",
        "number",
    }
)


def check_route(
    db: Session, actor: Actor, permission: Permission | None, params: Mapping[str, Any]
) -> str | None:
    """403 `/out-of-scope` unless every crossing the path names is in the actor's scope;
    returns the id of the crossing checked (None when the path names none, or none exists)."""
    if permission is None or permission in UNSCOPED:
        return None
    checked = None
    for name, value in params.items():
        resolver = CROSSING_PARAMS.get(name)
        if resolver is not None:
            crossing = scope.require(
                db, actor, resolver.query, {"value": resolver.prepare(str(value))}
            )
            checked = crossing.id if crossing else checked
    return checked
