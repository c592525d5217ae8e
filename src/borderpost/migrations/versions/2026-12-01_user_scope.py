"""scope of a user (crossings they are kept to) and the access log of personal data

Officers at a crossing now need a country: an existing officer without one is given the
country of the crossings when every crossing is of one country (a one-state installation, the
usual case); otherwise they stay without and act on no crossing until an administrator sets it.

Revision ID: 5e3a9c1d7b20
Revises: 6c1f0d2e9a41
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import borderpost.db

revision: str = "5e3a9c1d7b20"
down_revision: str | None = "b7e2c4a91f03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCESS_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "user_crossing",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_user_crossing_crossing_id_crossing")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_crossing_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "crossing_id", name=op.f("pk_user_crossing")),
    )
    op.create_table(
        "access_record",
        sa.Column("id", ACCESS_ID, autoincrement=True, nullable=False),
        sa.Column("accessed_at", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("crossing_id", sa.String(length=32), nullable=True),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_record")),
    )
    op.create_index(
        op.f("ix_access_record_accessed_at"), "access_record", ["accessed_at"], unique=False
    )
    op.create_index(
        "ix_access_record_subject", "access_record", ["subject_type", "subject_id"], unique=False
    )
    op.create_index("ix_access_record_user", "access_record", ["user_id", "id"], unique=False)

    bind = op.get_bind()
    countries = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT country FROM crossing"))]
    if len(countries) == 1:
        bind.execute(
            sa.text(
                "UPDATE user_account SET country = :country WHERE country IS NULL AND role IN "
                "('supervisor', 'immigration', 'customs', 'security')"
            ),
            {"country": countries[0]},
        )


def downgrade() -> None:
    op.drop_index("ix_access_record_user", table_name="access_record")
    op.drop_index("ix_access_record_subject", table_name="access_record")
    op.drop_index(op.f("ix_access_record_accessed_at"), table_name="access_record")
    op.drop_table("access_record")
    op.drop_table("user_crossing")
