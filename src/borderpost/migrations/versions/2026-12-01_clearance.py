"""clearance and transit: pre-arrival declarations; transit movements, transfers; humanitarian confirmation on truck visits; declaration amendments; tariff rates with effective dates, payments and guarantees, goods permits, seizure cases and their photos

Revision ID: a13c1ea2ce01
Revises: 6c1f0d2e9a41
Create Date: 2026-12-01 15:03:49.208350
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import borderpost.db

revision: str = "a13c1ea2ce01"
down_revision: str | None = "5e7a2c9d4b18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tariff_rate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hs_prefix", sa.String(length=10), nullable=False),
        sa.Column("duty_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("import_id", sa.String(length=32), nullable=False),
        sa.Column("imported_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_rate")),
    )
    with op.batch_alter_table("tariff_rate", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tariff_rate_prefix_from", ["hs_prefix", "valid_from"], unique=False
        )

    op.create_table(
        "goods_permit",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("item_indexes", sa.JSON(), nullable=True),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_goods_permit_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_permit")),
    )
    with op.batch_alter_table("goods_permit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goods_permit_truck_visit_id"), ["truck_visit_id"], unique=False
        )

    op.create_table(
        "payment",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("amount_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("assessed_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("guarantee_ref", sa.String(length=60), nullable=True),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_payment_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_truck_visit_id"), ["truck_visit_id"], unique=False
        )

    op.create_table(
        "seizure_case",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("driver", sa.JSON(), nullable=False),
        sa.Column("opened_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.Column("handed_over_to", sa.String(length=200), nullable=True),
        sa.Column("handover_note", sa.Text(), nullable=True),
        sa.Column("handed_over_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("handed_over_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_seizure_case_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_case")),
        sa.UniqueConstraint("truck_visit_id", name=op.f("uq_seizure_case_truck_visit_id")),
    )
    op.create_table(
        "case_photo",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["seizure_case.id"], name=op.f("fk_case_photo_case_id_seizure_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_photo")),
    )
    with op.batch_alter_table("case_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_photo_case_id"), ["case_id"], unique=False)

    op.create_table(
        "transit_movement",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.Column("seals", sa.JSON(), nullable=False),
        sa.Column("guarantee_ref", sa.String(length=60), nullable=False),
        sa.Column("office_of_destination", sa.String(length=60), nullable=False),
        sa.Column("opened_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("discharged_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("discharged_by", sa.String(length=100), nullable=True),
        sa.Column("seals_found", sa.JSON(), nullable=True),
        sa.Column("discharge_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_transit_movement_crossing_id_crossing")
        ),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_transit_movement_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transit_movement")),
        sa.UniqueConstraint("truck_visit_id", name=op.f("uq_transit_movement_truck_visit_id")),
    )
    with op.batch_alter_table("transit_movement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transit_movement_crossing_state_due",
            ["crossing_id", "state", "due_at"],
            unique=False,
        )

    op.create_table(
        "declaration_amendment",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("items_before", sa.JSON(), nullable=False),
        sa.Column("items_after", sa.JSON(), nullable=False),
        sa.Column("duties_before_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("duties_after_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("penalty_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_declaration_amendment_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_amendment")),
    )
    with op.batch_alter_table("declaration_amendment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_amendment_truck_visit_id"), ["truck_visit_id"], unique=False
        )

    op.create_table(
        "transfer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("from_truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("to_truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("seals_removed", sa.JSON(), nullable=False),
        sa.Column("seals_applied", sa.JSON(), nullable=False),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_transfer_from_truck_visit_id_truck_visit"),
        ),
        sa.ForeignKeyConstraint(
            ["to_truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_transfer_to_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer")),
        sa.UniqueConstraint("to_truck_visit_id", name=op.f("uq_transfer_to_truck_visit_id")),
    )
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_from_truck_visit_id"), ["from_truck_visit_id"], unique=False
        )

    op.create_table(
        "pre_arrival",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("declaration", sa.JSON(), nullable=False),
        sa.Column("lodged_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lodged_by", sa.String(length=100), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=True),
        sa.Column("arrived_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_pre_arrival_crossing_id_crossing")
        ),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_pre_arrival_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pre_arrival")),
        sa.UniqueConstraint(
            "crossing_id", "number", name=op.f("uq_pre_arrival_crossing_id_number")
        ),
        sa.UniqueConstraint("truck_visit_id", name=op.f("uq_pre_arrival_truck_visit_id")),
    )

    # A self-declared humanitarian load waits for a supervisor's confirmation.
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "humanitarian_confirmed_at", borderpost.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("humanitarian_confirmed_by", sa.String(length=100), nullable=True)
        )


def downgrade() -> None:
    op.drop_table("pre_arrival")
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_from_truck_visit_id"))
    op.drop_table("transfer")
    with op.batch_alter_table("declaration_amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_amendment_truck_visit_id"))
    op.drop_table("declaration_amendment")
    with op.batch_alter_table("transit_movement", schema=None) as batch_op:
        batch_op.drop_index("ix_transit_movement_crossing_state_due")
    op.drop_table("transit_movement")
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.drop_column("humanitarian_confirmed_by")
        batch_op.drop_column("humanitarian_confirmed_at")

    with op.batch_alter_table("case_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_photo_case_id"))

    op.drop_table("case_photo")
    op.drop_table("seizure_case")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_truck_visit_id"))

    op.drop_table("payment")
    with op.batch_alter_table("goods_permit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_permit_truck_visit_id"))

    op.drop_table("goods_permit")
    with op.batch_alter_table("tariff_rate", schema=None) as batch_op:
        batch_op.drop_index("ix_tariff_rate_prefix_from")

    op.drop_table("tariff_rate")
