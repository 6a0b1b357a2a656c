"""Reads for a child's MAPPA records (001 §8): who may change them, the open record, the level history,
the child's mappa.* obligations and the MAPPA level 1 meetings held through the CMM machinery.

Access follows the child: a view first calls `cases.selectors.core.child_get_for_user` (404 outside the
user's scope), then these helpers fetch the child's own records (404 if not the child's).
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cases.models import MANAGER_ROLES, Child, Obligation, Programme, Role, User
from cases.worklinks import action_url
from meetings.models import Meeting, MeetingKind

from ..models import MappaLevel, MappaRecord

OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)


def can_manage_mappa(*, user: User, child: Child) -> bool:
    """Record eligibility, Form H, the level and the end: a TM or AP of the child's team ("recorded ... by
    the Locality TM", 001 §8; the level discussed with the TM or AP), or the service manager."""
    if not user.is_active:
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in MANAGER_ROLES and user.team_id is not None and user.team_id == child.team_id


def recorded_custody_months(*, child: Child) -> int | None:
    """The longest DTO / section 91 custody on the child's record, to start the MAPPA form from (the user
    may correct it: a sentence passed elsewhere may not be on our record)."""
    rows = child.programmes.filter(kind=Programme.Kind.DTO_CUSTODY).values_list("custody_months", flat=True)
    months: list[int] = [m for m in rows if m is not None]
    return max(months, default=None)


def open_record_for(*, child: Child) -> MappaRecord | None:
    """The child's MAPPA record still managed under MAPPA (at most one), or None."""
    return (
        MappaRecord.objects.filter(child=child, ended_on__isnull=True)
        .select_related("form_h_sent_by", "recorded_by")
        .order_by("-identified_on", "-pk")
        .first()
    )


def records_for_child(*, child: Child) -> list[MappaRecord]:
    """Every MAPPA record of the child, open first then latest, with the level history (two queries)."""
    levels = MappaLevel.objects.select_related("set_by").order_by("-set_on", "-pk")
    return list(
        MappaRecord.objects.filter(child=child)
        .select_related("form_h_sent_by", "recorded_by")
        .prefetch_related(Prefetch("levels", queryset=levels))
        .order_by("ended_on", "-identified_on", "-pk")
    )


def record_get_for_user(*, user: User, child: Child, pk) -> MappaRecord:
    """A MAPPA record of a child the user can already see (child_get_for_user first); 404 otherwise."""
    try:
        return MappaRecord.objects.select_related("child", "child__team").get(child=child, pk=pk)
    except (MappaRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("No MAPPA record found") from None


def latest_level(*, record: MappaRecord) -> MappaLevel | None:
    """The level in force: the latest setting by date (then by entry)."""
    return record.levels.order_by("-set_on", "-pk").first()


def mappa_obligations(*, child: Child, user=None) -> list[Obligation]:
    """The child's mappa.* obligations in the rules module's order, each with the page where this user
    does it."""
    rows = list(child.obligations.filter(code__startswith="mappa.").order_by("position"))
    for row in rows:
        # Annotated for the template only (the page where it is done); not a model field.
        url = action_url(row.code, child.pk, user=user, child=child) if row.is_outstanding else ""
        row.action_url = url  # type: ignore[attr-defined]
    return rows


def level_1_meetings(*, child: Child) -> QuerySet[Meeting]:
    """The child's MAPPA level 1 information sharing meetings (CMM machinery, 001 §8), latest first."""
    return (
        child.meetings.filter(kind=MeetingKind.MAPPA_LEVEL_1)
        .select_related("chair")
        .order_by("-starts_at", "-pk")
    )


def booked_level_1(*, child: Child) -> Meeting | None:
    """The next booked MAPPA level 1 meeting, if one is booked."""
    return (
        child.meetings.filter(kind=MeetingKind.MAPPA_LEVEL_1, status=Meeting.Status.BOOKED)
        .order_by("starts_at", "pk")
        .first()
    )
