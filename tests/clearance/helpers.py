"""Clearing a truck over HTTP in the tests: permits for the items that need them, what is due."""

from __future__ import annotations

import uuid

from borderpost.auth.permissions import Role
from tests.conftest import Api


def receipt() -> str:
    return f"RC-{uuid.uuid4().hex[:12].upper()}"


def settle(api: Api, truck_id: str) -> dict:
    """Present the permits the assessment lists as missing, a guarantee for a transit's duties,
    and a receipt for what is due; the assessment after."""
    assessment = api.get(f"/trucks/{truck_id}/assessment", Role.CUSTOMS).json()
    for need in assessment["permits_missing"]:
        body = {"kind": need["kind"], "number": receipt(), "issued_by": need["issued_by"],
                "item_indexes": [need["item_index"]]}  # fmt: skip
        response = api.post(f"/trucks/{truck_id}/permits", Role.CUSTOMS, body)
        assert response.status_code == 201, response.text
    missing_guarantee = assessment["guarantee_required"] - assessment["guaranteed"]
    if missing_guarantee > 0:
        body = {"receipt_number": receipt(), "amount": missing_guarantee, "currency": "IQD",
                "method": "guarantee", "guarantee_ref": "TIR-" + receipt()}  # fmt: skip
        response = api.post(f"/trucks/{truck_id}/payments", Role.CUSTOMS, body)
        assert response.status_code == 201, response.text
    if assessment["due"] > 0:
        body = {"receipt_number": receipt(), "amount": assessment["due"], "currency": "IQD",
                "method": "electronic"}  # fmt: skip
        response = api.post(f"/trucks/{truck_id}/payments", Role.CUSTOMS, body)
        assert response.status_code == 201, response.text
    return api.get(f"/trucks/{truck_id}/assessment", Role.CUSTOMS).json()
