"""Reads for the Record of Supervision (000 App. C, 000 §4.1-§4.2, §6.1, 002 Frequency).

- The frequency in force: the policy profile's standard (000 §4.1 six-weekly; 002 every calendar month),
  or a more frequent one agreed for the worker (002: new case managers).
- A worker's supervision obligations, as the rules module stored them (never computed here).
- "Active supervision" (000 §4.2): the worker holds an open case with a Very High RoSH, SaW or LoR.
- The leave gap (002 Frequency): leave since the last formal supervision, when the gap is longer than
  the standard interval, must be recorded on the next supervision record.
"""

import calendar
import dataclasses
import datetime
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.models import Child, Leave, Obligation, RiskLevel, User
from cases.selectors.core import children_for_user

from ..access import can_supervise, chain_above
from ..models import FORMAL_METHODS, CaseDiscussion, SupervisionFrequency, SupervisionSession

SUPERVISION_CODES = ("supervision.staff", "supervision.agreed")
STANDARD_WEEKS = 6  # 000 §4.1: "at least every six weeks"


class AgendaItem(TypedDict):
    """A section of 000 App. C's agenda."""

    number: int
    field: str | None
    title: str
    hint: str
    restricted: bool


# The agenda of 000 App. C in its order, with the field holding each section (None: the cases discussed).
# `restricted` sections are seen only by the supervisee, their supervisor and those above (issue 6).
AGENDA: tuple[AgendaItem, ...] = (
    {
        "number": 1,
        "field": "personal_wellbeing",
        "title": "Personal Wellbeing",
        "hint": "including Attendance Flexi Leave, Health and Safety",
        "restricted": True,
    },
    {
        "number": 2,
        "field": "matters_arising",
        "title": "Matters Arising/Actions from Previous Supervision",
        "hint": "non-case related",
        "restricted": False,
    },
    {
        "number": 3,
        "field": None,
        "title": "Cases Discussed",
        "hint": "list of young people who have been discussed using initials and case number",
        "restricted": False,
    },
    {
        "number": 4,
        "field": "performance",
        "title": "Performance",
        "hint": "including Good Practice, Areas for Improvement, Capability Procedures, and Obstacles to "
        "Effective Service Delivery",
        "restricted": True,
    },
    {
        "number": 5,
        "field": "training_development",
        "title": "Training and Development",
        "hint": "Including facilitation of space for workers to reflect on their practice and anything that "
        "could be done differently following on from any case consultations (e.g. SLT/Clinical Psych), "
        "Learning Reviews, QA Audits etc.",
        "restricted": False,
    },
    {
        "number": 6,
        "field": "team_relationships",
        "title": "Team/Service Relationships",
        "hint": "",
        "restricted": False,
    },
    {
        "number": 7,
        "field": "policies_procedures",
        "title": "Policies and Procedures",
        "hint": "",
        "restricted": False,
    },
    {"number": 8, "field": "aob", "title": "AOB", "hint": "Any other business", "restricted": False},
)
TEXT_FIELDS = tuple(s["field"] for s in AGENDA if s["field"]) + ("discussion_notes",)
RESTRICTED_FIELDS = tuple(s["field"] for s in AGENDA if s["restricted"])


@dataclasses.dataclass(frozen=True)
class LeaveGap:
    """Leave in the period since the worker's last formal supervision (002 Frequency)."""

    since: datetime.date
    since_label: str
    held_on: datetime.date
    periods: tuple
    exceeds_interval: bool

    @property
    def required(self) -> bool:
        """Whether the gap must be recorded: leave in a period longer than the standard interval."""
        return self.exceeds_interval and bool(self.periods)

    @property
    def text(self) -> str:
        """The suggested record of the gap, one leave period a line ("On planned leave 3–21 Aug 2026")."""
        return "\n".join(leave_period_text(leave) for leave in self.periods)


def is_islington() -> bool:
    """Whether the active profile is Islington's (002: every calendar month)."""
    return settings.POLICY_PROFILE == "islington"


def standard_frequency() -> dict:
    """The profile's standard supervision frequency, with its policy basis."""
    if is_islington():
        return {"label": "every calendar month", "basis": "002 Frequency"}
    if settings.POLICY_PROFILE == "enfield":
        return {"label": "every 6 weeks", "basis": "000 §4.1 (the inherited catalogue)"}
    return {"label": "every 6 weeks", "basis": "000 §4.1, 001 §2"}


