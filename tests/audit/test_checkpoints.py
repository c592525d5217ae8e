"""Signed checkpoints: a rewrite (an edited record, every later hash recomputed) and a cut tail
pass the chain check alone and fail against the last checkpoint; a forged checkpoint and an
unreadable record are reported cleanly."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from typer.testing import CliRunner

from borderpost.audit import checkpoints
from borderpost.audit import service as audit
from borderpost.audit.canonical import digest
from borderpost.audit.models import AuditRecord
from borderpost.auth.permissions import Role
from borderpost.cli.main import app as cli
from borderpost.db import Database
from tests.audit.test_audit import populate, tamper
from tests.conftest import Api, LiveServer, create_role_users, settings_for

runner = CliRunner()


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_database: Database) -> Database:
    """A database with a few records, and the key and checkpoints file set in the environment."""
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    monkeypatch.setenv("BORDERPOST_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.setenv("BORDERPOST_AUDIT_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    (tmp_path / "keys").mkdir()
    made = runner.invoke(cli, ["audit", "keygen"])
    assert made.exit_code == 0, made.output
    populate(fresh_database, 3)
    return fresh_database


def verify() -> tuple[int, dict]:
    result = runner.invoke(cli, ["audit", "verify"])
    return result.exit_code, json.loads(result.stdout.splitlines()[0])


def checkpoint() -> dict:
    result = runner.invoke(cli, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.splitlines()[-1])


def rewrite(db: Database, record_id: int, actor: str) -> None:
    """Edit one record and recompute its hash and every later one: the chain stays consistent."""
    with db.reader() as s:
        rows = list(s.scalars(select(AuditRecord).order_by(AuditRecord.id)))
    prev = rows[record_id - 2].hash if record_id > 1 else audit.GENESIS
    statements = []
    for rec in rows[record_id - 1 :]:
        fields = audit._fields(rec)
        if rec.id == record_id:
            fields["actor"] = actor
        new_hash = digest(prev, fields)
        statements.append(
            f"UPDATE audit_record SET actor = '{fields['actor']}', prev_hash = '{prev}', "
            f"hash = '{new_hash}' WHERE id = {rec.id}"
        )
        prev = new_hash
    # hashes are unique: move them all aside first
    tamper(db, f"UPDATE audit_record SET hash = 'x' || id WHERE id >= {record_id}")
    for statement in statements:
        tamper(db, statement)


def test_the_key_is_private_and_never_overwritten(keyed: Database, tmp_path: Path):
    key = tmp_path / "keys" / "audit.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "keys" / "audit.key.pub").read_text().startswith("-----BEGIN PUBLIC KEY")
    again = runner.invoke(cli, ["audit", "keygen"])
    assert again.exit_code == 2 and "exists already" in again.output


def test_a_rewrite_with_recomputed_hashes_fails_against_the_checkpoint(keyed: Database):
    signed = checkpoint()
    assert signed["records"] == 4 and len(signed["head"]) == 64
    assert verify()[0] == 0
    rewrite(keyed, 2, "an innocent clerk")
    with keyed.reader() as s:
        assert audit.verify(s).ok, "the chain alone no longer sees it"
    code, report = verify()
    assert code == 1 and report["ok"] is False
    assert "rewritten" in report["problem"] and report["first_bad_id"] == 4
    assert report["checkpoint"]["records"] == 4


def test_a_cut_tail_fails_against_the_checkpoint(keyed: Database):
    checkpoint()
    tamper(keyed, "DELETE FROM audit_record WHERE id = 4")
    with keyed.reader() as s:
        assert audit.verify(s).ok, "a clean cut keeps the chain consistent"
    code, report = verify()
    assert code == 1 and "cut short" in report["problem"] and report["records"] == 3


def test_records_after_the_checkpoint_verify_and_a_new_checkpoint_covers_them(keyed: Database):
    checkpoint()
    populate_more(keyed)
    code, report = verify()
    assert code == 0 and report["records"] == 5 and report["checkpoint"]["records"] == 4
    assert checkpoint()["records"] == 5


def populate_more(db: Database) -> None:
    from borderpost.auth.service import SYSTEM
    from borderpost.crossing import service as crossings

    with db.transaction() as s:
        crossings.publish_statement(
            s,
            crossing=crossings.get_crossing(s, "IQ-AUDIT"),
            text_en="Open",
            text_ar="مفتوح",
            actor=SYSTEM,
        )


def test_a_forged_checkpoint_is_reported(keyed: Database, tmp_path: Path):
    signed = checkpoint()
    forged = {**signed, "records": 3}  # claims less, to hide a cut: the signature breaks
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(path.read_text() + json.dumps(forged) + "\n")
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1 and "signature does not match" in result.output
    assert "Traceback" not in result.output


def test_checkpoint_refuses_to_sign_a_broken_chain(keyed: Database):
    tamper(keyed, "UPDATE audit_record SET actor = 'x' WHERE id = 2")
    result = runner.invoke(cli, ["audit", "checkpoint"])
    assert result.exit_code == 1 and "not signing" in result.output


def test_export_writes_the_checked_checkpoints(keyed: Database, tmp_path: Path):
    checkpoint()
    checkpoint()
    out = tmp_path / "export.jsonl"
    result = runner.invoke(cli, ["audit", "export-checkpoints", str(out)])
    assert result.exit_code == 0, result.output
    public = checkpoints.load_public_key(tmp_path / "keys" / "audit.key.pub")
    exported = checkpoints.read(out, public)
    assert [c.records for c in exported] == [4, 4]


def test_an_unreadable_record_is_a_clean_message(fresh_database: Database, monkeypatch):
    if fresh_database.dialect != "sqlite":
        pytest.skip("PostgreSQL's json type refuses malformed text: no record can become so")
    populate(fresh_database, 2)
    tamper(fresh_database, "UPDATE audit_record SET after = '{not json' WHERE id = 2")
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert report["first_bad_id"] == 2 and "cannot be read" in report["problem"]
    assert "Traceback" not in result.output


def test_verify_of_an_unreachable_database_is_a_clean_message(monkeypatch):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", "sqlite:////nonexistent-directory/x.db")
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 2 and "cannot read the audit log" in result.output
    assert "Traceback" not in result.output


def test_the_api_verifies_against_the_checkpoint_with_the_public_key_only(
    keyed: Database, tmp_path: Path
):
    checkpoint()
    settings = settings_for(keyed).model_copy(
        update={
            "audit_key_file": tmp_path / "keys" / "audit.key.pub",
            "audit_checkpoint_file": tmp_path / "checkpoints.jsonl",
        }
    )
    server = LiveServer(keyed, settings)
    try:
        client = Api(server, create_role_users(keyed))
        intact = client.get("/audit/verify", Role.AUDITOR).json()
        assert intact["ok"] and intact["checkpoint"]["records"] == 4
        tamper(keyed, "DELETE FROM audit_record WHERE id > 3")
        cut = client.get("/audit/verify", Role.AUDITOR).json()
        assert cut["ok"] is False and "cut short" in cut["problem"]
        client.http.close()
    finally:
        server.stop()


def test_the_signature_covers_every_claim():
    key = Ed25519PrivateKey.generate()
    signed = checkpoints.sign(key, records=7, head="a" * 64)
    key.public_key().verify(base64.b64decode(signed.signature), signed.signed_bytes())
    for field, value in (("records", 8), ("head", "b" * 64), ("at", "2020-01-01T00:00:00Z")):
        other = dataclasses.replace(signed, **{field: value})
        with pytest.raises(InvalidSignature):
            key.public_key().verify(base64.b64decode(other.signature), other.signed_bytes())
