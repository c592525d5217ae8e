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
            "agent": _("Customs agent"),
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
            "air": _("By air"),
        },
        "lane": {"green": _("Green"), "blue": _("Blue"), "yellow": _("Yellow"), "red": _("Red")},
        "reason_code": {
            "document_expired": _("The document has expired."),
            "watchlist_possible_match": _("Possible watchlist match: secondary inspection."),
            "already_in_country": _("Entry without an exit since the last entry."),
            "not_in_country": _("Exit without an entry since the last exit."),
            "refused_on_referral": _("Refused on referral."),
            "admitted_on_referral": _("Admitted after secondary inspection."),
            "citizen": _("A citizen: never refused, referred when a rule objects."),
            "visa_exempt": _("Visa-exempt nationality."),
            "permit_valid": _("A valid visa or residence permit."),
            "transfer_zone_driver": _("A driver staying in the customs transfer zone."),
            "visa_required": _("No valid visa or residence permit."),
            "document_alert": _("The document is reported lost, stolen or revoked."),
            "exit_ban": _("Possible match on an exit-ban list."),
            "overstay": _("The stay allowed has ended."),
            "entry_by_air": _("Crossed by air, recorded by a supervisor."),
        },
        # An admitted exit is a departure: the booth says so.
        "decision_exit": {
            "admitted": _("Departed"),
            "referred": _("Referred"),
            "refused": _("Refused"),
        },
        "permit_kind": {"visa": _("Visa"), "residence": _("Residence permit")},
        "permit_status": {
            "valid": _("Valid"),
            "not_yet_valid": _("Not yet valid"),
            "expired": _("Expired"),
            "used": _("Used"),
            "cancelled": _("Cancelled"),
        },
        "entries": {"single": _("Single entry"), "multiple": _("Multiple entries")},
        "alert_kind": {
            "lost": _("Lost"),
            "stolen": _("Stolen"),
            "revoked": _("Revoked"),
            "invalid": _("Invalid"),
        },
        "mrz_field": {
            "mrz": _("the lines as a whole"),
            "document_type": _("the document type"),
            "document_number": _("the document number"),
            "issuing_state": _("the issuing state"),
            "nationality": _("the nationality"),
            "birth_date": _("the date of birth"),
            "expiry_date": _("the expiry date"),
            "sex": _("the sex"),
            "surname": _("the name"),
            "names": _("the name"),
            "optional_data": _("the optional data"),
            "composite": _("the final check digit"),
            "line1": _("the first line"),
            "line2": _("the second line"),
            "line3": _("the third line"),
        },
        "truck_state": {
            "queued": _("Queued"),
            "held": _("Held: driver refused"),
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
        "country": {"IRQ": _("Iraq"), "SYR": _("Syria")},  # others: CLDR names (i18n.py)
        "sex": {"M": _("Male"), "F": _("Female"), "X": _("Unspecified")},
        "unit": {
            "kg": _("kg"),
            "t": _("tonne"),
            "l": _("litre"),
            "m3": _("cubic metre"),
            "m2": _("square metre"),
            "m": _("metre"),
            "pcs": _("pieces"),
            "pairs": _("pairs"),
            "head": _("head (animals)"),
            "carat": _("carat"),
            "kwh": _("kWh"),
        },
        "incident_kind": {
            "armed_clashes": _("Armed clashes"),
            "reinforced_positions": _("Reinforced positions"),
            "patrol": _("Patrol"),
            "smuggling_attempt": _("Smuggling attempt"),
            "shooting": _("Shooting"),
            "explosive_device": _("Explosive device"),
            "unrest": _("Unrest"),
            "other": _("Other"),
        },
        "inspection_kind": {
            "documentary": _("Documentary"),
            "physical": _("Physical"),
            "xray": _("X-ray"),
        },
        "inspection_result": {
            "cleared": _("Cleared"),
            "discrepancy": _("Discrepancy"),
            "seizure": _("Seizure"),
        },
        "regime": {
            "import": _("Import"),
            "export": _("Export"),
            "transit": _("Transit"),
            "empty": _("Empty truck"),
        },
        "payment_method": {
            "cash": _("Cash"),
            "bank": _("Bank"),
            "electronic": _("Electronic"),
            "guarantee": _("Guarantee"),
        },
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


def mrz_problem(field: str, _: Gettext) -> str:
    """One error of the MRZ reader (traveller/mrz.py) as a sentence: its field names the part of
    the zone ("document_number_check", "line2", "mrz"); the reader's English message stays in
    the API answers, the page says it in words."""
    names = labels(_)["mrz_field"]
    field = field.rsplit(".", 1)[-1]
    if field.endswith("_check"):
        guarded = field.removesuffix("_check")
        if guarded == "composite":
            return _("The final check digit does not match the lines.")
        return _("The check digit of %(field)s does not match.") % {
            "field": names.get(guarded, names["mrz"])
        }
    if field.startswith("line") and field[4:].isdigit():
        return _("Line %(n)s has lower-case letters or characters other than A-Z, 0-9 and <.") % {
            "n": field[4:]
        }
    if field == "mrz":
        return _("These are not the 2 or 3 lines of a machine-readable zone.")
    if field in names:
        return _("Cannot read %(field)s.") % {"field": names[field]}
    return _("The MRZ cannot be read.")