def frequency_in_force(*, worker: User, today: datetime.date | None = None) -> dict:
    """The frequency in force today: the latest agreed one from on or before today, else the standard.

    Also the next agreed change, if one is set from a later date.
    """
    today = today or timezone.localdate()
    rows = list(SupervisionFrequency.objects.filter(worker=worker).select_related("set_by")[:20])
    current = next((r for r in rows if r.from_date <= today), None)
    upcoming = next((r for r in reversed(rows) if r.from_date > today), None)
    standard = standard_frequency()
    if current is not None and current.weeks:
        label = f"every {current.weeks} weeks"
        basis = "002 Frequency: increased frequency agreed for the worker"
    else:
        label, basis = standard["label"], standard["basis"]
    return {
        "label": label,
        "basis": basis,
        "agreed": current if current is not None and current.weeks else None,
        "upcoming": upcoming,
        "standard": standard,
    }


def worker_supervision_obligations(*, worker: User) -> dict:
    """The worker's supervision obligations from the rules module: overdue, next due, and the last met."""
    rows = list(
        Obligation.objects.filter(worker=worker, child__isnull=True, code__in=SUPERVISION_CODES).order_by(
            "due", "position"
        )
    )
    overdue = [o for o in rows if o.status == Obligation.Status.OVERDUE]
    upcoming = [o for o in rows if o.status == Obligation.Status.OPEN]
    met = [o for o in rows if o.status in (Obligation.Status.MET, Obligation.Status.MET_LATE)]
    return {
        "overdue": overdue,
        "next": upcoming[:2],
        "outstanding": overdue + upcoming[:2],
        "last_met": max(met, key=lambda o: (o.met_on or datetime.date.min, o.position)) if met else None,
    }


def active_supervision_cases(*, worker: User, viewer: User | None = None) -> list[Child]:
    """000 §4.2: the worker's open cases with a Very High RoSH, SaW or LoR (active supervision), of
    those the viewer may see."""
    very_high = RiskLevel.VERY_HIGH
    visible = Child.objects.all() if viewer is None else children_for_user(user=viewer)
    return list(
        visible.filter(case_manager=worker, is_open=True)
        .filter(Q(rosh=very_high) | Q(saw=very_high) | Q(lor=very_high))
        .only("id", "first_name", "last_name", "case_number", "rosh", "saw", "lor")
        .order_by("case_number")
    )


def sessions_for_worker(*, worker: User) -> QuerySet[SupervisionSession]:
    """The worker's Records of Supervision, newest first, with how many cases each discussed."""
    return (
        SupervisionSession.objects.filter(supervisee=worker)
        .select_related("supervisor")
        .defer("pdf")
        .annotate(cases_discussed=Count("case_discussions"))
        .order_by("-held_on", "-pk")
    )


