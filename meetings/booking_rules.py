"""Who books a meeting and what a booking must hold (001 §6.2, §6.5, §8; 000 §1.3-§1.4).

`booking_problems` returns every problem with a booking at once, by the booking form's field names
(`__all__` for who books), so the form shows them together and the service refuses with the same
dict (a ValidationError carrying every error, shown by `core.views.service_errors(by_field=True)`).

Readings of 001 §6.2 ("Responsibility for booking the initial CMM is the responsibility of the
gatekeeper ...; all subsequent reviews should be booked by the chair of the CMM"):

- The **initial CMM** is the child's first CMM: no CMM (nor MAPPA level 1 meeting, which follows the
  CMM procedures, 001 §8) has been held for them yet. It is booked by the **gatekeeper**: whoever
  gatekept the child's most recent gatekept assessment (001 §6: the TM, the AP or the senior case
  manager on duty). When no gatekeeper is recorded, or they are absent or have left, a team manager or
  advanced practitioner of the child's team books it instead (as App. 1 lets a colleague with the role
  act for an absent one). Other colleagues are refused, naming the gatekeeper.
- **Later CMMs** are booked by the chair: the person booking chairs the new meeting, or chaired the
  child's last CMM (and books it for a colleague to chair).
- The service manager may always book (service-wide cover). MAPPA level 1 meetings (chaired by the TM,
  001 §8) and combined CSC meetings (CSC arranges them, 000 §1.4) are booked, as before, by a TM or AP
  of the child's team.
- **Minimum attendance** (001 §6.2: the TM as chair, the case manager and "Identified Standing Panel
  Member(s)"): a CMM invites at least one standing panel member other than the chair and the case
  manager, or the booking records why not. A combined CSC meeting is CSC's (its attendees are theirs).
"""

import datetime

from django.utils import timezone

from cases import policy
from cases.models import MANAGER_ROLES, MEDIUM_OR_ABOVE, Assessment, Child, RiskLevel, Role, User
from cases.policy import timescale_text

from . import selectors
from .models import Meeting, MeetingKind

ALL = "__all__"
PANEL_MINIMUM = (
    "Choose at least one standing panel member, or say why none is invited: a CMM is attended as a "
    "minimum by the chair, the case manager and a standing panel member (001 §6.2)"
)


def is_initial_cmm(*, child: Child) -> bool:
    """Whether the child has had no CMM yet (a held MAPPA level 1 meeting counts; a CSC meeting does not)."""
    return not child.meetings.filter(
        status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], csc_meeting_type=""
    ).exists()


def gatekeeper(*, child: Child) -> User | None:
    """Who gatekept the child's most recent gatekept assessment (001 §6, App. 1), if anyone."""
    assessment = (
        Assessment.objects.filter(child=child, gatekept_by__isnull=False)
        .select_related("gatekept_by")
        .order_by("-gatekept_on", "-pk")
        .first()
    )
    return assessment.gatekept_by if assessment else None


def last_chair(*, child: Child) -> User | None:
    """The chair of the child's last CMM held (not a combined CSC meeting)."""
    meeting = (
        child.meetings.filter(status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], csc_meeting_type="")
        .select_related("chair")
        .order_by("-held_at", "-pk")
        .first()
    )
    return meeting.chair if meeting else None


def _available(person: User | None) -> bool:
    """Present and active: someone who can do the booking themselves."""
    return person is not None and person.is_active and not person.is_absent


def _team_manager(user: User, child: Child) -> bool:
    """A team manager or advanced practitioner of the child's team."""
    return user.role in MANAGER_ROLES and user.team_id is not None and user.team_id == child.team_id


def _name(user: User) -> str:
    return str(user.get_full_name() or user.username)


