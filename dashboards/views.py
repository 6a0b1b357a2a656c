"""Dashboard pages (placeholders until built)."""

from django.http import Http404


def team_dashboard(request):
    """A team manager's or AP's team: caseload by worker, unallocated, CMMs, sign-offs, supervision, overdue."""
    raise Http404


def compliance_dashboard(request):
    """The service manager's compliance dashboard: obligation type x team, trend, caseload profile."""
    raise Http404


def compliance_drilldown(request):
    """The children (or workers) behind one figure on the compliance dashboard."""
    raise Http404


def compliance_export_csv(request):
    """The compliance figures for the chosen period as CSV."""
    raise Http404


def compliance_export_xlsx(request):
    """The compliance figures for the chosen period as XLSX."""
    raise Http404
