"""Plain statements: the few queries every request runs, on the DBAPI cursor of the session's
connection.

A statement through SQLAlchemy's execution costs about ten times the query itself on the hot
paths (an execution context, events, a result object, for a lookup by primary key). A
`PlainStatement` is compiled once per dialect and run straight on the driver's cursor, in the
session's own transaction. That is only right where SQLAlchemy would convert nothing, so a
statement is refused at construction unless it is a SELECT whose parameters and columns are
strings, integers or booleans. The NUL check of every bound string (db.py) applies here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, Select, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from borderpost.db import refuse_nul

_PLAIN_TYPES = (String, Integer, Boolean)


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    defaults: dict[str, Any]  # values written into the statement (a LIMIT's)
    order: tuple[str, ...] | None  # the parameters' order for positional drivers (SQLite)


class PlainStatement:
    def __init__(self, statement: Select) -> None:
        for column in statement.selected_columns:
            _require_plain(column.type, f"column {column.key}")
        for param in statement.compile().binds.values():
            _require_plain(param.type, f"parameter {param.key}")
        self.statement = statement
        # columns to turn into bool (SQLite answers 0 or 1)
        self._booleans = tuple(
            n for n, c in enumerate(statement.selected_columns) if isinstance(c.type, Boolean)
        )
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            c = self.statement.compile(dialect=dialect)
            order = tuple(c.positiontup) if c.positional and c.positiontup else None
            defaults = {k: v for k, v in c.params.items() if v is not None}
            compiled = _Compiled(c.string, defaults, order)
            self._compiled[dialect.name] = compiled
        return compiled

    def rows(self, db: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows, run in the session's transaction (begun here if need be)."""
        connection = db.connection()
        compiled = self._for(connection.dialect)
        values = {**compiled.defaults, **params}
        refuse_nul(values.values())
        bound = tuple(values[k] for k in compiled.order) if compiled.order else values
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if self._booleans:
            rows = [_with_booleans(row, self._booleans) for row in rows]
        return rows

    def first(self, db: Session, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(db, params)
        return rows[0] if rows else None


def _with_booleans(row: tuple[Any, ...], booleans: tuple[int, ...]) -> tuple[Any, ...]:
    values = list(row)
    for n in booleans:
        if values[n] is not None:
            values[n] = bool(values[n])
    return tuple(values)


def _require_plain(type_: object, what: str) -> None:
    if not isinstance(type_, _PLAIN_TYPES):
        raise TypeError(f"{what} is {type_!r}: a PlainStatement converts nothing")
