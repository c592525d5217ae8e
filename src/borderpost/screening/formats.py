"""Watchlist files into WatchEntry lists: CSV, OpenSanctions FollowTheMoney, UN consolidated XML.

A file that is not what it claims to be (not UTF-8, missing CSV columns, a line that is not an
FtM entity, XML that is not the UN list, XML with a DTD anywhere) raises FormatError and nothing
is imported. A row with no id or no name is reported in ``rejected`` with its line number and the
other rows are kept. A listed person is never dropped for a detail that cannot be read (a
nationality no one can map, a malformed date): the detail is left empty and a warning names it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
import pycountry
from defusedxml import DefusedXmlException

from borderpost.screening.matcher import WatchEntry
from borderpost.screening.normalise import MAX_NAME_LENGTH, clean_name

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
    warnings: list[tuple[int, str]] = field(default_factory=list)


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


# Names the UN and other lists use that ISO 3166 (pycountry) spells otherwise.
_COUNTRY_NAMES = {
    "democratic republic of the congo": "COD",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "republic of korea": "KOR",
    "democratic people's republic of korea": "PRK",
    "united kingdom of great britain and northern ireland": "GBR",
    "united republic of tanzania": "TZA",
    "russian federation": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "turkey": "TUR",
    "kosovo": "XKX",
}


def country(value: str | None) -> str | None:
    """ISO alpha-3 from an alpha-3, alpha-2 or English country name; None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    if value.casefold() in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[value.casefold()]
    # UN spells "Iran (Islamic Republic of)" where ISO has "Iran, Islamic Republic of"
    candidates = [value, re.sub(r"\s*\((.*)\)$", r", \1", value)]
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    raise RowError(f"unknown nationality {value!r}")


def _entry(
    list_name: str,
    entry_id: str,
    names: list[str],
    born: str | None,
    nat: str | None,
    *,
    sex: str | None = None,
    kind: str = "person",
    warn: list[str] | None = None,
) -> WatchEntry:
    names = [str(clean_name(n or "")) for n in names]
    if not entry_id.strip():
        raise RowError("id is empty")
    if not names or not names[0]:
        raise RowError("name is empty")
    names = [n for n in names if n]
    if warn is not None and any(len(n) > MAX_NAME_LENGTH for n in names):
        # kept whole; the index matches such a name on its first 200 characters
        warn.append(
            f"a name is longer than {MAX_NAME_LENGTH} characters (kept, matched on its start)"
        )
    aliases = tuple(dict.fromkeys(n for n in names[1:] if n != names[0]))
    return WatchEntry(entry_id.strip(), list_name, names[0], aliases, born, nat, sex, kind)


def _sex(value: str | None) -> str | None:
    """'M' | 'F' from M/F/male/female (any case); None for anything else."""
    v = (value or "").strip().casefold()
    return "M" if v in ("m", "male") else "F" if v in ("f", "female") else None


def _lenient(
    read: Callable[[str | None], str | None], value: str | None, warn: list[str]
) -> str | None:
    """A detail that cannot be read is left empty with a warning; the person is kept."""
    try:
        return read(value)
    except RowError as exc:
        warn.append(f"{exc}; left empty")
        return None


def parse_csv(data: bytes, list_name: str) -> ParseResult:
    """Columns id,name[,aliases,date_of_birth,nationality,sex]; aliases separated by ';'."""
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
            warn: list[str] = []
            try:
                aliases = (row.get("aliases") or "").split(";")
                entry = _entry(
                    list_name,
                    row.get("id") or "",
                    [row.get("name") or "", *aliases],
                    _lenient(birth_date, row.get("date_of_birth"), warn),
                    _lenient(country, row.get("nationality"), warn),
                    sex=_sex(row.get("sex")),
                    warn=warn,
                )
                if entry.entry_id in seen:
                    raise RowError(f"id {entry.entry_id!r} appears twice")
                seen.add(entry.entry_id)
                result.entries.append(entry)
                result.warnings.extend((line, w) for w in warn)
            except RowError as exc:
                result.rejected.append((line, str(exc)))
    except csv.Error as exc:
        raise FormatError(f"not a CSV file: {exc}", reader.line_num) from exc
    return result


_FTM_KINDS = {
    "Person": "person",
    "Company": "entity",
    "Organization": "entity",
    "LegalEntity": "entity",
}


