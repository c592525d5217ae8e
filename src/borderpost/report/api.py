from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.crossing import service as crossings
from borderpost.problems import problem_responses
from borderpost.report import public, statistics
from borderpost.report.cargo_statistics import cargo_statistics
from borderpost.report.schemas import (
    CrossingStatistics,
    GroupArrivalStatistics,
    PassengerStatistics,
    PublicCrossing,
)
from borderpost.transaction import Reader, public_reader, reading
from borderpost.validation import report_day

public_router = APIRouter(prefix="/public", tags=["public"], responses=problem_responses(404))
router = APIRouter(tags=["statistics"], responses=problem_responses(401, 403, 404, 422))


def _public_answer(request: Request, key: str, compute: Callable[[], Any]) -> Response:
    answers: public.PublicAnswers = request.app.state.public_answers
    body, age = answers.get(key, lambda: json.dumps(jsonable_encoder(compute())).encode())
    return Response(
        body,
        media_type="application/json",
        # what is left of the period, so a proxy never serves it older than the period
        headers={"Cache-Control": f"public, max-age={max(0, int(answers.seconds - age))}"},
    )


@public_router.get("/crossings", response_model=list[PublicCrossing])
def public_crossings(request: Request, db: Session = Depends(public_reader)) -> Response:
    return _public_answer(request, "*", lambda: public.public_crossings(db))


@public_router.get("/crossings/{code}", response_model=PublicCrossing)
def public_crossing(code: str, request: Request, db: Session = Depends(public_reader)) -> Response:
    crossing = crossings.get_crossing(db, code)  # 404 for an unknown code, never cached
    return _public_answer(request, crossing.code, lambda: public.public_crossing(db, crossing))


@router.get(
    "/crossings/{code}/statistics",
    response_model=CrossingStatistics,
    response_model_by_alias=True,
)
def crossing_statistics(
    code: str,
    from_: Annotated[
        date | None, Query(alias="from", description="First day, at the crossing (YYYY-MM-DD)")
    ] = None,
    to: Annotated[date | None, Query(description="Last day, included (YYYY-MM-DD)")] = None,
    r: Reader = Depends(reading(P.STATISTICS_READ)),
) -> CrossingStatistics:
    """Passenger movements by direction, decision and nationality; trucks by direction, lane and
    HS chapter with mass and value; group arrivals by custody. Days are the crossing's own."""
    from_, to = report_day("from", from_), report_day("to", to)
    if from_ and to and to < from_:
        raise errors.invalid("to", "is before from")
    crossing = crossings.get_crossing(r.db, code)
    period = statistics.period_of(crossing, from_, to)
    return CrossingStatistics(
        crossing=crossing.code,
        from_=from_,
        to=to,
        passengers=PassengerStatistics.model_validate(
            statistics.passenger_statistics(r.db, crossing, period)
        ),
        cargo=cargo_statistics(r.db, crossing=crossing, start=period.start, end=period.end),
        group_arrivals=GroupArrivalStatistics.model_validate(
            statistics.group_arrival_statistics(r.db, crossing, period)
        ),
    )
