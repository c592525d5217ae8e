"""The declaration's items replaced after a discrepancy (clearance decides whether, and what it
costs; this module owns the items table)."""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from borderpost.cargo.models import DeclarationItem, TruckVisit
from borderpost.cargo.records import to_thousandths
from borderpost.cargo.schemas import ItemIn


def replace_items(db: Session, *, truck: TruckVisit, items: list[ItemIn]) -> None:
    db.execute(delete(DeclarationItem).where(DeclarationItem.truck_visit_id == truck.id))
    db.execute(
        insert(DeclarationItem),
        [
            {
                "truck_visit_id": truck.id,
                "line": n,
                "hs_code": i.hs_code,
                "hs_chapter": i.hs_code[:2],
                "description": i.description,
                "quantity_thousandths": to_thousandths(i.quantity),
                "unit": i.unit.value,
                "gross_grams": to_thousandths(i.gross_kg),
                "value_thousandths": to_thousandths(i.value),
                "currency": i.currency,
            }
            for n, i in enumerate(items, start=1)
        ],
    )
