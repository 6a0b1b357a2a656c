"""The team manager's and AP's team dashboard (placeholder until built)."""

from django.http import Http404


def team_dashboard(request):
    """A team manager's or AP's team: caseload by worker, unallocated, CMMs, sign-offs, supervision, overdue."""
    raise Http404
