"""The service manager's compliance dashboard, drill-down and exports (placeholders until built)."""

from django.http import Http404


def compliance_dashboard(request):
    """Obligation type x team: due, met on time, met late, overdue, % on time; trend; caseload profile."""
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
