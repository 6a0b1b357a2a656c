"""The service manager's import pages (issue 22): upload a ZIP or XLSX, read the dry run's report,
confirm, watch the import run. 404 for everyone else (the header link's permission); every GET audited."""

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from core.audit import list_view_audit
from core.downloads import download, no_store

from .forms import UploadForm
from .selectors import ERRORS_SHOWN, run_get, run_report, runs_page
from .services.runs import run_progress, service_import_confirm, service_import_requeue, service_import_upload


def _require(request) -> None:
    if not rules.has_perm("onboarding.import_service", request.user):
        raise Http404("Not found")


def service_import(request):
    """The upload form and the past runs."""
    _require(request)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        run = service_import_upload(
            user=request.user, name=upload.name, content=upload.read(), path=request.path
        )
        return redirect("service_import_run", pk=run.pk)
    page = runs_page(page=request.GET.get("page"))
    if not posted:  # a refused upload writes nothing (ADR 0013); the list was audited when it was opened
        list_view_audit(
            user=request.user, page="service imports", shown=len(page.object_list), path=request.path
        )
    return no_store(render(request, "onboarding/import.html", {"form": form, "page": page}))


def service_import_run(request, pk):
    """One run: its progress while it works, then its report; confirm a clean dry run."""
    _require(request)
    run = run_get(pk=pk)
    if request.method == "POST":
        try:
            if "requeue" in request.POST:
                service_import_requeue(user=request.user, run=run, path=request.path)
            else:
                service_import_confirm(user=request.user, run=run, path=request.path)
        except PermissionDenied:
            pass  # already confirmed or started (a second click): the page shows where it is
        return redirect("service_import_run", pk=run.pk)
    report = run_report(run)
    list_view_audit(user=request.user, page=f"service import {run.pk}", path=request.path)
    progress = run_progress(run) if run.is_working else {}
    if progress.get("total"):
        progress["percent"] = min(100, round(100 * progress["done"] / progress["total"]))
    context = {
        "run": run,
        "progress": progress,
        "report": report,
        "problems": report.problems[:ERRORS_SHOWN],
        "more_problems": max(0, len(report.problems) - ERRORS_SHOWN),
        "skipped_shown": report.skipped_children[:ERRORS_SHOWN],
        "more_skipped": max(0, len(report.skipped_children) - ERRORS_SHOWN),
        "keep_days": settings.SERVICE_IMPORT_KEEP_DAYS,
        "unreadable": (run.report or {}).get("unreadable", ""),
    }
    return no_store(render(request, "onboarding/run.html", context))


def service_import_report(request, pk):
    """The run's report as CSV (every error), audited."""
    _require(request)
    run = run_get(pk=pk)
    list_view_audit(user=request.user, page=f"service import {run.pk} report CSV", path=request.path)
    return download(run_report(run).errors_csv().encode("utf-8"), "text/csv", f"import-report-{run.pk}.csv")
