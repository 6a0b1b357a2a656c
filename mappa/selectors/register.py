"""The MAPPA register (001 §8) that replaces the SharePoint spreadsheet: every child managed under MAPPA
with category, level, dates and the responsible team, filterable, and exported each quarter.

Visibility: the service manager and the development manager (who shares the register with the MAPPA unit
each quarter, 001 §8) see every record; team managers and advanced practitioners see the records of the
children they may see (the child scope predicate, `children_for_user`); everyone else gets a 404. A row
links to the child only where the user may open the child's record.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cases.models import MANAGER_ROLES, Obligation, Role, Team, User
from cases.rules.calendar import get_calendar
from cases.selectors.core import children_for_user
from meetings.models import Meeting, MeetingKind

from ..models import Criterion, MappaLevel, MappaRecord, RegisterShare

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)
# 001 §8: the development manager shares the register; the service manager sees the whole service.
SERVICE_WIDE = frozenset({Role.SERVICE_MANAGER, Role.DEVELOPMENT_MANAGER})
SHARERS = SERVICE_WIDE

# The register's columns, in order, for the page and both exports (header, key).
# What the MAPPA unit needs of each child (001 §8, issue 17): index offence, date of birth, gender,
# category, level, the Form H date and the next level 1 meeting due.
COLUMNS: list[tuple[str, str]] = [
    ("Name", "name"),
    ("Case number", "case_number"),
    ("Date of birth", "date_of_birth"),
    ("Gender", "gender"),
    ("Index offence", "offence"),
    ("Category", "category"),
    ("Criterion", "criterion"),
    ("Custodial sentence (months)", "custody_months"),
    ("Current level", "level"),
    ("Level since", "level_since"),
    ("Date identified", "identified_on"),
    ("Form H sent", "form_h_sent_on"),
    ("Responsible team", "team"),
    ("Case manager", "case_manager"),
    ("Last level 1 meeting", "last_meeting"),
    ("Next level 1 meeting booked", "next_booked"),
    ("Next level 1 meeting due", "next_due"),
]


class RegisterAnnotations(TypedDict):
    """What register_records annotates on each record (a Subquery each: None when there is nothing)."""

    level_since: datetime.date | None
    last_meeting_at: datetime.datetime | None
    last_meeting_id: int | None
    next_booked_at: datetime.datetime | None
    next_booked_id: int | None
    next_due: datetime.date | None
    next_due_status: str | None


# A record as register_records returns it.
RegisterRecord: TypeAlias = "WithAnnotations[MappaRecord, RegisterAnnotations]"


def can_see_register(user: User) -> bool:
    """The service manager, the development manager, and team managers and advanced practitioners."""
    return bool(user.is_active and (user.role in SERVICE_WIDE or user.role in MANAGER_ROLES))


def can_share_register(user: User) -> bool:
    """Record the quarterly share with the MAPPA unit: the development manager or the service manager."""
    return bool(user.is_active and user.role in SHARERS)


def register_check(user: User) -> None:
    """404 for anyone the register is not for (existence is not disclosed)."""
    if not can_see_register(user):
        raise Http404("No MAPPA register")


def team_choices(user: User) -> list[tuple[str, str]]:
    """The teams the user may filter by: every locality team service-wide, else the user's own team."""
    qs = Team.objects.filter(kind=Team.Kind.LOCALITY).order_by("name")
    if user.role not in SERVICE_WIDE:
        qs = qs.filter(pk=user.team_id) if user.team_id is not None else qs.none()
    return [(str(pk), name) for pk, name in qs.values_list("pk", "name")]


def register_records(
    *,
    user: User,
    team: int | None = None,
    category: int | None = None,
    level: int | None = None,
    form_h_outstanding: bool = False,
) -> QuerySet[RegisterRecord]:
    """Open MAPPA records the user may see, filtered, with everything a row shows annotated (one query)."""
    register_check(user)
    # Open records of children still open to the service: one who has left is not managed by us.
    qs = MappaRecord.objects.filter(ended_on__isnull=True, child__is_open=True)
    if user.role not in SERVICE_WIDE:
        qs = qs.filter(child__in=children_for_user(user=user).values("pk"))
    if team:
        qs = qs.filter(child__team_id=team)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(current_level=level)
    if form_h_outstanding:
        qs = qs.filter(form_h_sent_on__isnull=True)
    level_since = MappaLevel.objects.filter(record=OuterRef("pk")).order_by("-set_on", "-pk")
    meetings = Meeting.objects.filter(child=OuterRef("child"), kind=MeetingKind.MAPPA_LEVEL_1)
    held = meetings.filter(status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED]).order_by(
        "-held_at", "-pk"
    )
    booked = meetings.filter(status=Meeting.Status.BOOKED).order_by("starts_at", "pk")
    due = Obligation.objects.filter(
        child=OuterRef("child"), code="mappa.meeting", status__in=OUTSTANDING
    ).order_by("position")
    return (
        qs.select_related("child", "child__team", "child__case_manager")
        .annotate(
            level_since=Subquery(level_since.values("set_on")[:1]),
            last_meeting_at=Subquery(held.values("held_at")[:1]),
            last_meeting_id=Subquery(held.values("pk")[:1]),
            next_booked_at=Subquery(booked.values("starts_at")[:1]),
            next_booked_id=Subquery(booked.values("pk")[:1]),
            next_due=Subquery(due.values("due")[:1]),
            next_due_status=Subquery(due.values("status")[:1]),
        )
        .order_by("child__team__name", "child__last_name", "child__first_name", "pk")
    )


