"""A group arrival's persons as a CSV upload, read into the same shape as the JSON batch.

Columns (header required, any order; only `surname` is required): surname, given_names,
birth_date (YYYY-MM-DD), nationality, document_type, document_number, document_issuing_state,
rank, unit, wounded (yes/no, true/false, 1/0), custody_status (in_custody, in_hospital,
released), items_surrendered (items separated by `;`, each `kind:description` or
`kind:description:quantity`, kind one of weapon, ammunition, vehicle, equipment, other).
UTF-8, with or without a byte-order mark. One bad row refuses the whole file, the row named.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from borderpost import errors
from borderpost.problems import _field_name, _message
from borderpost.traveller.schemas import MAX_BATCH, PersonCreate

COLUMNS = {
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "document_type",
    "document_number",
    "document_issuing_state",
    "rank",
    "unit",
    "wounded",
    "custody_status",
    "items_surrendered",
}
TRUE, FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}


def parse_persons_csv(data: bytes) -> list[PersonCreate]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.invalid("file", f"not UTF-8 text (byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise errors.invalid("file", "empty file: a header line and 1 to 5,000 persons expected")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "surname" not in header:
        raise errors.invalid(
            "file",
            f"line 1: the header must name the columns {', '.join(sorted(COLUMNS))}"
            f" (surname required); unknown: {', '.join(unknown) or 'none'}",
        )
    reader.fieldnames = header
    persons: list[PersonCreate] = []
    problems: list[errors.FieldError] = []
    for index, row in enumerate(reader):
        line = reader.line_num
        if index >= MAX_BATCH:
            raise errors.invalid(
                "persons", f"more than {MAX_BATCH:,} persons in the file; split it into batches"
            )
        if None in row:
            problems.append(errors.FieldError(f"persons[{index}]", f"line {line}: extra cells"))
            continue
        try:
            persons.append(PersonCreate.model_validate(_person(row, index, line)))
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(
                    errors.FieldError(
                        f"persons[{index}].{_field_name(tuple(e['loc']))}",
                        f"line {line}: {_message(dict(e))}",
                    )
                )
        if len(problems) >= 50:
            break
    if problems:
        raise errors.DomainError(
            f"The file has {len(problems)} invalid cell(s); nothing was registered.",
            slug="invalid-input",
            title="Invalid input",
            status=422,
            errors=problems,
        )
    if not persons:
        raise errors.invalid("persons", "the file has no person: give 1 to 5,000")
    return persons


def _person(row: dict[str, Any], index: int, line: int) -> dict[str, Any]:
    cells = {k: (v or "").strip() for k, v in row.items()}
    person: dict[str, Any] = {"surname": cells.get("surname", "")}
    for name in ("given_names", "rank", "unit"):
        if cells.get(name):
            person[name] = cells[name]
    for name in ("birth_date", "nationality", "custody_status"):
        if cells.get(name):
            person[name] = cells[name]
    if cells.get("document_number"):
        person["document"] = {
            "document_number": cells["document_number"],
            "issuing_state": cells.get("document_issuing_state", ""),
        } | ({"document_type": cells["document_type"]} if cells.get("document_type") else {})
    wounded = cells.get("wounded", "").lower()
    if wounded not in TRUE | FALSE:
        raise _cell_error(index, line, "wounded", "yes or no")
    person["wounded"] = wounded in TRUE
    items = []
    for item in filter(None, (i.strip() for i in cells.get("items_surrendered", "").split(";"))):
        parts = [p.strip() for p in item.split(":")]
        if len(parts) not in (2, 3):
            raise _cell_error(
                index, line, "items_surrendered", f"{item!r}: kind:description[:quantity]"
            )
        entry: dict[str, Any] = {"kind": parts[0].lower(), "description": parts[1]}
        if len(parts) == 3:
            entry["quantity"] = parts[2]
        items.append(entry)
    person["items_surrendered"] = items
    return person


def _cell_error(index: int, line: int, field: str, expected: str) -> errors.DomainError:
    return errors.invalid(f"persons[{index}].{field}", f"line {line}: expected {expected}")
