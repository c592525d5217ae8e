"""Every domain's pages, gathered into one router for create_app."""

from __future__ import annotations

from fastapi import APIRouter


def domain_page_routers() -> list[APIRouter]:
    from borderpost.admission.pages import router as admission_pages
    from borderpost.audit.pages import router as audit_pages
    from borderpost.auth.admin_pages import router as admin_pages
    from borderpost.auth.pages import router as auth_pages
    from borderpost.cargo.pages import router as cargo_pages
    from borderpost.clearance.pages import router as clearance_pages
    from borderpost.crossing.pages import router as crossing_pages
    from borderpost.report.pages import router as report_pages
    from borderpost.traveller.pages import router as traveller_pages
    from borderpost.web.pages import router as static_files

    return [
        static_files,
        auth_pages,
        admin_pages,
        report_pages,
        crossing_pages,
        traveller_pages,
        cargo_pages,
        clearance_pages,
        admission_pages,
        audit_pages,
    ]


def pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for pages in domain_page_routers():
        router.include_router(pages)
    return router
