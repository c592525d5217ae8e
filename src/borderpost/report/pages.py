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
from borderpost.web import charts
from borderpost.web.edge import PageReader, PageRoute, page_reading, public_page
from borderpost.web.flow import crossing_for
from borderpost.web.forms import Form
from borderpost.web.labels import labels
from borderpost.web.templating import gettext, is_htmx, render

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
            [_short(f"{c.chapter} {c.description}") for c in top],
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
                "first": EARLIEST_DAY.isoformat()
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
        "export_query": urlencode({"from": start.isoformat(), "to": end.isoformat()}),
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
    writer.writerow(["table", "crossing", "from", "to"])
    writer.writerow(["", crossing.code, start.isoformat(), end.isoformat()])
    for name, rows in export_rows(r.db, crossing, start, end).items():
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
    for name, rows in export_rows(r.db, crossing, start, end).items():
        sheet = book.create_sheet(name)
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
