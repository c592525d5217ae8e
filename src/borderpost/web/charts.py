"""Chart specifications for the pages: plain data in a `data-chart` attribute, drawn by app.js.

No inline script: the page carries JSON, /static/app.js turns it into Chart.js charts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request

from borderpost.web import i18n
from borderpost.web.templating import lang_of

COLOURS = {
    "green": "#2e7d32",
    "blue": "#1565c0",
    "yellow": "#f9a825",
    "red": "#c62828",
    "grey": "#607d8b",
    "teal": "#00796b",
    "purple": "#6a1b9a",
    "orange": "#ef6c00",
}


def series(label: str, data: list[int | float], colour: str) -> dict[str, Any]:
    return {"label": label, "data": data, "color": COLOURS.get(colour, colour)}


def bar(
    key: str,
    title: str,
    labels: list[str],
    datasets: list[dict[str, Any]],
    *,
    stacked: bool = True,
    horizontal: bool = False,
) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "type": "bar",
        "labels": labels,
        "datasets": datasets,
        "stacked": stacked,
        "horizontal": horizontal,
        "total": sum(sum(d["data"]) for d in datasets),
    }


def fmt_day(request: Request, day: date) -> str:
    return i18n.Formatter(lang_of(request)).day(day)
