"""Translated names of the enumerations shown on pages (the stored values stay English)."""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[[str], str]


def labels(_: Gettext) -> dict[str, dict[str, str]]:
    return {
        "state": {"open": _("Open"), "restricted": _("Restricted"), "closed": _("Closed")},
        "traffic": {"cargo": _("Cargo"), "passenger": _("Passengers")},
        "reason": {
            "security": _("Security"),
            "maintenance": _("Maintenance"),
            "weather": _("Weather"),
            "health": _("Health"),
            "administrative": _("Administrative"),
            "diplomatic": _("Diplomatic"),
        },
        "recommendation": {
            "reopen": _("Reopen"),
            "reopen_restricted": _("Reopen with restrictions"),
            "keep_closed": _("Keep closed"),
        },
        "assessment": {
            "open": _("Awaiting signatures"),
            "concluded": _("Concluded"),
            "disputed": _("Disputed"),
        },
        "signature": {"concur": _("Concur"), "dissent": _("Dissent")},
        "role": {
            "admin": _("Administrator"),
            "supervisor": _("Supervisor"),
            "immigration": _("Immigration officer"),
            "customs": _("Customs officer"),
            "security": _("Security officer"),
            "analyst": _("Analyst"),
            "auditor": _("Auditor"),
            "liaison": _("Liaison officer"),
        },
        "decision": {"admitted": _("Admitted"), "referred": _("Referred"), "refused": _("Refused")},
        "direction": {
            "entry": _("Entry"),
            "exit": _("Exit"),
            "inbound": _("Inbound"),
            "outbound": _("Outbound"),
        },
        "travel_mode": {
            "foot": _("On foot"),
            "car": _("Car"),
            "bus": _("Bus"),
            "truck_driver": _("Truck driver"),
        },
        "lane": {"green": _("Green"), "blue": _("Blue"), "yellow": _("Yellow"), "red": _("Red")},
        "reason_code": {
            "document_expired": _("The document has expired."),
            "watchlist_possible_match": _("Possible watchlist match: secondary inspection."),
            "already_in_country": _("Entry without an exit since the last entry."),
            "not_in_country": _("Exit without an entry since the last exit."),
            "refused_on_referral": _("Refused on referral."),
            "admitted_on_referral": _("Admitted after secondary inspection."),
        },
        "truck_state": {
            "queued": _("Queued"),
            "inspecting": _("At inspection"),
            "released": _("Released"),
            "detained": _("Detained"),
        },
        "category": {
            "surrendering_military": _("Surrendering military"),
            "refugees": _("Refugees"),
            "evacuees": _("Evacuees"),
            "other": _("Other"),
        },
        "custody": {
            "in_custody": _("In custody"),
            "in_hospital": _("In hospital"),
            "released": _("Released"),
            "handed_over": _("Handed over"),
        },
        "country": {"IRQ": _("Iraq"), "SYR": _("Syria")},
        # What a restricted direction lets pass (crossing.rules.Category).
        "admission": {
            "regular": _("Regular traffic"),
            "humanitarian": _("Humanitarian aid"),
            "voluntary_return": _("Voluntary return"),
            "returning_citizens": _("Returning citizens"),
            "diplomatic": _("Diplomatic"),
            "empty_trucks": _("Empty trucks"),
            "transit": _("Transit"),
            "perishables": _("Perishable goods"),
        },
    }
