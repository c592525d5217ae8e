"""admission: permits, document alerts, watchlist purpose, the movement's permit and stay, the
driver's movement on a truck visit

Revision ID: a7d3c91e4b58
Revises: 6c1f0d2e9a41
Create Date: 2026-12-01 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import borderpost.db

revision: str = "a7d3c91e4b58"
down_revision: str | None = "a13c1ea2ce01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "permit",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("holder_document_number", sa.String(length=20), nullable=False),
        sa.Column("holder_issuing_state", sa.String(length=3), nullable=False),
        sa.Column("holder_nationality", sa.String(length=3), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("stay_days", sa.Integer(), nullable=True),
        sa.Column("entries", sa.String(length=8), nullable=False),
        sa.Column("used_by_movement_id", sa.String(length=32), nullable=True),
        sa.Column("used_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=100), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permit")),
        sa.UniqueConstraint(
            "issuing_state", "kind", "number", name=op.f("uq_permit_issuing_state_kind_number")
        ),
    )
    op.create_index(
        "ix_permit_holder_document",
        "permit",
        ["holder_issuing_state", "holder_document_number"],
        unique=False,
    )
    op.create_table(
        "document_alert",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("document_number", sa.String(length=20), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_alert")),
        sa.UniqueConstraint(
            "issuing_state",
            "document_number",
            "source",
            name=op.f("uq_document_alert_issuing_state_document_number_source"),
        ),
    )
    with op.batch_alter_table("watchlist", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=16), server_default="screening", nullable=False)
        )
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permit_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("stay_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("overstay_days", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("point", sa.String(length=8), server_default="land", nullable=False)
        )
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("driver_movement_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("driver_movement", sa.JSON(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_truck_visit_driver_movement_id"), ["driver_movement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_truck_visit_driver_movement_id"))
        batch_op.drop_column("driver_movement")
        batch_op.drop_column("driver_movement_id")
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.drop_column("point")
        batch_op.drop_column("overstay_days")
        batch_op.drop_column("stay_until")
        batch_op.drop_column("permit_id")
    with op.batch_alter_table("watchlist", schema=None) as batch_op:
        batch_op.drop_column("purpose")
    op.drop_table("document_alert")
    op.drop_index("ix_permit_holder_document", table_name="permit")
    op.drop_table("permit")
