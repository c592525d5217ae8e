"""Watchlists and their entries: the source of truth the in-memory name index is built from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base, utcnow
from borderpost.ids import new_id


class Watchlist(Base):
    __tablename__ = "watchlist"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(String(500))
    # screening | exit_ban: a match on an exit-ban list refers an exit (admission rules).
    purpose: Mapped[str] = mapped_column(
        String(16), default="screening", server_default="screening"
    )
    # Bumped by every import: the index cache compares it to know when to rebuild.
    version: Mapped[int] = mapped_column(Integer, default=0)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_at: Mapped[datetime | None]


class WatchlistEntry(Base):
    __tablename__ = "watchlist_entry"
    __table_args__ = (UniqueConstraint("watchlist_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    watchlist_id: Mapped[str] = mapped_column(ForeignKey("watchlist.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(100))  # the id in its source list
    name: Mapped[str] = mapped_column(String(500))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(3))
    sex: Mapped[str | None] = mapped_column(String(1))  # "M" | "F"
    kind: Mapped[str] = mapped_column(String(10), default="person", server_default="person")
