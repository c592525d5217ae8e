"""One name index per watchlist, kept in the process and rebuilt when the list's version changes.

Nothing here is authoritative: the tables are. Each screening call compares the versions in the
database (one small query) with the indexes it holds, so an import made by any worker process is
seen by every other without a restart. A small list is rebuilt inline; a large one is rebuilt in a
background thread while the previous index goes on serving, so a booth never waits a minute.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost.logs import get_logger
from borderpost.plain_sql import PlainStatement
from borderpost.screening.matcher import NameIndex, WatchEntry
from borderpost.screening.models import Watchlist, WatchlistEntry

INLINE_REBUILD_LIMIT = 50_000  # entries; above this, rebuild in the background
log = get_logger("borderpost.screening")


# Run on every screening call: a plain statement (plain_sql.py).
_VERSIONS = PlainStatement(
    select(Watchlist.id, Watchlist.name, Watchlist.version, Watchlist.entry_count)
)


@dataclass
class _Built:
    version: int
    index: NameIndex


class IndexCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, _Built] = {}
        self._building: set[str] = set()
        # One build at a time per list: requests that arrive while the first index of a list is
        # being built wait for it rather than each building a copy (a million aliases is ~0.5 GB).
        self._build_locks: dict[str, threading.Lock] = {}

    def indexes(self, db: Session) -> list[NameIndex]:
        """The current index of every watchlist, rebuilding those that changed."""
        wanted = {
            wid: (name, version, count) for wid, name, version, count in _VERSIONS.rows(db, {})
        }
        with self._lock:
            for gone in set(self._built) - set(wanted):
                del self._built[gone]
        result: list[NameIndex] = []
        for wid, (name, version, count) in wanted.items():
            built = self._built.get(wid)
            if built is None or built.version != version:
                if built is not None and count > INLINE_REBUILD_LIMIT:
                    self._rebuild_in_background(db, wid, name, version)
                else:
                    built = self._build_once(db, wid, name, version)
            if built is not None:
                result.append(built.index)
        return result

    def _build_once(self, db: Session, wid: str, name: str, version: int) -> _Built:
        with self._lock:
            build_lock = self._build_locks.setdefault(wid, threading.Lock())
        with build_lock:
            built = self._built.get(wid)
            if built is not None and built.version >= version:
                return built  # another request built it while this one waited
            return self._build(_load(db, wid, name), wid, version)

    def _build(self, entries: list[WatchEntry], wid: str, version: int) -> _Built:
        built = _Built(version, NameIndex.build(entries))
        # The index is millions of long-lived objects: move them out of the garbage collector's
        # sight so its full collections stop adding pauses to later queries.
        gc.collect()
        gc.freeze()
        with self._lock:
            current = self._built.get(wid)
            if current is None or current.version < version:
                self._built[wid] = built
        return built

    def _rebuild_in_background(self, db: Session, wid: str, name: str, version: int) -> None:
        with self._lock:
            if wid in self._building:
                return
            self._building.add(wid)
        session_factory: Callable[[], Session] = _session_factory(db)

        def work() -> None:
            try:
                with session_factory() as session:
                    self._build(_load(session, wid, name), wid, version)
                log.info("watchlist_index_rebuilt", watchlist_id=wid, version=version)
            except Exception:
                log.exception("watchlist_index_rebuild_failed", watchlist_id=wid)
            finally:
                with self._lock:
                    self._building.discard(wid)

        threading.Thread(target=work, name=f"index-{wid}", daemon=True).start()

    def clear(self) -> None:
        with self._lock:
            self._built.clear()


def _session_factory(db: Session) -> Callable[[], Session]:
    bind = db.get_bind()
    return lambda: Session(bind)


def _load(db: Session, watchlist_id: str, list_name: str) -> list[WatchEntry]:
    rows = db.execute(
        select(
            WatchlistEntry.entry_id,
            WatchlistEntry.name,
            WatchlistEntry.aliases,
            WatchlistEntry.birth_date,
            WatchlistEntry.nationality,
            WatchlistEntry.sex,
            WatchlistEntry.kind,
        ).where(WatchlistEntry.watchlist_id == watchlist_id)
    )
    return [
        WatchEntry(entry_id, list_name, name, tuple(aliases or ()), birth, nat, sex, kind)
        for entry_id, name, aliases, birth, nat, sex, kind in rows
    ]


_CACHES: dict[str, IndexCache] = {}
_CACHES_LOCK = threading.Lock()


def cache_for(db: Session) -> IndexCache:
    """One cache per database per process."""
    url = str(db.get_bind().engine.url)
    with _CACHES_LOCK:
        return _CACHES.setdefault(url, IndexCache())
