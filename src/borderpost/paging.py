"""Cursor pagination: `?limit=N&cursor=C` -> `{"items": [...], "next_cursor": ...}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None

    @classmethod
    def of(cls, items: list[T], limit: int, cursor_of: Callable[[T], str]) -> Page[T]:
        """`items` was fetched with limit + 1 rows: the extra row says a next page exists."""
        if len(items) > limit:
            return cls(items=items[:limit], next_cursor=cursor_of(items[limit - 1]))
        return cls(items=items, next_cursor=None)