def who_books(*, child: Child) -> str:
    """Who books the child's next CMM, in words for the booking page (001 §6.2)."""
    if is_initial_cmm(child=child):
        keeper = gatekeeper(child=child)
        if _available(keeper) and keeper is not None:
            return f"This is the child's initial CMM: it is booked by the gatekeeper, {_name(keeper)} (001 §6.2)."
        return (
            "This is the child's initial CMM: it is booked by the gatekeeper. No gatekeeper is available, "
            "so a team manager or advanced practitioner of the team books it (001 §6.2)."
        )
    return "Later CMMs are booked by their chair (001 §6.2): choose yourself as the chair."


def can_open_booking(*, user, child: Child) -> bool:
    """Whether the user may open the booking page: a manager of the child's meetings, or the gatekeeper
    of a child who has not had their initial CMM (a senior case manager on duty, 001 §6.2)."""
    if selectors.can_manage_meetings(user=user, child=child):
        return True
    if not is_initial_cmm(child=child):
        return False
    keeper = gatekeeper(child=child)
    return keeper is not None and keeper.pk == user.pk and user.is_active


def booker_problem(*, user: User, child: Child, kind: str | None, chair: User | None, csc: bool) -> str:
    """Why this user may not book this meeting ("" if they may), under the readings above."""
    if user.role == Role.SERVICE_MANAGER:
        return ""
    if csc or kind == MeetingKind.MAPPA_LEVEL_1:
        if selectors.can_manage_meetings(user=user, child=child):
            return ""
        return "Only a team manager or advanced practitioner of the child's team can book this meeting."
    if is_initial_cmm(child=child):
        keeper = gatekeeper(child=child)
        if keeper is not None and keeper.pk == user.pk:
            return ""
        if _available(keeper) and keeper is not None:
            return (
                f"The initial CMM is booked by the gatekeeper of the child's assessment, {_name(keeper)} "
                "(001 §6.2)."
            )
        if _team_manager(user, child):
            return ""
        return (
            "The initial CMM is booked by the gatekeeper of the child's assessment; with none available, "
            "by a team manager or advanced practitioner of the child's team (001 §6.2)."
        )
    if chair is not None and chair.pk == user.pk:
        return ""
    previous = last_chair(child=child)
    if previous is not None and previous.pk == user.pk and _team_manager(user, child):
        return ""
    return "Later CMMs are booked by their chair (001 §6.2): choose yourself as the chair, or ask the chair to book it."


def horizon(today: datetime.date) -> datetime.date:
    """The last day a meeting may be booked for (the profile's `cmm.booking_horizon`)."""
    return policy.due_after("cmm.booking_horizon", today)


def earliest_csc(today: datetime.date) -> datetime.date:
    """The earliest day a combined CSC meeting may be recorded for, after it happened."""
    return policy.duration("cmm.booking_horizon").before(today, policy.calendar())


def _date_problem(*, day: datetime.date, today: datetime.date, csc: bool) -> str:
    """A meeting date too far ahead (a slip: 1 January 2099), or in the past for a CMM."""
    latest = horizon(today)
    if day > latest:
        return timescale_text(
            f"Date of the meeting must be within {{cmm.booking_horizon}} of today, by {latest:%-d %B %Y}: "
            "CMMs are held at most three months apart (001 §6.2), so a later date is most likely a mistake"
        )
    if csc:
        first = earliest_csc(today)
        if day < first:
            return timescale_text(
                "A combined CSC meeting recorded after it happened must be within the last "
                f"{{cmm.booking_horizon}}, on or after {first:%-d %B %Y}"
            )
        return ""
    if day < today:
        return "Date of the meeting must be today or in the future"
    return ""


