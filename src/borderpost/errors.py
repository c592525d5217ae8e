"""The DomainError family and their rendering as RFC 9457 problem details.

Each rule that can refuse an action has a stable slug; the problem `type` is `/problems/<slug>`,
a relative URI that the application itself documents at that address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROBLEM_BASE = "/problems/"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    """A rule refused the action. Carries its HTTP status and a stable problem slug."""

    detail: str
    slug: str = "error"
    title: str = "Request refused"
    status: int = 400
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Exception.__init__(self, self.detail)

    def problem(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        body.update(self.extra)
        return body


def not_found(what: str, key: str) -> DomainError:
    return DomainError(f"No {what} {key!r}.", slug="not-found", title="Not found", status=404)


def conflict(slug: str, detail: str, title: str = "Conflict with the current state") -> DomainError:
    return DomainError(detail, slug=slug, title=title, status=409)


def forbidden(detail: str, slug: str = "forbidden") -> DomainError:
    return DomainError(detail, slug=slug, title="Not allowed", status=403)


def unauthorized(detail: str = "A valid bearer token is required.") -> DomainError:
    return DomainError(detail, slug="unauthorized", title="Not authenticated", status=401)


def invalid(field_name: str, message: str, slug: str = "invalid-input") -> DomainError:
    return DomainError(
        f"{field_name}: {message}",
        slug=slug,
        title="Invalid input",
        status=422,
        errors=[FieldError(field_name, message)],
    )
