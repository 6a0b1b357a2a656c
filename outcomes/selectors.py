"""Reads for the KPI facts (issue 21): a child's circumstances by kind, one record of a child's, the child's
KPI snapshots, and the management board's meetings. The child itself is always fetched first with the cases
access helper (`child_get_for_user`: 404 outside the user's scope), so these never widen anyone's view."""

from __future__ import annotations

import datetime
from typing import Any

import rules
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Child

from .kinds import KINDS
from .models import BoardAttendance, BoardMeeting, Snapshot

# How many of each kind the tab shows before "View all" (the whole list paginates).
SHOWN = 5


def records_for_child(*, child: Child, kind: str) -> QuerySet:
    """The child's records of one kind, latest first."""
    spec = KINDS[kind]
    qs = spec.model.objects.filter(child=child).select_related("recorded_by")
    if kind in ("offences", "victims"):
        qs = qs.select_related("programme")
    if kind == "victims":
        qs = qs.select_related("offence")
    return qs.order_by(f"-{spec.date_field}", "-pk")


def circumstances_for_child(*, child: Child, today: datetime.date | None = None) -> list[dict]:
    """Each kind's latest records (SHOWN of them) and how many there are, in the tab's order; a dated
    record is marked current when it holds today. Two queries a kind, whatever the number of records."""
    today = today or timezone.localdate()
    sections = []
    for slug, spec in KINDS.items():
        records = list(records_for_child(child=child, kind=slug)[:SHOWN])
        count = spec.model.objects.filter(child=child).count()
        rows = [{"record": r, "current": spec.dated and r.covers(today)} for r in records]
        sections.append({"kind": spec, "rows": rows, "count": count})
    return sections


def record_get_for_child(*, child: Child, kind: str, pk) -> Any:
    """One of the child's records of this kind; 404 for any other (another child's, or none)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("No such kind of record")
    try:
        return spec.model.objects.select_related("child").get(child=child, pk=pk)
    except (spec.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No record found") from None


def snapshots_for_child(*, child: Child) -> list[Snapshot]:
    """The child's KPI snapshots with their programmes, latest intervention first (one query)."""
    return list(
        Snapshot.objects.filter(child=child)
        .select_related("programme")
        .order_by("-programme__start_date", "-programme_id", "-point")
    )


# ---------------------------------------------------------------------------------------------------
# The management board (KPI 7)


def can_view_board(user) -> bool:
    """The service manager, and team managers and advanced practitioners to read."""
    return rules.has_perm("outcomes.view_board", user)


def can_record_board(user) -> bool:
    """The service manager records the board's meetings."""
    return rules.has_perm("outcomes.record_board", user)


def board_meetings() -> QuerySet[BoardMeeting]:
    """Every board meeting, latest first, with how many partners attended (at a senior level)."""
    return BoardMeeting.objects.annotate(
        attended=Count("attendance", filter=Q(attendance__attended=True)),
        senior=Count("attendance", filter=Q(attendance__attended=True, attendance__senior=True)),
        with_data=Count("attendance", filter=Q(attendance__contributed_data=True)),
    ).order_by("-held_on")


def board_meeting_get(*, user, pk) -> BoardMeeting:
    """One board meeting with its attendance, for someone who may see the board; 404 otherwise."""
    if not can_view_board(user):
        raise Http404("No meeting found")
    try:
        return BoardMeeting.objects.prefetch_related(
            Prefetch("attendance", queryset=BoardAttendance.objects.order_by("partner"))
        ).get(pk=pk)
    except (BoardMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No meeting found") from None
