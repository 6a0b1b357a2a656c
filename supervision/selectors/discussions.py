"""Reads for case discussions and management oversight decisions on a child's file (001 App. 5, 000 App. D,
003 §5.3, 004 §7, 002).

Access follows the child: a view first calls `cases.selectors.core.child_get_for_user` (404 outside the
user's scope), then these helpers fetch the child's own records (404 if not the child's). Who may write
them is decided here, once, so pages and services agree.
"""

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Child, Obligation, Role, User
from cases.selectors.core import children_for_user
from core.models import Document
from meetings.models import Meeting, MeetingAction

from ..access import can_supervise, is_above
from ..models import CaseDiscussion, DiscussionAction, OversightDecision, SupervisionSession

# 000 §4, 001 §6.3-§6.4, 002: the managers who hold case discussions and make oversight decisions.
OVERSIGHT_ROLES = frozenset({Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SERVICE_MANAGER})
# The obligations the child's Oversight tab lists (timescales.md, the rules module's codes).
OVERSIGHT_CODE_PREFIXES = ("case_discussion.", "oversight.", "co_allocation.")
OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)

# What each profile asks of recording a decision (002; 004 §7.1; 000/001 name no timescale).
RECORDING_TIMESCALES = {
    "islington": "Record it within 24 hours for a significant case decision or urgent matter, otherwise "
    "within 5 working days (002 Management oversight and informal supervision).",
    "enfield": "Record it within 48 hours (004 §7.1 Recording timeframe).",
    "nottinghamshire": "Record it promptly: 000 and 001 set no timescale for recording a management decision.",
}


def recording_timescale(profile: str | None = None) -> str:
    """The active policy profile's timescale for putting a management decision on the file."""
    profile = profile or settings.POLICY_PROFILE
    return RECORDING_TIMESCALES.get(profile, RECORDING_TIMESCALES["nottinghamshire"])


def _sees_child(user: User, child: Child) -> bool:
    """Whether the user may see the child (the same predicate as every child page)."""
    return children_for_user(user=user).filter(pk=child.pk).exists()


def is_oversight_manager(user: User) -> bool:
    """A team manager, advanced practitioner or the service manager (000 §3-§4, 001 §6.3)."""
    return bool(user.is_active and user.role in OVERSIGHT_ROLES)


def can_manage_oversight(*, user: User, child: Child) -> bool:
    """Record a manager's case discussion or an oversight decision: a manager who may see the child."""
    return is_oversight_manager(user) and _sees_child(user, child)


def co_worker_ids(child: Child) -> set[int]:
    """The child's co-allocated workers (003 §5)."""
    return set(child.co_workers.values_list("pk", flat=True))


def can_hold_co_discussion(*, user: User, child: Child, co_ids: set[int] | None = None) -> bool:
    """Record a co-allocated workers' discussion (003 §5.3): the case manager or a co-worker, while the
    child has co-workers."""
    co_ids = co_worker_ids(child) if co_ids is None else co_ids
    if not co_ids or not user.is_active:
        return False
    return user.pk == child.case_manager_id or user.pk in co_ids


def can_write_discussion(*, user: User, discussion: CaseDiscussion) -> bool:
    """Edit, add actions to, record or delete a case discussion: its manager, who wrote it, anyone above
    the manager in the supervision chain, the service manager, the supervisor of the session it was held
    in; for a co-allocated workers' discussion also the case manager and the co-workers (003 §5.3)."""
    if not user.is_active:
        return False
    if user.pk in (discussion.manager_id, discussion.created_by_id) or user.role == Role.SERVICE_MANAGER:
        return True
    if discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED and can_hold_co_discussion(
        user=user, child=discussion.child
    ):
        return True
    session = discussion.session
    if session is not None and (user.pk == session.supervisor_id or can_supervise(user, session.supervisee)):
        return True
    return is_above(user, discussion.manager)


def discussions_for_child(*, child: Child) -> QuerySet[CaseDiscussion]:
    """The child's case discussions, latest first, with the people named (a fixed number of queries)."""
    return child.case_discussions.select_related("manager", "worker").order_by("-held_on", "-pk")


def decisions_for_child(*, child: Child) -> QuerySet[OversightDecision]:
    """The child's management oversight decisions, latest first (004 §7)."""
    return child.oversight_decisions.select_related("manager").order_by("-decided_at", "-pk")


def oversight_obligations(*, child: Child) -> list[Obligation]:
    """The child's case discussion, oversight and co-allocation obligations, in the rules module's order."""
    q = Q()
    for prefix in OVERSIGHT_CODE_PREFIXES:
        q |= Q(code__startswith=prefix)
    return list(child.obligations.filter(q).order_by("position"))