def last_formal_session(
    *, worker: User, before: datetime.date, exclude_pk: int | None = None
) -> SupervisionSession | None:
    """The worker's last formal (not group, not cancelled) supervision held before a date (002)."""
    qs = (
        SupervisionSession.objects.filter(supervisee=worker, method__in=FORMAL_METHODS, held_on__lt=before)
        .exclude(status=SupervisionSession.Status.CANCELLED)
        .defer("pdf")
        .order_by("-held_on", "-pk")
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _month_end_after(day: datetime.date) -> datetime.date:
    """The last day of the calendar month after the one `day` falls in (002: one each calendar month)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def exceeds_standard_interval(*, since: datetime.date, held_on: datetime.date) -> bool:
    """Whether the time between two supervisions is longer than the profile's standard interval.

    Six weeks (000 §4.1): more than 42 days. Every calendar month (002): a supervision held after the end
    of the month following the previous one's month (a whole calendar month went without).
    """
    if is_islington():
        return held_on > _month_end_after(since)
    return (held_on - since).days > STANDARD_WEEKS * 7


def leave_gap_for(*, worker: User, held_on: datetime.date, exclude_pk: int | None = None) -> LeaveGap:
    """The leave overlapping the period since the worker's last formal supervision (or since they
    started), and whether that period is longer than the standard interval (002 Frequency)."""
    last = last_formal_session(worker=worker, before=held_on, exclude_pk=exclude_pk)
    if last is not None:
        since = last.held_on
        since_label = f"their last formal supervision on {since:%-d %B %Y}"
    else:
        since = timezone.localdate(worker.date_joined)
        since_label = f"they started on {since:%-d %B %Y}"
    periods = tuple(
        Leave.objects.filter(worker=worker, start_date__lte=held_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .order_by("start_date", "pk")
    )
    return LeaveGap(
        since=since,
        since_label=since_label,
        held_on=held_on,
        periods=periods,
        exceeds_interval=exceeds_standard_interval(since=since, held_on=held_on),
    )


def date_range_text(start: datetime.date, end: datetime.date | None) -> str:
    """'3–21 Aug 2026', '28 Jul – 4 Aug 2026', '29 Dec 2025 – 2 Jan 2026', or 'from 3 Aug 2026'."""
    if end is None:
        return f"from {start:%-d %b %Y} (no return date recorded)"
    if start == end:
        return f"{start:%-d %b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%-d}–{end:%-d %b %Y}"
    if start.year == end.year:
        return f"{start:%-d %b} – {end:%-d %b %Y}"
    return f"{start:%-d %b %Y} – {end:%-d %b %Y}"


def leave_period_text(leave: Leave) -> str:
    """One leave period as the record states it ("On planned leave 3–21 Aug 2026")."""
    kind = "planned leave" if leave.kind == Leave.Kind.PLANNED else "unplanned leave"
    return f"On {kind} {date_range_text(leave.start_date, leave.end_date)}"


def supervisor_candidates(*, worker: User, user: User) -> list[User]:
    """Who may be named as the supervisor: those above the worker in the chain, and the user recording."""
    people = [p for p in chain_above(worker) if p.is_active]
    if user.pk not in {p.pk for p in people} and can_supervise(user, worker):
        people.insert(0, user)
    return people


def session_discussions(*, session: SupervisionSession) -> list[CaseDiscussion]:
    """The case discussions held in this supervision, with their child (initials and case number only)."""
    return list(
        session.case_discussions.select_related("child")
        .only("id", "status", "kind", "held_on", "session_id", "child__id", "child__first_name",
              "child__last_name", "child__case_number")
        .order_by("child__case_number", "pk")
    )  # fmt: skip


def session_discussions_for_page(
    *, session: SupervisionSession, user: User
) -> tuple[list[CaseDiscussion], list[CaseDiscussion]]:
    """The record's case discussions of children the user may see (a supervisor sees only those: ADR
    0005), in the order held: the drafts, whole (the page writes them), and those already on the file.
    Two queries, whatever the number."""
    rows = list(
        session.case_discussions.filter(child__in=children_for_user(user=user).values("pk"))
        .select_related("child")
        .order_by("pk")
    )
    return [d for d in rows if d.is_draft], [d for d in rows if not d.is_draft]


def cases_to_discuss(*, session: SupervisionSession, user: User, discussed: bool = False) -> QuerySet[Child]:
    """The supervisee's open cases the user may see (002: every open case discussed), less those this
    record already has a case discussion of (unless `discussed`: a page sent back names them)."""
    cases = children_for_user(user=user).filter(case_manager=session.supervisee, is_open=True)
    if not discussed:
        cases = cases.exclude(case_discussions__session=session)
    return cases.order_by("last_name", "first_name", "case_number")


def open_cases_for(*, worker: User, viewer: User | None = None) -> list[Child]:
    """The supervisee's open cases (002: every open case discussed) the viewer may see, by case number."""
    visible = Child.objects.all() if viewer is None else children_for_user(user=viewer)
    return list(
        visible.filter(case_manager=worker, is_open=True)
        .only("id", "first_name", "last_name", "case_number", "rosh", "saw", "lor")
        .order_by("case_number")
    )


def session_has_content(session: SupervisionSession, *, discussions: int = 0) -> bool:
    """Whether anything is recorded in the agenda (a text section, or a case discussed)."""
    return discussions > 0 or any(getattr(session, name).strip() for name in TEXT_FIELDS)


def session_missing(*, session: SupervisionSession) -> list[str]:
    """What the record still needs before it can be finalised (000 App. C), as messages."""
    problems = []
    if not session_has_content(session, discussions=session.case_discussions.count()):
        problems.append("Record something in at least one section of the agenda")
    if session.next_date is None:
        problems.append(
            "Enter the date of the next supervision (000 App. C: Date, Time and Place of Next Supervision)"
        )
    gap = leave_gap_for(worker=session.supervisee, held_on=session.held_on, exclude_pk=session.pk)
    if gap.required and not session.leave_gap.strip():
        problems.append("Record the gap in supervision caused by leave (002 Frequency)")
    return problems
