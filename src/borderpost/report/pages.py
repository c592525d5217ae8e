"""Pages of the report domain: the public status page (no login, refreshing itself) and the
reports page (statistics of a period, charts, CSV and XLSX exports), read-only."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.crossing.models import Crossing
from borderpost.report import daily, public
from borderpost.report.cargo_statistics import cargo_statistics
from borderpost.report.statistics import (
    group_arrival_statistics,
    passenger_statistics,
    period_of,
)
from borderpost.validation import EARLIEST_DAY, check_report_day
from borderpost.web import charts, i18n
from borderpost.web.edge import PageReader, PageRoute, page_reading, public_page
from borderpost.web.flow import crossing_for
from borderpost.web.forms import Form
from borderpost.web.labels import labels
from borderpost.web.templating import gettext, hs_name, is_htmx, labeller, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
REFRESH_SECONDS = 60
TOP_CHAPTERS = 8
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/")
def public_status(request: Request, db: Session = Depends(public_page)):
    # Kept like the public API's answers (BORDERPOST_PUBLIC_STATUS_SECONDS): everyone reloads
    # this page when a crossing reopens, and each rendering costs a dozen queries per crossing.
    answers: public.PublicAnswers = request.app.state.public_answers
    rows, _age = answers.get("page:/", lambda: public.public_page_rows(db))
    return render(
        request,
        "report/public.html",
        {"rows": rows, "refresh": REFRESH_SECONDS},
        block="status" if is_htmx(request) else None,
    )


# --- charts shared by the dashboard and the reports -------------------------------------------


def traffic_charts(
    request: Request, db: Session, crossing: Crossing, days: list[date]
) -> list[dict[str, Any]]:
    """Trucks per day by lane, passengers per day by direction, and the top HS chapters."""
    _ = gettext(request)
    axis = [charts.fmt_day(request, d) for d in days]
    lanes = daily.trucks_per_day_by_lane(db, crossing, days)
    moves = daily.passengers_per_day_by_direction(db, crossing, days)
    period = period_of(crossing, days[0], days[-1])
    cargo = cargo_statistics(db, crossing=crossing, start=period.start, end=period.end)
    top = sorted(cargo.by_hs_chapter, key=lambda c: (-c.gross_kg, c.chapter))[:TOP_CHAPTERS]
    arabic = lang_of(request) == "ar"
    return [
        charts.bar(
            "trucks",
            _("Trucks per day by lane"),
            axis,
            [
                charts.series(labels(_)["lane"][lane], lanes[lane], lane)
                for lane in ("green", "blue", "yellow", "red")
            ],
        ),
        charts.bar(
            "passengers",
            _("Passengers per day by direction"),
            axis,
            [
                charts.series(_("Entry"), moves["entry"], "teal"),
                charts.series(_("Exit"), moves["exit"], "orange"),
            ],
            stacked=False,
        ),
        charts.bar(
            "chapters",
            _("Top HS chapters (tonnes)"),
            [
                _short(f"{c.chapter} {(hs_name(c.chapter) if arabic else None) or c.description}")
                for c in top
            ],
            [
                charts.series(
                    _("Tonnes"), [round(float(c.gross_kg) / 1000, 1) for c in top], "purple"
                )
            ],
            stacked=False,
            horizontal=True,
        ),
    ]


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ;,") + "…"


# --- reports: statistics of a period, charts, CSV and XLSX exports ----------------------------

REPORTS = "report/reports.html"
DEFAULT_DAYS = 14


def read_period(
    request: Request, crossing: Crossing, first: str | None, last: str | None
) -> tuple[date, date] | Form:
    """The period asked for (both days included, at most a year), or the form's errors."""
    _ = gettext(request)
    today = datetime.now(ZoneInfo(crossing.timezone)).date()
    values = {"from": first or "", "to": last or ""}
    form = Form(values=values)
    parsed: dict[str, date] = {}
    for key, text in values.items():
        if not text:
            continue
        if len(text) > 10:
            form.errors[key] = _("Too long: at most %(n)s characters.") % {"n": 10}
            continue
        try:
            parsed[key] = check_report_day(date.fromisoformat(text))
        except ValueError:
            form.errors[key] = _("Enter a valid date (YYYY-MM-DD) from %(first)s on.") % {
                "first": i18n.Formatter(lang_of(request)).date(EARLIEST_DAY)
            }
    if form.errors:
        return form
    end = parsed.get("to") or today
    start = parsed.get("from") or end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        form.errors["to"] = _("The last day is before the first.")
    elif (end - start).days + 1 > daily.MAX_DAYS:
        form.errors["to"] = _("At most %(n)s days at a time.") % {"n": daily.MAX_DAYS}
    return form if form.errors else (start, end)