def parse_ftm(data: bytes, list_name: str) -> ParseResult:
    """OpenSanctions FollowTheMoney JSON lines: Person entities, and companies, organisations and
    legal entities as entities; other schemata (addresses, sanctions, ...) are skipped."""
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
        kind = _FTM_KINDS.get(obj["schema"])
        if kind is None:
            continue
        props = obj.get("properties") or {}
        warn: list[str] = []
        try:
            dates = sorted(d for d in props.get("birthDate", []) if d)
            nats = [n for n in props.get("nationality", []) or props.get("country", []) if n]
            nat = None
            for value in nats:  # several nationalities: the first one we know
                try:
                    nat = country(value)
                    break
                except RowError:
                    continue
            if nats and nat is None:
                warn.append(f"unknown nationality {nats[0]!r}; left empty")
            born = _lenient(birth_date, dates[0][:10], warn) if dates else None
            names = [*props.get("name", []), *props.get("alias", [])]
            sex = _sex((props.get("gender") or [None])[0])
            result.entries.append(
                _entry(list_name, str(obj["id"]), names, born, nat, sex=sex, kind=kind, warn=warn)
            )
            result.warnings.extend((line, w) for w in warn)
        except RowError as exc:
            result.rejected.append((line, str(exc)))
    return result


def _line_of(text: str, tag: str, n: int) -> int:
    """Line where the n-th <tag> starts (ElementTree does not keep line numbers)."""
    pos = -1
    for _ in range(n):
        pos = text.find(f"<{tag}>", pos + 1)
    return text.count("\n", 0, max(pos, 0)) + 1


def _un_record(node: ET.Element, list_name: str, kind: str, warn: list[str]) -> WatchEntry:
    entry_id = (node.findtext("DATAID") or node.findtext("REFERENCE_NUMBER") or "").strip()
    parts = [
        (node.findtext(t) or "").strip()
        for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    ]
    alias_tag = "INDIVIDUAL_ALIAS" if kind == "person" else "ENTITY_ALIAS"
    names = [" ".join(p for p in parts if p)]
    names += [a.findtext("ALIAS_NAME") or "" for a in node.iterfind(alias_tag)]
    names.append(node.findtext("NAME_ORIGINAL_SCRIPT") or "")
    born = None
    for dob in node.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        value = dob.findtext("DATE") or dob.findtext("YEAR")
        if value:
            born = _lenient(birth_date, value[:10], warn)
            break
    nat = None
    values = [v.text or "" for v in node.iterfind("NATIONALITY/VALUE") if (v.text or "").strip()]
    if values:
        nat = _lenient(country, values[0], warn)
    sex = _sex(node.findtext("GENDER"))
    return _entry(list_name, entry_id, names, born, nat, sex=sex, kind=kind, warn=warn)


def parse_un_xml(data: bytes, list_name: str) -> ParseResult:
    """UN Security Council consolidated list: INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY."""
    text = _text(data)
    try:
        # defusedxml refuses any DTD wherever it stands (the UN list has none): no entity
        # expansion, no external entities, however much padding comes first.
        root = SafeET.fromstring(text, forbid_dtd=True)
    except DefusedXmlException as exc:
        at = re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE)
        line = text.count("\n", 0, at.start()) + 1 if at else None
        raise FormatError(f"XML with a DTD is refused ({type(exc).__name__})", line) from exc
    except ET.ParseError as exc:
        raise FormatError(f"not well-formed XML: {exc.msg}", exc.position[0]) from exc
    if root.tag != "CONSOLIDATED_LIST" or root.find("INDIVIDUALS") is None:
        raise FormatError("not the UN consolidated list (no CONSOLIDATED_LIST/INDIVIDUALS)", 1)
    result = ParseResult()
    for path, tag, kind in (
        ("INDIVIDUALS/INDIVIDUAL", "INDIVIDUAL", "person"),
        ("ENTITIES/ENTITY", "ENTITY", "entity"),
    ):
        for n, node in enumerate(root.iterfind(path), 1):
            warn: list[str] = []
            try:
                result.entries.append(_un_record(node, list_name, kind, warn))
                if warn:
                    line = _line_of(text, tag, n)
                    result.warnings.extend((line, w) for w in warn)
            except RowError as exc:
                result.rejected.append((_line_of(text, tag, n), str(exc)))
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
