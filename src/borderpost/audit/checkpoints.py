"""Signed checkpoints of the audit chain's head, so a rewrite or a cut tail is caught.

The hash chain alone catches an edited record, but not someone with write access to the
database who edits a record and recomputes every later hash, nor a tail cut off cleanly. A
checkpoint is `{records, head, at}` signed with an Ed25519 key that is kept apart from the
database (another disk, another host, an operator's token): whoever can rewrite the database
cannot sign a new checkpoint. `verify` then checks that record number `records` still exists and
still has hash `head`. The checkpoints file is JSON lines, appended by `borderpost audit
checkpoint` (for instance hourly from cron) and exported to other hosts with `borderpost audit
export-checkpoints`; a forged or edited line fails its signature and is reported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from borderpost.audit.canonical import canonical, jsonable
from borderpost.db import utcnow

# What is signed starts with this, so a signature made for anything else never passes here.
CONTEXT = b"borderpost-audit-checkpoint-v1\n"


class CheckpointError(Exception):
    """A key or checkpoint file that cannot be used; the message is for the operator."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    records: int
    head: str
    at: str
    key_id: str
    signature: str

    def signed_bytes(self) -> bytes:
        fields = {"records": self.records, "head": self.head, "at": self.at}
        return CONTEXT + canonical(fields).encode()

    def to_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


# --- keys -----------------------------------------------------------------------------------


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_key(path: Path) -> Path:
    """A new private key at `path` (mode 0600, never overwritten) and its public key beside it
    (`.pub`), which auditors use to check checkpoints without being able to make them."""
    if path.exists():
        raise CheckpointError(f"{path} exists already: a checkpoint key is never overwritten")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path = path.with_name(path.name + ".pub")
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise CheckpointError(f"cannot read the checkpoint key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The public key from a public key file, or from the private key file itself."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointError(f"cannot read the key {path}: {exc.strerror}") from None
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"cannot read the public key {path}: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


# --- checkpoints ----------------------------------------------------------------------------


def sign(key: Ed25519PrivateKey, *, records: int, head: str) -> Checkpoint:
    unsigned = Checkpoint(records, head, str(jsonable(utcnow())), key_id(key.public_key()), "")
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    return Checkpoint(records, head, unsigned.at, unsigned.key_id, signature)


def append(path: Path, checkpoint: Checkpoint) -> None:
    """Append one line and make it durable before returning."""
    with path.open("a", encoding="utf-8") as out:
        out.write(checkpoint.to_line() + "\n")
        out.flush()
        os.fsync(out.fileno())


def read(path: Path, public: Ed25519PublicKey) -> list[Checkpoint]:
    """Every checkpoint of the file, each signature checked; a bad line is an error (it is a
    forgery, an edit or a file damaged: in each case the operator must look)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"cannot read the checkpoints file {path}: {exc}") from None
    found: list[Checkpoint] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(
                records=int(fields["records"]),
                head=str(fields["head"]),
                at=str(fields["at"]),
                key_id=str(fields["key_id"]),
                signature=str(fields["signature"]),
            )
            public.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_bytes())
        except InvalidSignature:
            raise CheckpointError(
                f"{path} line {number}: the signature does not match (forged or edited, "
                "or signed with another key)"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{path} line {number}: not a checkpoint ({exc})") from None
        found.append(checkpoint)
    return found


def latest(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    """The checkpoint that covers the most records: the strongest claim to check."""
    return max(checkpoints, key=lambda c: c.records, default=None)


def configured_latest(checkpoint_file: Path | None, key_file: Path | None) -> Checkpoint | None:
    """The last signed checkpoint when a checkpoints file and a key are given (the public key is
    enough), None when checkpoints are not set up."""
    if checkpoint_file is None or key_file is None:
        return None
    return latest(read(checkpoint_file, load_public_key(key_file)))