def visible_child_ids(*, user: User, child_ids) -> set[int]:
    """Which of these children the user may open (one query): the development manager sees register rows
    but not the children's records."""
    ids = list(child_ids)
    if not ids:
        return set()
    return set(children_for_user(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def _local_date(value) -> datetime.date | None:
    """A stored instant as its date in Europe/London."""
    return timezone.localdate(value) if value else None


@dataclass
class RegisterRow:
    """One row of the register, as the page and the exports show it."""

    record: RegisterRecord
    values: dict
    can_open: bool = False  # whether the user may open the child's record (set by the register page)

    def cells(self) -> list:
        """The values in the columns' order."""
        return [self.values[key] for _, key in COLUMNS]


def register_row(record: RegisterRecord) -> RegisterRow:
    """A register row from an annotated record (register_records): plain values, dates as dates."""
    child = record.child
    return RegisterRow(
        record=record,
        values={
            "name": child.full_name,
            "case_number": child.case_number,
            "date_of_birth": child.date_of_birth,
            "gender": child.get_gender_identity_display(),
            "offence": record.offence,
            "category": record.category,
            "custody_months": record.custody_months,
            "criterion": Criterion(record.criterion).label if record.criterion in Criterion.values else "",
            "level": record.current_level,
            "level_since": record.level_since,
            "identified_on": record.identified_on,
            "form_h_sent_on": record.form_h_sent_on,
            "team": child.team.name,
            "case_manager": str(child.case_manager) if child.case_manager_id else "Not allocated",
            "last_meeting": _local_date(record.last_meeting_at),
            "next_booked": _local_date(record.next_booked_at),
            "next_due": record.next_due,
        },
    )


def register_rows(records) -> list[RegisterRow]:
    """Rows for an iterable of annotated records."""
    return [register_row(r) for r in records]


# ---------------------------------------------------------------------------------------------------
# Quarters (001 §8: "shared with the MAPPA unit on a quarterly basis")


def quarter_of(day: datetime.date) -> str:
    """The quarter a date falls in, as "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    """The first and last calendar days of a quarter like "2026-Q4"; ValueError if malformed."""
    year_text, _, q_text = quarter.partition("-Q")
    year, q = int(year_text), int(q_text)
    if not 1 <= q <= 4:
        raise ValueError(quarter)
    first_month = 3 * (q - 1) + 1
    last_month = first_month + 2
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def previous_quarter(quarter: str) -> str:
    """The quarter before ("2027-Q1" → "2026-Q4")."""
    start, _ = quarter_bounds(quarter)
    return quarter_of(start - datetime.timedelta(days=1))


def quarter_due(quarter: str) -> datetime.date:
    """The last working day of the quarter (England and Wales bank holidays): the share's due date."""
    return get_calendar().on_or_before(quarter_bounds(quarter)[1])


def quarter_label(quarter: str) -> str:
    """ "2026-Q4" → "October to December 2026 (2026-Q4)"."""
    start, end = quarter_bounds(quarter)
    return f"{start:%B} to {end:%B %Y} ({quarter})"


def shares() -> list[RegisterShare]:
    """Every recorded quarterly share, latest quarter first."""
    return list(RegisterShare.objects.select_related("shared_by").order_by("-quarter"))


def unshared_quarters(*, today: datetime.date) -> list[str]:
    """The current and the previous quarter, where not yet recorded as shared (most recent first)."""
    current = quarter_of(today)
    candidates = [current, previous_quarter(current)]
    done = set(RegisterShare.objects.filter(quarter__in=candidates).values_list("quarter", flat=True))
    return [q for q in candidates if q not in done]


def open_record_count() -> int:
    """How many children are on the register (every open record): the rows of a share."""
    return MappaRecord.objects.filter(ended_on__isnull=True).count()


__all__ = [
    "COLUMNS",
    "RegisterRow",
    "can_see_register",
    "can_share_register",
    "open_record_count",
    "previous_quarter",
    "quarter_bounds",
    "quarter_due",
    "quarter_label",
    "quarter_of",
    "register_check",
    "register_records",
    "register_row",
    "register_rows",
    "shares",
    "team_choices",
    "unshared_quarters",
    "visible_child_ids",
]