def statistics_of(db: Session, crossing: Crossing, start: date, end: date) -> dict[str, Any]:
    period = period_of(crossing, start, end)
    return {
        "passengers": passenger_statistics(db, crossing, period),
        "cargo": cargo_statistics(db, crossing=crossing, start=period.start, end=period.end),
        "groups": group_arrival_statistics(db, crossing, period),
    }


@router.get("/crossings/{code}/reports")
def reports_page(
    request: Request,
    code: str,
    first: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    r: PageReader = Depends(page_reading(P.STATISTICS_READ)),
):
    crossing = crossing_for(request, r.db, code)
    period = read_period(request, crossing, first, to)
    ctx: dict[str, Any] = {"crossing": crossing, "section": "reports"}
    if isinstance(period, Form):
        ctx |= {"forms": {"period": period}, "stats": None, "charts": []}
        return render(request, REPORTS, ctx, status=422)
    start, end = period
    days = daily.days_between(start, end)
    ctx |= {
        "forms": {"period": Form(values={"from": start.isoformat(), "to": end.isoformat()})},
        "start": start,
        "end": end,
        "stats": statistics_of(r.db, crossing, start, end),
        "charts": traffic_charts(request, r.db, crossing, days),
        # The exports' headers in the page's language.
        "export_query": urlencode(
            {"from": start.isoformat(), "to": end.isoformat(), "lang": lang_of(request)}
        ),
    }
    return render(request, REPORTS, ctx)


def export_rows(
    db: Session, crossing: Crossing, start: date, end: date
) -> dict[str, list[list[Any]]]:
    """The statistics as tables: one per sheet of the workbook, all in one CSV."""
    stats = statistics_of(db, crossing, start, end)
    p, c, g = stats["passengers"], stats["cargo"], stats["groups"]
    summary = [["section", "figure", "value"]]
    for key in ("movements", "entries", "exits", "admitted", "referred", "refused"):
        summary.append(["passengers", key, p[key]])
    for key in ("trucks_inbound", "trucks_outbound", "released", "inspected", "seizures"):
        summary.append(["cargo", key, getattr(c, key)])
    summary.append(["cargo", "gross_kg", float(c.gross_kg)])
    for lane, n in sorted(c.by_lane.items()):
        summary.append(["cargo", f"lane_{lane}", n])
    for key in ("groups", "persons", "in_custody", "in_hospital", "released", "handed_over"):
        summary.append(["group_arrivals", key, g[key]])
    chapters = [["hs_chapter", "description", "trucks", "gross_kg"]] + [
        [ch.chapter, ch.description, ch.trucks, float(ch.gross_kg)] for ch in c.by_hs_chapter
    ]
    nationalities = [["nationality", "movements", "entries", "exits", "admitted", "refused"]] + [
        [n["nationality"], n["movements"], n["entries"], n["exits"], n["admitted"], n["refused"]]
        for n in p["by_nationality"]
    ]
    days = daily.days_between(start, end)
    lanes = daily.trucks_per_day_by_lane(db, crossing, days)
    moves = daily.passengers_per_day_by_direction(db, crossing, days)
    per_day = [
        ["day", "trucks_green", "trucks_blue", "trucks_yellow", "trucks_red", "entries", "exits"]
    ]
    for n, day in enumerate(days):
        per_day.append(
            [
                day.isoformat(),
                *(lanes[lane][n] for lane in ("green", "blue", "yellow", "red")),
                moves["entry"][n],
                moves["exit"][n],
            ]
        )
    return {
        "Summary": summary,
        "HS chapters": chapters,
        "Nationalities": nationalities,
        "Daily": per_day,
    }


