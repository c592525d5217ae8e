"""`borderpost audit ...`: verify the chain, make the checkpoint key, sign and export checkpoints.

Exit codes: 0 intact, 1 tampering found (a broken chain, a rewrite or a cut against the last
checkpoint, a forged checkpoint), 2 the check could not run (no database, no key).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from borderpost.config import Settings

if TYPE_CHECKING:
    from borderpost.audit.checkpoints import Checkpoint
    from borderpost.audit.service import Verification

console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _path(given: Path | None, configured: Path | None, what: str, variable: str) -> Path:
    path = given or configured
    if path is None:
        _fail(f"no {what}: give it as an option or set {variable}")
    return path  # type: ignore[return-value]


def _latest_checkpoint(checkpoint_file: Path | None, key_file: Path | None) -> Checkpoint | None:
    """The latest signed checkpoint, or None when checkpoints are not set up."""
    from borderpost.audit import checkpoints

    if checkpoint_file is None:
        return None
    if key_file is None:
        _fail("checkpoints need the key to check them: set BORDERPOST_AUDIT_KEY_FILE")
    try:
        public = checkpoints.load_public_key(key_file)  # type: ignore[arg-type]
        return checkpoints.latest(checkpoints.read(checkpoint_file, public))
    except checkpoints.CheckpointError as exc:
        _fail(str(exc), code=1)
    return None


def _verify(settings: Settings, checkpoint: Checkpoint | None, head: str | None) -> Verification:
    from borderpost.audit import service as audit
    from borderpost.db import Database

    database = Database(settings.database_url)
    try:
        with database.transaction() as db:
            return audit.verify(db, expected_head=head, checkpoint=checkpoint)
    except SQLAlchemyError as exc:
        from borderpost.failures import describe_exception

        kind = describe_exception(exc).splitlines()[-1].split(" ")[0]
        _fail(f"cannot read the audit log from the database ({kind})")
        raise  # unreachable: _fail exits
    finally:
        database.dispose()


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def verify(
        head: str | None = typer.Option(
            None, help="A head hash recorded earlier: catches a log cut short."
        ),
        checkpoints_file: Path | None = typer.Option(
            None,
            "--checkpoints",
            help="Signed checkpoints (default BORDERPOST_AUDIT_CHECKPOINT_FILE).",
        ),
        key: Path | None = typer.Option(
            None, "--key", help="Public (or private) key (default BORDERPOST_AUDIT_KEY_FILE)."
        ),
    ) -> None:
        """Recompute the hash chain and check it against the last signed checkpoint.

        Exit 0 when intact, 1 with the first bad record otherwise, 2 when it cannot be checked."""
        settings = Settings()
        checkpoint = _latest_checkpoint(
            checkpoints_file or settings.audit_checkpoint_file, key or settings.audit_key_file
        )
        result = _verify(settings, checkpoint, head)
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "records": result.records,
                    "head": result.head,
                    "first_bad_id": result.first_bad_id,
                    "problem": result.problem,
                    "checkpoint": {"records": checkpoint.records, "at": checkpoint.at}
                    if checkpoint
                    else None,
                }
            )
        )
        if not result.ok:
            where = f" at record {result.first_bad_id}" if result.first_bad_id else ""
            console.print(f"[red]Audit log not intact[/red]{where}: {result.problem}")
            sys.exit(1)

    @audit_app.command("keygen")
    def keygen(
        key: Path | None = typer.Option(
            None,
            "--key",
            help="Where to write the private key (default BORDERPOST_AUDIT_KEY_FILE).",
        ),
    ) -> None:
        """Make the Ed25519 key that signs checkpoints. Keep it off the database's host or disk."""
        from borderpost.audit import checkpoints

        path = _path(key, Settings().audit_key_file, "key file", "BORDERPOST_AUDIT_KEY_FILE")
        try:
            public = checkpoints.generate_key(path)
        except (checkpoints.CheckpointError, OSError) as exc:
            _fail(str(exc))
        typer.echo(f"private key written to {path} (mode 0600); public key to {public}")

    @audit_app.command("checkpoint")
    def checkpoint(
        key: Path | None = typer.Option(
            None, "--key", help="The private key (default BORDERPOST_AUDIT_KEY_FILE)."
        ),
        out: Path | None = typer.Option(
            None, "--out", help="Checkpoints file (default BORDERPOST_AUDIT_CHECKPOINT_FILE)."
        ),
    ) -> None:
        """Verify the chain, then sign its head and append the checkpoint (run it from cron)."""
        from borderpost.audit import checkpoints

        settings = Settings()
        key_path = _path(key, settings.audit_key_file, "key file", "BORDERPOST_AUDIT_KEY_FILE")
        out_path = _path(
            out,
            settings.audit_checkpoint_file,
            "checkpoints file",
            "BORDERPOST_AUDIT_CHECKPOINT_FILE",
        )
        try:
            private = checkpoints.load_private_key(key_path)
        except checkpoints.CheckpointError as exc:
            _fail(str(exc))
        last = _latest_checkpoint(out_path, key_path)
        result = _verify(settings, last, None)
        if not result.ok:
            _fail(f"not signing a log that is not intact: {result.problem}", code=1)
        signed = checkpoints.sign(private, records=result.records, head=result.head)
        try:
            checkpoints.append(out_path, signed)
        except OSError as exc:
            _fail(f"cannot write {out_path}: {exc.strerror}")
        print(signed.to_line())

    @audit_app.command("export-checkpoints")
    def export_checkpoints(
        destination: Path = typer.Argument(..., help="File to write, '-' for standard output."),
        key: Path | None = typer.Option(None, "--key", help="Default BORDERPOST_AUDIT_KEY_FILE."),
        source: Path | None = typer.Option(
            None, "--checkpoints", help="Default BORDERPOST_AUDIT_CHECKPOINT_FILE."
        ),
    ) -> None:
        """Copy every checkpoint, each signature checked, to keep or send off this host."""
        from borderpost.audit import checkpoints

        settings = Settings()
        key_path = _path(key, settings.audit_key_file, "key file", "BORDERPOST_AUDIT_KEY_FILE")
        source_path = _path(
            source,
            settings.audit_checkpoint_file,
            "checkpoints file",
            "BORDERPOST_AUDIT_CHECKPOINT_FILE",
        )
        try:
            found = checkpoints.read(source_path, checkpoints.load_public_key(key_path))
        except checkpoints.CheckpointError as exc:
            _fail(str(exc), code=1)
        text = "".join(c.to_line() + "\n" for c in found)
        if str(destination) == "-":
            sys.stdout.write(text)
        else:
            destination.write_text(text, encoding="utf-8")
            console.print(f"{len(found)} checkpoints written to {destination}")