def discussion_get_for_user(*, user: User, child: Child, pk) -> CaseDiscussion:
    """A case discussion of a child the user can already see (child_get_for_user first); 404 otherwise."""
    try:
        return (
            child.case_discussions.select_related(
                "child", "child__team", "manager", "worker", "recorded_by", "created_by", "session", "event"
            )
            .prefetch_related(
                Prefetch("actions", queryset=DiscussionAction.objects.select_related("owner", "task"))
            )
            .get(pk=pk)
        )
    except (CaseDiscussion.DoesNotExist, ValueError, TypeError):
        raise Http404("No case discussion found") from None


def decision_get_for_user(*, user: User, child: Child, pk) -> OversightDecision:
    """An oversight decision of a child the user can already see; 404 otherwise."""
    try:
        return child.oversight_decisions.select_related("manager", "event").get(pk=pk)
    except (OversightDecision.DoesNotExist, ValueError, TypeError):
        raise Http404("No oversight decision found") from None


def manager_candidates(*, child: Child, co_allocated: bool = False, extra=()) -> QuerySet[User]:
    """Who may be named as the manager: the child's team's TMs and APs and the service manager; for a
    co-allocated workers' discussion, the co-workers and the case manager (003 §5.1-§5.3)."""
    if co_allocated:
        ids = co_worker_ids(child) | ({child.case_manager_id} if child.case_manager_id else set())
        q = Q(pk__in=ids)
    else:
        q = Q(role=Role.SERVICE_MANAGER) | Q(
            role__in=[Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER], team_id=child.team_id
        )
    extra_ids = [u.pk for u in extra if u is not None]
    return (
        User.objects.filter(is_active=True)
        .filter(q | Q(pk__in=extra_ids))
        .order_by("last_name", "first_name", "pk")
    )


def staff_candidates(*, child: Child, extra=()) -> QuerySet[User]:
    """Staff an action or the worker field may name: the child's team, the case manager and co-workers."""
    ids = co_worker_ids(child) | {u.pk for u in extra if u is not None}
    if child.case_manager_id:
        ids.add(child.case_manager_id)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(team_id=child.team_id) | Q(pk__in=ids))
        .exclude(role__in=[Role.ADMINISTRATOR])
        .order_by("last_name", "first_name", "pk")
    )


def _discussion_actions_hint(discussion: CaseDiscussion) -> dict:
    """A case discussion's actions, for `previous_actions_hint`."""
    actions = [
        {"action": a.action, "by_whom": a.by_whom, "due": a.due, "done": bool(a.task and a.task.done_on)}
        for a in discussion.actions.select_related("owner", "task")
    ]
    return {"title": f"Case discussion on {discussion.held_on:%-d %B %Y}", "actions": actions}


def previous_actions_hint(*, child: Child, before: CaseDiscussion | None = None) -> dict | None:
    """The actions a new case discussion updates on (001 App. 5 "Update on actions from previous Case
    Discussion / CMM"): those of the child's latest earlier case discussion or finalised CMM, whichever
    is more recent. None when there is neither."""
    discussions = child.case_discussions.order_by("-held_on", "-pk")
    if before is not None:
        discussions = discussions.exclude(pk=before.pk).filter(
            Q(held_on__lt=before.held_on) | Q(held_on=before.held_on, pk__lt=before.pk)
        )
    discussion = discussions.select_related("manager").first()
    meetings = child.meetings.filter(status=Meeting.Status.FINALISED).exclude(held_at=None)
    if before is not None:
        meetings = meetings.filter(held_at__date__lte=before.held_on)
    meeting = meetings.order_by("-held_at").first()
    if meeting is None:
        return None if discussion is None else _discussion_actions_hint(discussion)
    meeting_day = timezone.localdate(meeting.held_at)
    if discussion is not None and discussion.held_on >= meeting_day:
        return _discussion_actions_hint(discussion)
    actions = [
        {"action": a.action, "by_whom": a.by_whom, "due": a.due, "done": bool(a.task and a.task.done_on)}
        for a in MeetingAction.objects.filter(meeting=meeting).select_related("owner", "task")
    ]
    return {"title": f"{meeting.title} on {meeting_day:%-d %B %Y}", "actions": actions}


def session_child_check(*, session: SupervisionSession, child: Child, user: User) -> bool:
    """A case discussed in a supervision is the supervisee's case (case manager or co-worker); the user
    may see it (child_get_for_user has already checked that). Another child would put a case that is not
    theirs on the supervisee's record and "case discussion with <supervisee>" on that child's file."""
    return child.case_manager_id == session.supervisee_id or session.supervisee_id in co_worker_ids(child)


def document_for(discussion: CaseDiscussion):
    """The stored PDF of a recorded discussion, if it has been rendered (cases.Document)."""
    return (
        Document.objects.filter(child_id=discussion.child_id, source=f"discussion:{discussion.pk}")
        .defer("content")
        .order_by("-version")
        .first()
    )
