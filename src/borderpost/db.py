"""Engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, MetaData, String, case, create_engine, event, func
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both engines (SQLite keeps no offset, so we store naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


def id_column_type() -> String:
    return String(32)


def utcnow() -> datetime:
    return datetime.now(UTC)


def count_if(condition: Any) -> Any:
    """SQL: how many rows meet `condition` (0, never NULL, when there are none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


WRITE_OPTION = "borderpost_write"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        # Writers queue for SQLite's single write lock while holding a pooled connection, so
        # the pool must never run dry before the lock's own timeout does (no 500 under load):
        # connections to a local file are cheap, the pool may grow as far as the thread pool.
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        pool = {} if in_memory else {"pool_size": 20, "max_overflow": -1}
        engine = create_engine(
            url,
            echo=echo,
            # Statement parameters are names and passport numbers: never in an error or a log.
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 60},
            **pool,
        )
        _tune_sqlite(engine)
        _refuse_nul_parameters(engine)
        return engine
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        # More than the threads that serve sync routes (settings.threads, 8 by default) and the
        # CLI's, so requests wait for the database, never for an exhausted pool (two workers stay
        # under PostgreSQL's default 100 connections).
        pool_size=10,
        max_overflow=35,
        pool_pre_ping=True,
        # A 2xx means the write is on disk: never let a session relax this.
        connect_args={"options": "-c synchronous_commit=on -c timezone=UTC"},
    )
    _refuse_nul_parameters(engine)
    return engine


def _refuse_nul_parameters(engine: Engine) -> None:
    """Last line of defence: a NUL character in any bound string is invalid input on both engines
    (PostgreSQL would fail with an error, SQLite would store it). Inputs are checked by the
    schemas first; this catches a path, query or form value that reached a query unchecked."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_: Any) -> None:
        rows = parameters if isinstance(parameters, list) else [parameters]
        for row in rows:
            refuse_nul(row.values() if isinstance(row, dict) else (row or ()))


def refuse_nul(values: Iterable[object]) -> None:
    """422 for a bound string holding a NUL character."""
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            from borderpost import errors

            raise errors.invalid("input", "contains a NUL character")


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a power cut loses no acknowledged write (NORMAL can lose the last ones).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front: a deferred transaction that reads the audit head and
        # then writes could otherwise fail with SQLITE_BUSY_SNAPSHOT under concurrency.
        # On the driver's connection: every request begins one, and SQLAlchemy's execution of
        # a statement costs several times SQLite's BEGIN.
        driver = conn.connection.driver_connection
        driver.execute(
            "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN"
        )


class Database:
    """One engine and the two session factories (readers and writers) over it."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self._reader = sessionmaker(self._read_engine(), expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def _read_engine(self) -> Engine:
        """PostgreSQL's readers run without a transaction: at READ COMMITTED each statement sees
        its own snapshot inside a transaction as well, so BEGIN and ROLLBACK bought nothing but
        two round trips per read. SQLite's readers keep theirs (one snapshot for the request)."""
        if self.engine.dialect.name == "postgresql":
            return self.engine.execution_options(isolation_level="AUTOCOMMIT")
        return self.engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def reader(self) -> Session:
        return self._reader()

    def writer(self) -> Session:
        return self._writer()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction for the CLI and the demo: commit on success, roll back on error."""
        session = self.writer()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
