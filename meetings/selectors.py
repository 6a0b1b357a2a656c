"""Reads for meetings. Access follows the child: a meeting is visible to whoever may see its child."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases import policy
from cases.facts import child_facts
from cases.models import MANAGER_ROLES, Child, Role, User
from cases.rules.engine import compute
from cases.selectors.core import children_for_user

from .facts import held_facts
from .models import Invitation, Meeting, MeetingAction, MeetingKind, Participation


def participation_for(kind: str) -> tuple[str, str]:
    """How the child and parent/carer take part in this kind of meeting, and who acts (000 §1.2)."""
    if kind in (MeetingKind.RISK_REVIEW, MeetingKind.MAPPA_LEVEL_1, MeetingKind.SIGNIFICANT_EVENT):
        return Participation.VIEWS_BEFORE, "The case manager gathers their views of risk before the meeting."
    if kind in (MeetingKind.BAIL, MeetingKind.ISS_REVIEW, MeetingKind.RELEASE):
        return (
            Participation.ASKED_TO_ATTEND,
            "The case manager asks whether they wish to attend and, if not, gathers their views and "
            "presents them at the meeting.",
        )
    if kind == MeetingKind.REOFFENDING:
        return (
            Participation.ASKED_TO_ATTEND,
            "The case manager asks whether they wish to attend; if not, the team manager or AP gathers "
            "their views and presents them at the meeting.",
        )
    return (
        Participation.MEET_TM,
        "The team manager or AP meets the child and parent/carer to discuss non-compliance.",
    )


def meetings_for_child(*, child: Child) -> QuerySet[Meeting]:
    """The child's meetings, latest first, with the people named (a fixed number of queries)."""
    return child.meetings.select_related("chair", "case_manager").order_by("-starts_at", "-pk")


