"""An empty database upgrades to head with no drift from the models, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from borderpost.db import Database
from borderpost.models import metadata


def test_migrations_match_the_models(fresh_database: Database):
    # fresh_database was built by running every migration on an empty database.
    with fresh_database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_idempotent(fresh_database: Database):
    from borderpost.migrations.run import upgrade

    upgrade(fresh_database.engine)  # already at head: nothing to do, nothing fails
