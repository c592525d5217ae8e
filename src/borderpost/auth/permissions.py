"""Permissions named `resource:action`, and the one table that grants them to roles."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    IMMIGRATION = "immigration"
    CUSTOMS = "customs"
    SECURITY = "security"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    LIAISON = "liaison"


class Permission(StrEnum):
    CROSSING_READ = "crossing:read"
    CROSSING_CREATE = "crossing:create"
    CROSSING_STATUS_WRITE = "crossing:status:write"
    ASSESSMENT_WRITE = "assessment:write"
    ASSESSMENT_SIGN = "assessment:sign"
    STATEMENT_WRITE = "statement:write"
    INCIDENT_WRITE = "incident:write"
    MOVEMENT_WRITE = "movement:write"
    MOVEMENT_READ = "movement:read"
    MOVEMENT_RESOLVE = "movement:resolve"
    TRAVELLER_READ = "traveller:read"
    GROUP_WRITE = "group:write"
    GROUP_READ = "group:read"
    TRUCK_WRITE = "truck:write"
    TRUCK_READ = "truck:read"
    RISK_PROFILE_WRITE = "risk:profile:write"
    STATISTICS_READ = "statistics:read"
    WATCHLIST_WRITE = "watchlist:write"
    SCREENING_SEARCH = "screening:search"
    AUDIT_READ = "audit:read"
    USER_WRITE = "user:write"
    SESSION_END = "session:end"
    PERMIT_WRITE = "permit:write"
    PERMIT_READ = "permit:read"  # permits, document alerts, country rules
    DOCUMENT_ALERT_WRITE = "document_alert:write"


P = Permission
_EVERY_ROLE = {P.CROSSING_READ, P.SESSION_END}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        _EVERY_ROLE
        | {P.CROSSING_CREATE, P.WATCHLIST_WRITE, P.AUDIT_READ, P.USER_WRITE}
        | {P.PERMIT_WRITE, P.PERMIT_READ, P.DOCUMENT_ALERT_WRITE}
    ),
    Role.SUPERVISOR: frozenset(
        _EVERY_ROLE
        | {
            P.CROSSING_STATUS_WRITE,
            P.ASSESSMENT_WRITE,
            P.ASSESSMENT_SIGN,
            P.STATEMENT_WRITE,
            P.INCIDENT_WRITE,
            P.MOVEMENT_READ,
            P.MOVEMENT_RESOLVE,
            P.TRAVELLER_READ,
            P.GROUP_WRITE,
            P.GROUP_READ,
            P.TRUCK_READ,
            P.RISK_PROFILE_WRITE,
            P.STATISTICS_READ,
            P.SCREENING_SEARCH,
            P.PERMIT_WRITE,
            P.PERMIT_READ,
            P.DOCUMENT_ALERT_WRITE,
        }
    ),
    Role.IMMIGRATION: frozenset(
        _EVERY_ROLE
        | {P.MOVEMENT_WRITE, P.MOVEMENT_READ, P.TRAVELLER_READ, P.SCREENING_SEARCH, P.PERMIT_READ}
    ),
    Role.CUSTOMS: frozenset(_EVERY_ROLE | {P.TRUCK_WRITE, P.TRUCK_READ, P.SCREENING_SEARCH}),
    Role.SECURITY: frozenset(
        _EVERY_ROLE
        | {P.ASSESSMENT_WRITE, P.INCIDENT_WRITE, P.GROUP_WRITE, P.GROUP_READ, P.SCREENING_SEARCH}
    ),
    Role.ANALYST: frozenset(
        _EVERY_ROLE | {P.MOVEMENT_READ, P.TRUCK_READ, P.GROUP_READ, P.STATISTICS_READ}
    ),
    Role.AUDITOR: frozenset(_EVERY_ROLE | {P.AUDIT_READ}),
    Role.LIAISON: frozenset(_EVERY_ROLE | {P.ASSESSMENT_SIGN}),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