def export_words(_: Any) -> dict[str, str]:
    """The exports' sheet names, headers and figures in words of the language."""
    return {
        "table": _("Table"),
        "crossing": _("Crossing"),
        "from": _("From"),
        "to": _("To"),
        "Summary": _("Summary"),
        "HS chapters": _("HS chapters"),
        "Nationalities": _("Nationalities"),
        "Daily": _("Daily"),
        "section": _("Section"),
        "figure": _("Figure"),
        "value": _("Value"),
        "passengers": _("Passengers"),
        "cargo": _("Cargo"),
        "group_arrivals": _("Group arrivals"),
        "movements": _("Movements"),
        "entries": _("Entries"),
        "exits": _("Exits"),
        "admitted": _("Admitted"),
        "referred": _("Referred"),
        "refused": _("Refused"),
        "trucks_inbound": _("Trucks inbound"),
        "trucks_outbound": _("Trucks outbound"),
        "released": _("Released"),
        "inspected": _("Inspected"),
        "seizures": _("Seizures"),
        "gross_kg": _("Gross mass (kg)"),
        "lane_green": _("Green lane"),
        "lane_blue": _("Blue lane"),
        "lane_yellow": _("Yellow lane"),
        "lane_red": _("Red lane"),
        "groups": _("Groups"),
        "persons": _("Persons"),
        "in_custody": _("In custody"),
        "in_hospital": _("In hospital"),
        "handed_over": _("Handed over"),
        "hs_chapter": _("HS chapter"),
        "description": _("Description"),
        "trucks": _("Trucks"),
        "nationality": _("Nationality"),
        "day": _("Day"),
        "trucks_green": _("Trucks, green lane"),
        "trucks_blue": _("Trucks, blue lane"),
        "trucks_yellow": _("Trucks, yellow lane"),
        "trucks_red": _("Trucks, red lane"),
    }


def in_language(tables: dict[str, list[list[Any]]], request: Request) -> dict[str, list[list[Any]]]:
    """The export in the page's language: English keeps its identifiers (what scripts read);
    another language names sheets, headers and figures in its words, chapters and countries by
    their names."""
    lang = lang_of(request)
    if lang == "en":
        return tables
    words = export_words(gettext(request))
    label = labeller(lang)

    def word(value: Any) -> Any:
        return words.get(value, value) if isinstance(value, str) else value

    out: dict[str, list[list[Any]]] = {}
    for name, rows in tables.items():
        header, *body = rows
        if name == "Summary":
            body = [[word(section), word(figure), value] for section, figure, value in body]
        elif name == "HS chapters":
            body = [[ch, hs_name(ch) or text, *rest] for ch, text, *rest in body]
        elif name == "Nationalities":
            body = [[label("country", code), *rest] for code, *rest in body]
        out[words[name]] = [[word(h) for h in header], *body]
    return out


def _export_period(request: Request, r: PageReader, code: str, first, to):
    crossing = crossing_for(request, r.db, code)
    period = read_period(request, crossing, first, to)
    if isinstance(period, Form):
        raise errors.invalid(next(iter(period.errors)), next(iter(period.errors.values())))
    return crossing, period


@router.get("/crossings/{code}/reports/statistics.csv")
def export_csv(
    request: Request,
    code: str,
    first: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    r: PageReader = Depends(page_reading(P.STATISTICS_READ)),
):
    crossing, (start, end) = _export_period(request, r, code, first, to)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    words = export_words(gettext(request)) if lang_of(request) != "en" else {}
    writer.writerow([words.get(h, h) for h in ("table", "crossing", "from", "to")])
    writer.writerow(["", crossing.code, start.isoformat(), end.isoformat()])
    tables = in_language(export_rows(r.db, crossing, start, end), request)
    for name, rows in tables.items():
        writer.writerow([])
        for row in rows:
            writer.writerow([name, *row])
    filename = f"{crossing.code}-statistics-{start}-{end}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/crossings/{code}/reports/statistics.xlsx")
def export_xlsx(
    request: Request,
    code: str,
    first: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    r: PageReader = Depends(page_reading(P.STATISTICS_READ)),
):
    from openpyxl import Workbook

    crossing, (start, end) = _export_period(request, r, code, first, to)
    book = Workbook()
    book.remove(book.active)
    for name, rows in in_language(export_rows(r.db, crossing, start, end), request).items():
        sheet = book.create_sheet(name)
        sheet.sheet_view.rightToLeft = i18n.LANGUAGES[lang_of(request)].direction == "rtl"
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    filename = f"{crossing.code}-statistics-{start}-{end}.xlsx"
    return Response(
        buffer.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