def _csc_problems(*, child: Child, kind: str | None, decision: str, rationale: str) -> dict[str, str]:
    """000 §1.4, 001 §6.5: a CSC meeting replaces a risk review; "no CMM needed" only for Low RoSH, SaW Medium+."""
    problems: dict[str, str] = {}
    if kind and kind != MeetingKind.RISK_REVIEW:
        problems["csc_meeting_type"] = "Only a risk review can be combined with a CSC meeting"
    elif not child.open_to_csc:
        problems["csc_meeting_type"] = "The child is not open to Children's Social Care"
    if not decision:
        problems["csc_decision"] = "Choose the decision about the CMM"
    elif decision == Meeting.CscDecision.NO_CMM_NEEDED:
        if child.rosh != RiskLevel.LOW or child.saw not in MEDIUM_OR_ABOVE:
            problems["csc_decision"] = (
                "'No CMM needed' is for a child with Low RoSH and Medium or higher SaW (000 §1.4)"
            )
        if not rationale.strip():
            problems["csc_decision_rationale"] = (
                "Enter why no CMM is needed: this is the management entry (000 §1.4)"
            )
    return problems


def mappa_chair_needs_agreement(*, child: Child, kind: str | None, chair: User | None) -> bool:
    """001 §8: MAPPA level 1 meetings "will be chaired by the Team Manager"; "If the Team Manager is not
    available, a discussion should be had with the Service to agree" who chairs. Anyone else in the chair
    list needs that agreement recorded."""
    return (
        kind == MeetingKind.MAPPA_LEVEL_1
        and chair is not None
        and not selectors.is_team_manager_of(user=chair, child=child)
    )


def booking_problems(
    *,
    user: User,
    child: Child,
    kind: str | None,
    starts_at: datetime.datetime | None,
    chair: User | None,
    case_manager: User | None,
    panel_members=(),
    no_panel_member_reason: str = "",
    venue: str = "",
    online_link: str = "",
    short_notice_reason: str = "",
    csc_meeting_type: str = "",
    csc_decision: str = "",
    csc_decision_rationale: str = "",
    chair_agreement: str = "",
    now: datetime.datetime | None = None,
) -> dict[str, list[str]]:
    """Every reason the policy refuses this booking, by field (`__all__`: who books). A value the
    form could not read is None and its checks are skipped (the form has said what is wrong with it)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    csc = bool(csc_meeting_type)
    problems: dict[str, str] = {}
    refusal = booker_problem(user=user, child=child, kind=kind, chair=chair, csc=csc)
    if refusal:
        problems[ALL] = refusal
    if chair is not None and not selectors.chair_candidates(child=child).filter(pk=chair.pk).exists():
        problems["chair"] = "The chair must be a team manager or advanced practitioner of the child's team"
    if not venue.strip() and not online_link.strip():
        problems["venue"] = "Enter a venue or an online meeting link"
    if mappa_chair_needs_agreement(child=child, kind=kind, chair=chair) and not chair_agreement.strip():
        problems["chair_agreement"] = (
            "A MAPPA level 1 meeting is chaired by the team manager (001 §8): record who in the service "
            f"agreed that {chair} chairs it, and why the team manager is not available"
        )
    if starts_at is not None:
        date_problem = _date_problem(day=timezone.localdate(starts_at), today=today, csc=csc)
        if date_problem:
            problems["date"] = date_problem
        # A combined CSC meeting is CSC's to arrange (000 §1.4): no YJS notice period or invitations.
        elif (
            not csc
            and selectors.short_notice(starts_at=starts_at, now=now)
            and not short_notice_reason.strip()
        ):
            problems["short_notice_reason"] = timescale_text(
                "Enter why the meeting is booked with less than {cmm.notice}' notice (001 §6.2)"
            )
    # 001 §6.2's minimum attendance is a CMM's; a MAPPA level 1 information-sharing meeting's attendance
    # is the team manager's to monitor, with the police (001 §8), so it asks for no standing panel member.
    if csc:
        problems.update(
            _csc_problems(child=child, kind=kind, decision=csc_decision, rationale=csc_decision_rationale)
        )
    elif kind != MeetingKind.MAPPA_LEVEL_1:
        others = {p.pk for p in panel_members} - {
            getattr(chair, "pk", None),
            getattr(case_manager, "pk", None),
        }
        if not others and not no_panel_member_reason.strip():
            problems["panel_members"] = PANEL_MINIMUM
    return {field: [message] for field, message in problems.items()}
