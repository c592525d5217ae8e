"""Database triggers that make the audit table append-only on both engines.

The application never updates or deletes audit records; these triggers make sure nobody else does
through the normal connection either. (A database owner can still drop them: `audit verify` is what
catches that.)
"""

from __future__ import annotations

from sqlalchemy import Connection

_SQLITE = [
    """CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
       BEGIN SELECT RAISE(ABORT, 'audit_record is append-only'); END""",
    """CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
       BEGIN SELECT RAISE(ABORT, 'audit_record is append-only'); END""",
]
_POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_record is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_record_no_change BEFORE UPDATE OR DELETE ON audit_record
       FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()""",
    """CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record
       FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()""",
]


def create(bind: Connection) -> None:
    for statement in _POSTGRES if bind.dialect.name == "postgresql" else _SQLITE:
        bind.exec_driver_sql(statement)


def drop(bind: Connection) -> None:
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS audit_record_no_change ON audit_record")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_record")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS audit_record_append_only()")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS audit_record_no_update")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS audit_record_no_delete")
