"""Watchlists, their imports and name search over HTTP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.problems import problem_responses
from borderpost.screening import service
from borderpost.screening.models import Watchlist
from borderpost.screening.schemas import (
    ImportFormat,
    ImportReport,
    RejectedRow,
    SearchMatch,
    SearchRequest,
    SearchResult,
    WatchlistCreate,
    WatchlistRead,
)
from borderpost.transaction import Reader, Tx, reading, writing

router = APIRouter(tags=["screening"], responses=problem_responses(401, 403, 422))
MAX_UPLOAD = 200 * 1024 * 1024


def watchlist_read(w: Watchlist) -> WatchlistRead:
    return WatchlistRead.model_validate(w, from_attributes=True)


@router.post(
    "/watchlists", status_code=201, response_model=WatchlistRead, responses=problem_responses(409)
)
def create_watchlist(
    body: WatchlistCreate, tx: Tx = Depends(writing(P.WATCHLIST_WRITE))
) -> Response:
    watchlist = service.create_watchlist(
        tx.db, name=body.name, source=body.source, purpose=body.purpose, actor=tx.actor
    )
    return tx.done(watchlist_read(watchlist))


@router.get("/watchlists", response_model=list[WatchlistRead])
def list_watchlists(r: Reader = Depends(reading(P.WATCHLIST_WRITE))) -> list[WatchlistRead]:
    return [watchlist_read(w) for w in service.list_watchlists(r.db)]


@router.post(
    "/watchlists/{watchlist_id}/import",
    response_model=ImportReport,
    responses=problem_responses(404),
)
def import_watchlist(
    watchlist_id: str,
    file: Annotated[UploadFile, File(description="The list: CSV, FtM JSON lines or UN XML")],
    format: Annotated[ImportFormat | None, Form()] = None,
    tx: Tx = Depends(writing(P.WATCHLIST_WRITE)),
) -> Response:
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise errors.invalid("file", f"larger than {MAX_UPLOAD // 1024 // 1024} MB")
    watchlist = service.get_watchlist(tx.db, watchlist_id)
    result = service.import_watchlist(
        tx.db, watchlist=watchlist, data=data, fmt=format, filename=file.filename, actor=tx.actor
    )
    report = ImportReport(
        imported=result.imported,
        rejected=[RejectedRow(line=line, message=msg) for line, msg in result.rejected],
        warnings=[RejectedRow(line=line, message=msg) for line, msg in result.warnings],
    )
    return tx.done(report, status_code=200)


@router.post("/screening/search", response_model=SearchResult)
def search(body: SearchRequest, r: Reader = Depends(reading(P.SCREENING_SEARCH))) -> SearchResult:
    hits = service.search(
        r.db, name=body.name, birth_date=body.birth_date, nationality=body.nationality
    )
    return SearchResult(
        matches=[
            SearchMatch(
                entry_id=h.entry_id,
                list=h.list,
                name=h.name,
                matched_alias=h.matched_alias,
                score=h.score,
                explanation=list(h.explanation),
            )
            for h in hits
        ]
    )
