"""The pages' own files: CSS, scripts and the vendored htmx, Chart.js and Pico, served locally."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from borderpost.web.templating import STATIC

router = APIRouter(include_in_schema=False)
_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json"}


@router.get("/static/{path:path}")
def static_file(path: str) -> Response:
    root = STATIC.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    media = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "text/plain"
    return FileResponse(
        target,
        media_type=media,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