def meeting_get_for_user(*, user, child: Child, pk) -> Meeting:
    """A meeting of a child the user can already see (child_get_for_user first); 404 otherwise."""
    try:
        return (
            child.meetings.select_related(
                "chair", "case_manager", "booked_by", "finalised_by", "views_gathered_by"
            )
            .prefetch_related(
                "panel_members",
                Prefetch("invitations", queryset=Invitation.objects.select_related("user")),
                Prefetch("actions", queryset=MeetingAction.objects.select_related("owner", "task")),
            )
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No meeting found") from None


def can_manage_meetings(*, user, child: Child) -> bool:
    """Book, chair and record the child's meetings: a TM or AP of the child's team, or the service manager.

    001 §6.2: CMMs are chaired by the team manager, or an advanced practitioner where the TM is unavailable.
    """
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in MANAGER_ROLES and user.team_id is not None and user.team_id == child.team_id


def can_edit_record(*, user, meeting: Meeting) -> bool:
    """Write the meeting's record: its chair, or a manager who may manage the child's meetings."""
    return meeting.chair_id == user.pk or can_manage_meetings(user=user, child=meeting.child)


def can_prepare(*, user, meeting: Meeting) -> bool:
    """Complete the case manager's parts (views, compliance report): the case manager or a manager."""
    return meeting.case_manager_id == user.pk or can_edit_record(user=user, meeting=meeting)


def chair_candidates(*, child: Child) -> QuerySet[User]:
    """Who may chair: team managers and APs of the child's team (001 §6.2)."""
    return User.objects.filter(is_active=True, role__in=list(MANAGER_ROLES), team_id=child.team_id).order_by(
        "role", "last_name", "first_name"
    )


def is_team_manager_of(*, user: User, child: Child) -> bool:
    """The team manager of the child's team: who chairs a MAPPA level 1 meeting (001 §8)."""
    return bool(user.is_active and user.role == Role.TEAM_MANAGER and user.team_id == child.team_id)


def staff_candidates(*, child: Child) -> QuerySet[User]:
    """Colleagues who may be the case manager or a standing panel member: active staff who hold cases."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role__in=[Role.ADMINISTRATOR, Role.BUSINESS_SUPPORT])
        .select_related("team")
        .order_by("team__name", "last_name", "first_name")
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    """The child's last finalised meeting before this one, whose actions this one reviews (001 App. 4)."""
    return (
        Meeting.objects.filter(
            child_id=meeting.child_id, status=Meeting.Status.FINALISED, starts_at__lt=meeting.starts_at
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def notice_from(today: datetime.date) -> datetime.date:
    """The first day a meeting booked today gives agencies the profile's notice (001 §6.2: two weeks)."""
    return policy.due_after("cmm.notice", today)


def short_notice(*, starts_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Whether a meeting at `starts_at` gives agencies less than the notice 001 §6.2 asks for."""
    now = now or timezone.now()
    return timezone.localdate(starts_at) < notice_from(timezone.localdate(now))


def compliance_report_deadline(*, meeting: Meeting) -> datetime.datetime:
    """When the compliance report must reach the chair: the profile's hours before the meeting (000 §1.3)."""
    return policy.duration("cmm.compliance_report").instant_before(meeting.starts_at)


def compliance_report_late(*, meeting: Meeting) -> bool:
    """Whether the compliance report reached the chair after its deadline (000 §1.3: 24 hours before)."""
    submitted = meeting.compliance_report_submitted_at
    return bool(submitted and submitted > compliance_report_deadline(meeting=meeting))


def record_missing(*, meeting: Meeting) -> list[str]:
    """What the record still needs before it can be finalised (001 App. 4), as messages for the user."""
    missing = []
    if meeting.held_at is None:
        missing.append("Record that the meeting was held, with who attended")
    if not meeting.attendees.strip():
        missing.append("Enter the attendees")
    if not meeting.reason.strip():
        missing.append("Enter the reason for the meeting")
    if not meeting.plan_progress.strip():
        # 000 App. A: on every CMM record, not only a compliance CMM's (issue 17).
        missing.append("Enter the details of the current intervention plan and any progress or barriers")
    if not meeting.views.strip():
        missing.append("Enter the child's and parent/carer's views")
    saw_only = meeting.is_csc_combined and meeting.csc_decision == Meeting.CscDecision.NO_CMM_NEEDED
    if not meeting.rosh_analysis.strip() and not saw_only:
        missing.append("Enter the Risk of Serious Harm assessment")
    if not meeting.saw_analysis.strip():
        missing.append("Enter the Safety and Wellbeing assessment")
    if not meeting.lor_analysis.strip() and not saw_only:
        missing.append("Enter the Likelihood of Re-offending")
    if not meeting.risk_management_plan.strip() and not meeting.is_csc_combined:
        missing.append("Enter the risk management plan")
    if not (meeting.revised_rosh and meeting.revised_saw and meeting.revised_lor):
        missing.append("Enter the revised RoSH, SaW and LoR levels")
    if meeting.kind == MeetingKind.COMPLIANCE and meeting.compliance_report_submitted_at is None:
        missing.append("The case manager must complete the compliance report")
    if (
        meeting.kind == MeetingKind.COMPLIANCE
        and meeting.child.looked_after
        and meeting.breach_presumption_considered is not True
    ):
        missing.append(
            "Confirm the presumption against breach for a child in care was considered (000 App. A)"
        )
    return missing


def _days_ahead(today: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and the end of the day `days` ahead, as aware London datetimes."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time.max)
    )
    return start, end


def meetings_for_user_upcoming(*, user, today: datetime.date, days: int = 14) -> list[Meeting]:
    """Meetings the user chairs or is the case manager for, from today to `days` ahead, and any held
    meeting whose record they still owe (held, not finalised)."""
    visible = children_for_user(user=user).values("pk")
    _, end = _days_ahead(today, days)
    # Booked up to `days` ahead (including any whose date passed without being recorded held), and held.
    return list(
        Meeting.objects.filter(child__in=visible)
        .filter(Q(chair=user) | Q(case_manager=user))
        .filter(Q(status=Meeting.Status.BOOKED, starts_at__lte=end) | Q(status=Meeting.Status.HELD))
        .select_related("child", "chair")
        .order_by("starts_at")
    )


def meetings_for_team_upcoming(*, user, today: datetime.date, days: int) -> list[Meeting]:
    """For a manager, the team's booked meetings in the next `days` days (every team's, for the service
    manager), on children the user may see."""
    if not (user.is_manager or user.role == Role.SERVICE_MANAGER):
        return []
    start, end = _days_ahead(today, days)
    qs = Meeting.objects.filter(
        child__in=children_for_user(user=user).values("pk"),
        status=Meeting.Status.BOOKED,
        starts_at__gte=start,
        starts_at__lte=end,
    )
    if user.role != Role.SERVICE_MANAGER:
        qs = qs.filter(child__team_id=user.team_id)
    return list(qs.select_related("child", "chair", "case_manager").order_by("starts_at", "pk"))


def business_support_for(*, child: Child) -> User | None:
    """The business support officer of the child's team, if there is one (001 §6.2 CSC minutes)."""
    return (
        User.objects.filter(is_active=True, role=Role.BUSINESS_SUPPORT, team_id=child.team_id)
        .order_by("pk")
        .first()
    )


# The recurring CMM chains a meeting's record schedules the next meeting of (000 §1.3, 001 §6 table and
# §8): the 11-weekly risk review and the 3-monthly post-release review, and for a MAPPA level 1 meeting
# its own chain too. One-off CMMs (compliance, bail, re-offending) have no next one due by rule.
NEXT_REVIEW_CODES = ("cmm.risk_review", "cmm.post_release")
NEXT_MAPPA_CODES = ("mappa.meeting", *NEXT_REVIEW_CODES)


class NextDue(NamedTuple):
    """When the rules want the child's next meeting after this one, and which obligation says so."""

    due: datetime.date
    code: str
    title: str
    basis: str


def next_review_due(*, meeting: Meeting) -> NextDue | None:
    """The due date of the child's next review after this meeting, as the rules module computes it from
    the child's facts with this meeting held (on its held date, or its booked date if not yet held)."""
    if meeting.status == Meeting.Status.CANCELLED:
        return None
    child = meeting.child
    day = timezone.localdate(meeting.held_at or meeting.starts_at)
    facts = child_facts(child=child)
    if meeting.held_at is None:
        held = timezone.localtime(meeting.starts_at).replace(microsecond=0)
        facts.extend(held_facts(meeting, held))
    result = compute({"policy": settings.POLICY_PROFILE, "as_of": day.isoformat(), "facts": facts})
    codes = NEXT_MAPPA_CODES if meeting.is_mappa else NEXT_REVIEW_CODES
    found = []
    for item in result["obligations"]:
        if item["code"] not in codes or item["status"] not in ("open", "overdue") or not item["due"]:
            continue
        due = datetime.date.fromisoformat(item["due"][:10])
        if due > day:
            found.append(NextDue(due, item["code"], item["title"], item["basis"]))
    return min(found, default=None)


def next_meeting_late(*, meeting: Meeting) -> NextDue | None:
    """The rule's due date when the record's next meeting is set later than it (a warning), else None."""
    if meeting.next_meeting_at is None:
        return None
    due = next_review_due(meeting=meeting)
    if due is None or timezone.localdate(meeting.next_meeting_at) <= due.due:
        return None
    return due


def last_next_meeting(*, child: Child) -> Meeting | None:
    """The child's last held meeting whose record set a next meeting still to come (the booking page
    starts from it)."""
    return (
        child.meetings.filter(
            status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], next_meeting_at__isnull=False
        )
        .order_by("-held_at", "-pk")
        .first()
    )
