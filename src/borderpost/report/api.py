from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from borderpost.crossing import service as crossings
from borderpost.problems import problem_responses
from borderpost.report import public
from borderpost.report.schemas import PublicCrossing
from borderpost.transaction import public_reader

public_router = APIRouter(prefix="/public", tags=["public"], responses=problem_responses(404))


@public_router.get("/crossings", response_model=list[PublicCrossing])
def public_crossings(db: Session = Depends(public_reader)) -> list[PublicCrossing]:
    return public.public_crossings(db)


@public_router.get("/crossings/{code}", response_model=PublicCrossing)
def public_crossing(code: str, db: Session = Depends(public_reader)) -> PublicCrossing:
    return public.public_crossing(db, crossings.get_crossing(db, code))
