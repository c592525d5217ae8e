"""The public status page: no login, what the public needs to know, refreshing itself."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from borderpost.crossing import service as crossings
from borderpost.report import public
from borderpost.web.edge import PageRoute, public_page
from borderpost.web.templating import is_htmx, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
REFRESH_SECONDS = 60


@router.get("/")
def public_status(request: Request, db: Session = Depends(public_page)):
    rows = [
        (crossing, public.public_crossing(db, crossing))
        for crossing in crossings.list_crossings(db)
    ]
    return render(
        request,
        "report/public.html",
        {"rows": rows, "refresh": REFRESH_SECONDS},
        block="status" if is_htmx(request) else None,
    )
