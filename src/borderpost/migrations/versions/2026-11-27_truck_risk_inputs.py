"""truck visit: the risk inputs that decided the lane (trader history, screening, recent lanes)

Revision ID: b8a9e3b3272b
Revises: 54ba63e4533d
Create Date: 2026-11-27 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8a9e3b3272b"
down_revision: str | None = "54ba63e4533d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL on the visits recorded before: what decided their lanes was not kept.
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_inputs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("truck_visit", schema=None) as batch_op:
        batch_op.drop_column("risk_inputs")
