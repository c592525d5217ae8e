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
    AGENT = "agent"  # a trader's customs agent: lodges declarations before the truck arrives


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
    TARIFF_WRITE = "tariff:write"
    CASE_WRITE = "case:write"
    TRUCK_PRIORITY_CONFIRM = "truck:priority:confirm"
    PRE_ARRIVAL_WRITE = "pre-arrival:write"
    PRE_ARRIVAL_READ = "pre-arrival:read"
    STATISTICS_READ = "statistics:read"
    WATCHLIST_WRITE = "watchlist:write"
    SCREENING_SEARCH = "screening:search"
    AUDIT_READ = "audit:read"
    ACCESS_LOG_READ = "access-log:read"
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
        | {P.CROSSING_CREATE, P.WATCHLIST_WRITE, P.AUDIT_READ, P.USER_WRITE, P.TARIFF_WRITE}
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
            P.CASE_WRITE,
            P.TRUCK_PRIORITY_CONFIRM,
            P.PERMIT_WRITE,
            P.PERMIT_READ,
            P.DOCUMENT_ALERT_WRITE,
        }
    ),
    Role.IMMIGRATION: frozenset(
        _EVERY_ROLE
        | {P.MOVEMENT_WRITE, P.MOVEMENT_READ, P.TRAVELLER_READ, P.SCREENING_SEARCH, P.PERMIT_READ}
    ),
    Role.CUSTOMS: frozenset(
        _EVERY_ROLE
        | {P.TRUCK_WRITE, P.TRUCK_READ, P.SCREENING_SEARCH, P.CASE_WRITE, P.PRE_ARRIVAL_READ}
    ),
    Role.SECURITY: frozenset(
        _EVERY_ROLE
        | {P.ASSESSMENT_WRITE, P.INCIDENT_WRITE, P.GROUP_WRITE, P.GROUP_READ, P.SCREENING_SEARCH}
    ),
    # Statistics, not persons: no movement, truck (driver) or group person is an analyst's to read.
    Role.ANALYST: frozenset(_EVERY_ROLE | {P.STATISTICS_READ}),
    Role.AUDITOR: frozenset(_EVERY_ROLE | {P.AUDIT_READ, P.ACCESS_LOG_READ}),
    Role.LIAISON: frozenset(_EVERY_ROLE | {P.ASSESSMENT_SIGN}),
    Role.AGENT: frozenset(_EVERY_ROLE | {P.PRE_ARRIVAL_WRITE, P.PRE_ARRIVAL_READ}),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
