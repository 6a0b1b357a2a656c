"""Reads for the service import pages: the runs, newest first, and one run's report."""

from django.core.paginator import Page, Paginator
from django.http import Http404

from .models import ServiceImport
from .report import Report

PAGE_SIZE = 20
ERRORS_SHOWN = 200


def runs_page(*, page: str | None) -> Page:
    """Past runs, newest first (without their uploaded files), a page at a time."""
    runs = ServiceImport.objects.defer("content", "report").select_related("created_by")
    return Paginator(runs, PAGE_SIZE).get_page(page)


def run_get(*, pk: int) -> ServiceImport:
    """One run (404 if there is none)."""
    run = ServiceImport.objects.defer("content").select_related("created_by").filter(pk=pk).first()
    if run is None:
        raise Http404("Not found")
    return run


def run_report(run: ServiceImport) -> Report:
    """The run's report as kept."""
    return Report.from_dict(run.report or {})
