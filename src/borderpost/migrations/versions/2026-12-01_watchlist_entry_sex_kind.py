"""watchlist entry: sex (a fact screening weighs) and kind (a person or a listed entity)

Revision ID: 5e7a2c9d4b18
Revises: 6c1f0d2e9a41
Create Date: 2026-12-01 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e7a2c9d4b18"
down_revision: str | None = "5e3a9c1d7b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Entries imported before are people (only people were imported) with no sex recorded.
    with op.batch_alter_table("watchlist_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="person")
        )


def downgrade() -> None:
    with op.batch_alter_table("watchlist_entry", schema=None) as batch_op:
        batch_op.drop_column("kind")
        batch_op.drop_column("sex")
