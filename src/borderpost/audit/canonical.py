"""The bytes a record's hash covers: sha256(previous hash + the record's canonical JSON)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def canonical(fields: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 text as it is."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def around_id(fields: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a record whose id is not known yet, in two parts: keys are sorted,
    so `"id":N` sits between the fields before "id" and those after it, and
    `head + ',"id":' + str(N) + ',' + tail` is the canonical JSON with the id."""
    head = canonical({k: v for k, v in fields.items() if k < "id"})[:-1]
    tail = canonical({k: v for k, v in fields.items() if k > "id"})[1:]
    return head, tail
