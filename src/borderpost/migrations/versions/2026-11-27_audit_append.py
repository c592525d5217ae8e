"""audit: append to the chain in one call on PostgreSQL (lock, head, hash, insert)

The chain's lock is held until the transaction commits. Taken from Python, it was held through
three more round trips, each waiting for the interpreter lock of a busy server; inside one
function the lock is taken, the head read, the hash computed and the row inserted in one call.

Revision ID: 6c1f0d2e9a41
Revises: b8a9e3b3272b
Create Date: 2026-11-27 02:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6c1f0d2e9a41"
down_revision: str | None = "b8a9e3b3272b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The record's canonical JSON is made by the application with the id left out: `head` is
# everything before `"id":N`, `tail` everything after it (keys are sorted, so the id sits between
# "before" and "subject_id"). The hash is sha256(previous hash + canonical JSON), as audit.verify
# recomputes it. Each statement of a VOLATILE function reads a fresh snapshot, so the head read
# after the lock is the last committed one.
APPEND = """
CREATE FUNCTION audit_record_append(
    p_at timestamptz, p_actor text, p_action text, p_subject_type text, p_subject_id text,
    p_before json, p_after json, p_head text, p_tail text
) RETURNS text AS $$
DECLARE
    prev_id bigint;
    prev_hash text;
    new_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(7305202411);
    SELECT id, hash INTO prev_id, prev_hash FROM audit_record ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        prev_id := 0;
        prev_hash := repeat('0', 64);
    END IF;
    new_hash := encode(sha256(convert_to(
        prev_hash || p_head || ',"id":' || (prev_id + 1)::text || ',' || p_tail, 'UTF8')), 'hex');
    INSERT INTO audit_record
        (id, at, actor, action, subject_type, subject_id, before, after, prev_hash, hash)
    VALUES (prev_id + 1, p_at, p_actor, p_action, p_subject_type, p_subject_id, p_before,
            p_after, prev_hash, new_hash);
    RETURN new_hash;
END
$$ LANGUAGE plpgsql VOLATILE
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION audit_record_append("
            "timestamptz, text, text, text, text, json, json, text, text)"
        )
