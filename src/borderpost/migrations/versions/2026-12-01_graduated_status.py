"""graduated status: a traffic class's state per direction, with what a restriction allows

Revision ID: b7e2c4a91f03
Revises: 6c1f0d2e9a41
Create Date: 2026-12-01 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import borderpost.db

revision: str = "b7e2c4a91f03"
down_revision: str | None = "6c1f0d2e9a41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIRECTIONS = ("entry", "exit")
_COMMON = ("crossing_id", "traffic", "state", "since", "reason_category", "reason", "change_id")


def _status_table(name: str, *extra: sa.Column) -> sa.Table:
    return sa.table(
        name,
        sa.column("crossing_id", sa.String()),
        sa.column("traffic", sa.String()),
        sa.column("state", sa.String()),
        sa.column("since", borderpost.db.UTCDateTime()),
        sa.column("reason_category", sa.String()),
        sa.column("reason", sa.Text()),
        sa.column("change_id", sa.String()),
        *extra,
    )


def _create_traffic_status(*, directions: bool) -> None:
    key = ["crossing_id", "traffic", "direction"] if directions else ["crossing_id", "traffic"]
    op.create_table(
        "traffic_status",
        sa.Column("crossing_id", sa.String(length=32), nullable=False),
        sa.Column("traffic", sa.String(length=12), nullable=False),
        *([sa.Column("direction", sa.String(length=5), nullable=False)] if directions else []),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("since", borderpost.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason_category", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("change_id", sa.String(length=32), nullable=True),
        *(
            [
                sa.Column("allowed_categories", sa.JSON(), nullable=True),
                sa.Column("allowed_nationalities", sa.JSON(), nullable=True),
            ]
            if directions
            else []
        ),
        sa.ForeignKeyConstraint(
            ["crossing_id"], ["crossing.id"], name=op.f("fk_traffic_status_crossing_id_crossing")
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_traffic_status")),
    )


def upgrade() -> None:
    # Each class's one row becomes two, entry and exit, in the state the class was in. The table
    # holds two rows a crossing: it is rebuilt (a primary key changes the same way on both engines).
    conn = op.get_bind()
    old = _status_table("traffic_status")
    rows = [dict(r._mapping) for r in conn.execute(sa.select(*[old.c[n] for n in _COMMON]))]
    op.drop_table("traffic_status")
    _create_traffic_status(directions=True)
    new = _status_table(
        "traffic_status",
        sa.column("direction", sa.String()),
        sa.column("allowed_categories", sa.JSON()),
        sa.column("allowed_nationalities", sa.JSON()),
    )
    if rows:
        op.bulk_insert(new, [{**r, "direction": d} for r in rows for d in DIRECTIONS])

    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("directions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("previous_directions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("allowed", sa.JSON(), nullable=True))
    changes = sa.table(
        "status_change",
        sa.column("id", sa.String()),
        sa.column("previous", sa.JSON()),
        sa.column("directions", sa.JSON()),
        sa.column("previous_directions", sa.JSON()),
    )
    for change_id, previous in conn.execute(sa.select(changes.c.id, changes.c.previous)).all():
        conn.execute(
            changes.update()
            .where(changes.c.id == change_id)
            .values(
                directions=list(DIRECTIONS),
                previous_directions={t: dict.fromkeys(DIRECTIONS, s) for t, s in previous.items()},
            )
        )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.alter_column("directions", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("previous_directions", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_column("allowed")
        batch_op.drop_column("previous_directions")
        batch_op.drop_column("directions")
    # Back to one row a class: the most open direction's, as v1 showed it.
    conn = op.get_bind()
    table = _status_table("traffic_status", sa.column("direction", sa.String()))
    rows = [dict(r._mapping) for r in conn.execute(sa.select(table))]
    openness = {"open": 2, "restricted": 1, "closed": 0}
    kept: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r["crossing_id"], r["traffic"])
        if key not in kept or openness[r["state"]] > openness[kept[key]["state"]]:
            kept[key] = r
    op.drop_table("traffic_status")
    _create_traffic_status(directions=False)
    if kept:
        plain = [{n: r[n] for n in _COMMON} for r in kept.values()]
        op.bulk_insert(_status_table("traffic_status"), plain)
