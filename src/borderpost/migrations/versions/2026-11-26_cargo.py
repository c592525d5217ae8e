"""cargo: truck visits, declaration items, inspections, risk-profile versions, inspection lanes

Revision ID: cd4a53045058
Revises: 422b2329062f
Create Date: 2026-11-26 23:31:35.690463
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import borderpost.db

revision: str = "cd4a53045058"
down_revision: str | None = "422b2329062f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_profile_version",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_risk_profile_version")),
    )
    op.create_table(
        "inspection_lanes",
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.Column("open_lanes", sa.Integer(), nullable=False),
        sa.Column("since", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_inspection_lanes_crossing_id_crossing")
        ),
        sa.PrimaryKeyConstraint("crossing_id", name=op.f("pk_inspection_lanes")),
    )
    op.create_table(
        "truck_visit",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("plate", sa.String(length=20), nullable=False),
        sa.Column("registration_country", sa.String(length=3), nullable=False),
        sa.Column("trailer_plate", sa.String(length=20), nullable=True),
        sa.Column("driver", sa.JSON(), nullable=False),
        sa.Column("driver_screening", sa.JSON(), nullable=False),
        sa.Column("declaration_number", sa.String(length=40), nullable=False),
        sa.Column("regime", sa.String(length=10), nullable=False),
        sa.Column("exporter", sa.String(length=200), nullable=False),
        sa.Column("importer", sa.String(length=200), nullable=False),
        sa.Column("trader_key", sa.String(length=200), nullable=False),
        sa.Column("origin_country", sa.String(length=3), nullable=False),
        sa.Column("destination_country", sa.String(length=3), nullable=False),
        sa.Column("temperature_controlled", sa.Boolean(), nullable=False),
        sa.Column("humanitarian", sa.Boolean(), nullable=False),
        sa.Column("party_screening", sa.JSON(), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=False),
        sa.Column("lane_reasons", sa.JSON(), nullable=False),
        sa.Column("suppressed_reasons", sa.JSON(), nullable=False),
        sa.Column("risk_profile_version", sa.Integer(), nullable=False),
        sa.Column("selection_seed", sa.String(length=20), nullable=False),
        sa.Column("selection_draw", sa.Float(), nullable=False),
        sa.Column("priority_class", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("arrived_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("service_started_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("service_finished_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("released_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("detained_at", borderpost.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("post_clearance_audit", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_truck_visit_crossing_id_crossing")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_truck_visit")),
        sa.UniqueConstraint(
            "crossing_id",
            "declaration_number",
            name=op.f("uq_truck_visit_crossing_id_declaration_number"),
        ),
    )
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_truck_visit_crossing_arrived", ["crossing_id", "arrived_at"], unique=False
        )
        batch_op.create_index(
            "ix_truck_visit_crossing_finished", ["crossing_id", "service_finished_at"], unique=False
        )
        batch_op.create_index(
            "ix_truck_visit_crossing_state", ["crossing_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_truck_visit_crossing_trader", ["crossing_id", "trader_key"], unique=False
        )

    op.create_table(
        "declaration_item",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(length=6), nullable=False),
        sa.Column("hs_chapter", sa.String(length=2), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("gross_grams", sa.BigInteger(), nullable=False),
        sa.Column("value_thousandths", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_declaration_item_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_item")),
        sa.UniqueConstraint(
            "truck_visit_id", "line", name=op.f("uq_declaration_item_truck_visit_id_line")
        ),
    )
    with op.batch_alter_table("declaration_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_item_truck_visit_id"), ["truck_visit_id"], unique=False
        )

    op.create_table(
        "inspection",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("truck_visit_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("started_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["truck_visit_id"],
            ["truck_visit.id"],
            name=op.f("fk_inspection_truck_visit_id_truck_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_truck_visit_id"), ["truck_visit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_truck_visit_id"))

    op.drop_table("inspection")
    with op.batch_alter_table("declaration_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_item_truck_visit_id"))

    op.drop_table("declaration_item")
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.drop_index("ix_truck_visit_crossing_trader")
        batch_op.drop_index("ix_truck_visit_crossing_state")
        batch_op.drop_index("ix_truck_visit_crossing_finished")
        batch_op.drop_index("ix_truck_visit_crossing_arrived")

    op.drop_table("truck_visit")
    op.drop_table("inspection_lanes")
    op.drop_table("risk_profile_version")
