"""Structured logs for operators: a request id on every line, ids only, never personal data."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

import structlog

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def _add_request_id(_logger: object, _name: str, event: dict) -> dict:
    rid = request_id_var.get()
    if rid is not None:
        event.setdefault("request_id", rid)
    return event


def _safe_exc_info(_logger: object, _name: str, event: dict) -> dict:
    """Like structlog's format_exc_info, but the traceback keeps frames and exception types and
    drops the messages, which may quote personal data (see failures.describe_exception)."""
    exc_info = event.pop("exc_info", None)
    if not exc_info:
        return event
    if isinstance(exc_info, BaseException):
        exc = exc_info
    elif isinstance(exc_info, tuple):
        exc = exc_info[1]
    else:
        exc = sys.exc_info()[1]
    if exc is not None:
        from borderpost.failures import describe_exception

        event["exception"] = describe_exception(exc)
    return event


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_request_id,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _safe_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
