"""HTTP routes of the admission domain: permits, document alerts, the country rules."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response

from borderpost import errors
from borderpost.admission import service
from borderpost.admission.country_rules import known_states, rules_for
from borderpost.admission.models import DocumentAlert, Permit
from borderpost.admission.schemas import (
    AlertCreate,
    AlertPage,
    AlertRead,
    CancellationCreate,
    HolderRead,
    ImportReport,
    PermitCreate,
    PermitPage,
    PermitRead,
    RejectedRow,
)
from borderpost.auth.permissions import Permission as P
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing

router = APIRouter(tags=["admission"], responses=problem_responses(401, 403, 422))
MAX_UPLOAD = 20 * 1024 * 1024


def permit_read(p: Permit) -> PermitRead:
    return PermitRead(
        id=p.id,
        kind=p.kind,
        number=p.number,
        issuing_state=p.issuing_state,
        holder=HolderRead(
            document_number=p.holder_document_number,
            issuing_state=p.holder_issuing_state,
            nationality=p.holder_nationality,
            surname=p.surname,
            given_names=p.given_names,
            birth_date=p.birth_date,
        ),
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        stay_days=p.stay_days,
        entries=p.entries,
        status=service.permit_status(p),
        used_by_movement_id=p.used_by_movement_id,
        used_at=p.used_at,
        cancelled_at=p.cancelled_at,
        cancelled_by=p.cancelled_by,
        cancel_reason=p.cancel_reason,
        created_at=p.created_at,
        created_by=p.created_by,
    )


def alert_read(a: DocumentAlert) -> AlertRead:
    return AlertRead.model_validate(a, from_attributes=True)


def _upload(file: UploadFile) -> bytes:
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise errors.invalid("file", f"larger than {MAX_UPLOAD // 1024 // 1024} MB")
    return data


def _report(result: service.ImportResult) -> ImportReport:
    return ImportReport(
        imported=result.imported,
        rejected=[RejectedRow(line=line, message=m) for line, m in result.rejected],
    )


@router.post(
    "/permits", status_code=201, response_model=PermitRead, responses=problem_responses(409)
)
def create_permit(body: PermitCreate, tx: Tx = Depends(writing(P.PERMIT_WRITE))) -> Response:
    return tx.done(permit_read(service.create_permit(tx.db, body=body, actor=tx.actor)))


@router.post("/permits/import", response_model=ImportReport)
def import_permits(
    file: Annotated[UploadFile, File(description="CSV: " + ",".join(service.PERMIT_COLUMNS))],
    tx: Tx = Depends(writing(P.PERMIT_WRITE)),
) -> Response:
    result = service.import_permits(tx.db, data=_upload(file), actor=tx.actor)
    return tx.done(_report(result), status_code=200)


@router.get("/permits", response_model=PermitPage)
def list_permits(
    document_number: Annotated[str, Query(min_length=1, max_length=20)],
    issuing_state: Annotated[str, Query(min_length=1, max_length=3)],
    r: Reader = Depends(reading(P.PERMIT_READ)),
) -> PermitPage:
    found = service.permits_of(r.db, document_number=document_number, issuing_state=issuing_state)
    return PermitPage(items=[permit_read(p) for p in found])


@router.post(
    "/permits/{permit_id}/cancellation",
    response_model=PermitRead,
    responses=problem_responses(404, 409),
)
def cancel_permit(
    permit_id: str, body: CancellationCreate, tx: Tx = Depends(writing(P.PERMIT_WRITE))
) -> Response:
    permit = service.cancel_permit(tx.db, permit_id=permit_id, reason=body.reason, actor=tx.actor)
    return tx.done(permit_read(permit), status_code=200)


@router.post(
    "/document-alerts",
    status_code=201,
    response_model=AlertRead,
    responses=problem_responses(409),
)
def create_alert(body: AlertCreate, tx: Tx = Depends(writing(P.DOCUMENT_ALERT_WRITE))) -> Response:
    return tx.done(alert_read(service.create_alert(tx.db, body=body, actor=tx.actor)))


@router.post("/document-alerts/import", response_model=ImportReport)
def import_alerts(
    file: Annotated[UploadFile, File(description="CSV: document_number,issuing_state,kind,source")],
    tx: Tx = Depends(writing(P.DOCUMENT_ALERT_WRITE)),
) -> Response:
    result = service.import_alerts(tx.db, data=_upload(file), actor=tx.actor)
    return tx.done(_report(result), status_code=200)


@router.get("/document-alerts", response_model=AlertPage)
def list_alerts(
    document_number: Annotated[str, Query(min_length=1, max_length=20)],
    issuing_state: Annotated[str, Query(min_length=1, max_length=3)],
    r: Reader = Depends(reading(P.PERMIT_READ)),
) -> AlertPage:
    found = service.alerts_of(r.db, document_number=document_number, issuing_state=issuing_state)
    return AlertPage(items=[alert_read(a) for a in found])


@router.get("/country-rules")
def list_country_rules(r: Reader = Depends(reading(P.PERMIT_READ))) -> list[dict[str, Any]]:
    """Every state's rules of admission as the files hold them, sources included."""
    r.confirm()  # no query needs the session, but a revoked token must still be refused
    return [_rules_json(s) for s in known_states()]


def _rules_json(state: str) -> dict[str, Any]:
    data = asdict(rules_for(state))
    data["citizens"] = sorted(data["citizens"])
    return data
