"""Watchlist files into WatchEntry lists: CSV, OpenSanctions FollowTheMoney, UN consolidated XML.

A file that is not what it claims to be (not UTF-8, missing CSV columns, a line that is not an
FtM entity, XML that is not the UN list) raises FormatError and nothing is imported. A single bad
row (no name, an unreadable date, an unknown country) is reported in ``rejected`` with its line
number and the other rows are kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pycountry

from borderpost.screening.matcher import WatchEntry

FORMATS = ("csv", "ftm", "un-xml")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class FormatError(ValueError):
    """The whole file is refused."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


class RowError(ValueError):
    """One row is refused; the caller records it and goes on."""


@dataclass
class ParseResult:
    entries: list[WatchEntry] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError("file is not UTF-8 text", line) from exc


def birth_date(value: str | None) -> str | None:
    """'YYYY-MM-DD' or 'YYYY' (a year and month keep only the year); None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    m = _DATE.match(value)
    if not m:
        raise RowError(f"date of birth {value!r} is not YYYY-MM-DD or YYYY")
    year, month, day = m.groups()
    if day is None:
        return year
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        raise RowError(f"date of birth {value!r} is not a date")
    return value


def country(value: str | None) -> str | None:
    """ISO alpha-3 from an alpha-3, alpha-2 or English country name; None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    # UN spells "Iran (Islamic Republic of)" where ISO has "Iran, Islamic Republic of"
    candidates = [value, re.sub(r"\s*\((.*)\)$", r", \1", value)]
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    raise RowError(f"unknown nationality {value!r}")


def _entry(
    list_name: str, entry_id: str, names: list[str], born: str | None, nat: str | None
) -> WatchEntry:
    if not entry_id.strip():
        raise RowError("id is empty")
    if not names or not (names[0] or "").strip():
        raise RowError("name is empty")
    names = [n.strip() for n in names if n and n.strip()]
    if any(len(n) > 200 for n in names):
        raise RowError("a name is longer than 200 characters")
    aliases = tuple(dict.fromkeys(n for n in names[1:] if n != names[0]))
    return WatchEntry(entry_id.strip(), list_name, names[0], aliases, born, nat)


def parse_csv(data: bytes, list_name: str) -> ParseResult:
    """Columns id,name[,aliases,date_of_birth,nationality]; aliases separated by ';'."""
    reader = csv.DictReader(io.StringIO(_text(data), newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        raise FormatError(f"missing column(s): {', '.join(missing)}", 1)
    reader.fieldnames = header
    result, seen = ParseResult(), set()
    try:
        for row in reader:
            line = reader.line_num
            try:
                aliases = (row.get("aliases") or "").split(";")
                entry = _entry(
                    list_name,
                    row.get("id") or "",
                    [row.get("name") or "", *aliases],
                    birth_date(row.get("date_of_birth")),
                    country(row.get("nationality")),
                )
                if entry.entry_id in seen:
                    raise RowError(f"id {entry.entry_id!r} appears twice")
                seen.add(entry.entry_id)
                result.entries.append(entry)
            except RowError as exc:
                result.rejected.append((line, str(exc)))
    except csv.Error as exc:
        raise FormatError(f"not a CSV file: {exc}", reader.line_num) from exc
    return result


def parse_ftm(data: bytes, list_name: str) -> ParseResult:
    """OpenSanctions FollowTheMoney JSON lines; Person entities only, others skipped."""
    result = ParseResult()
    for line, raw in enumerate(_text(data).splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FormatError("not a JSON line", line) from exc
        if not (
            isinstance(obj, dict)
            and isinstance(obj.get("schema"), str)
            and "id" in obj
            and isinstance(obj.get("properties", {}), dict)
        ):
            raise FormatError("not a FollowTheMoney entity (needs id, schema, properties)", line)
        if obj["schema"] != "Person":
            continue
        props = obj.get("properties") or {}
        try:
            dates = [d for d in props.get("birthDate", []) if d]
            nats = [n for n in props.get("nationality", []) if n]
            nat = None
            for value in nats:  # several nationalities: the first one we know
                try:
                    nat = country(value)
                    break
                except RowError:
                    continue
            if nats and nat is None:
                raise RowError(f"unknown nationality {nats[0]!r}")
            born = birth_date(sorted(dates)[0]) if dates else None
            names = [*props.get("name", []), *props.get("alias", [])]
            result.entries.append(_entry(list_name, str(obj["id"]), names, born, nat))
        except RowError as exc:
            result.rejected.append((line, str(exc)))
    return result


def _line_of(text: str, individual_no: int) -> int:
    """Line where the n-th <INDIVIDUAL> starts (ElementTree does not keep line numbers)."""
    pos = -1
    for _ in range(individual_no):
        pos = text.find("<INDIVIDUAL>", pos + 1)
    return text.count("\n", 0, max(pos, 0)) + 1


def parse_un_xml(data: bytes, list_name: str) -> ParseResult:
    """UN Security Council consolidated list: INDIVIDUALS/INDIVIDUAL."""
    text = _text(data)
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:10_000], re.IGNORECASE):
        # the UN list has no DTD; refusing one rules out entity expansion and external entities
        raise FormatError(
            "XML with a DOCTYPE or entity declarations is refused",
            text.count("\n", 0, text.upper().find("<!")) + 1,
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise FormatError(f"not well-formed XML: {exc.msg}", exc.position[0]) from exc
    if root.tag != "CONSOLIDATED_LIST" or root.find("INDIVIDUALS") is None:
        raise FormatError("not the UN consolidated list (no CONSOLIDATED_LIST/INDIVIDUALS)", 1)
    result = ParseResult()
    for n, ind in enumerate(root.iterfind("INDIVIDUALS/INDIVIDUAL"), 1):
        try:
            entry_id = (ind.findtext("DATAID") or ind.findtext("REFERENCE_NUMBER") or "").strip()
            parts = [
                (ind.findtext(t) or "").strip()
                for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            names = [" ".join(p for p in parts if p)]
            names += [a.findtext("ALIAS_NAME") or "" for a in ind.iterfind("INDIVIDUAL_ALIAS")]
            names.append(ind.findtext("NAME_ORIGINAL_SCRIPT") or "")
            born = None
            for dob in ind.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
                value = dob.findtext("DATE") or dob.findtext("YEAR")
                if value:
                    born = birth_date(value[:10])
                    break
            nat = None
            values = [v.text or "" for v in ind.iterfind("NATIONALITY/VALUE") if (v.text or "")]
            if values:
                nat = country(values[0])
            result.entries.append(_entry(list_name, entry_id, names, born, nat))
        except RowError as exc:
            result.rejected.append((_line_of(text, n), str(exc)))
    return result


def guess_format(filename: str) -> str:
    """'csv' | 'ftm' | 'un-xml' from the file name; ValueError when it cannot tell."""
    name = filename.lower()
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm")):
        return "ftm"
    if name.endswith(".xml"):
        return "un-xml"
    raise ValueError(f"cannot tell the format of {filename!r}; give csv, ftm or un-xml")


def parse(data: bytes, list_name: str, fmt: str) -> ParseResult:
    parsers = {"csv": parse_csv, "ftm": parse_ftm, "un-xml": parse_un_xml}
    if fmt not in parsers:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return parsers[fmt](data, list_name)
