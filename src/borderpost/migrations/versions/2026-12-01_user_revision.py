"""user_account.revision: bumped by every change to an account, read by the cached token check

Revision ID: 3f8b2d6c1a94
Revises: a7d3c91e4b58
Create Date: 2026-12-01 18:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f8b2d6c1a94"
down_revision: str | None = "a7d3c91e4b58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("revision")
