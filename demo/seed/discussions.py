"""Demo case discussions for `seed_demo` (000 §4.3, 001 §6.3-§6.4, App. 5, 003 §5.3): those held in each
case holder's formal supervision (for children whose programmes have since closed too), the locality
APs' out-of-court and My Future discussions, and the co-allocated workers' discussions, with their
actions, tasks and "Management Oversight - Supervision" events as the discussion service writes them.
All names and text are fictional.
"""

import datetime

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.models import Assessment, Child, Event, EventType, Programme
from core.models import Task
from meetings.models import Meeting
from supervision.models import CaseDiscussion, DiscussionAction, SupervisionMethod, SupervisionSession

from .common import CAL, may_miss, working

OOC_KINDS = {Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC}
AP_KINDS = OOC_KINDS | {Programme.Kind.MY_FUTURE}  # 001 §6.3, §6.4: the locality AP's case discussions

OVERVIEW = [
    "Engaging well with appointments; the plan's ETE and family work are on track.",
    "Attendance has been mixed; barriers are transport and a chaotic home routine. Plan adjusted.",
    "Good progress with the victim awareness work; the child is reflective in sessions.",
    "Settling into a new placement; early days but engaging with the case manager.",
    "Motivated by the college course; sessions moved to after college to support attendance.",
]
CONCERNS = [
    "No new concerns since the last assessment; levels remain as assessed.",
    "Reported missing overnight once; returned safe. Considered against SaW: no change to the level yet.",
    "Police intelligence of association with older peers; discussed impact on RoSH, kept under review.",
    "No new incidents. Protective factors at home remain strong.",
]
MULTI_AGENCY = [
    "Regular contact with the social worker and school; information shared promptly.",
    "Slow response from the college; escalated to the education inclusion officer.",
    "Good joint working with the substance misuse worker; joint session planned.",
]
EXIT = [
    "Exit plan to include youth club and college support after the order ends.",
    "Too early for exit planning; to revisit at the next review.",
    "Linking with a mentor so support continues after the order.",
]
PREVIOUS = [
    "Actions from the last discussion completed.",
    "Referral to the substance misuse worker made; first appointment booked.",
    "Plan shared with the parent; awaiting the school's update.",
]
BRIEF = "Discussed at a CMM in the last month with no significant concerns since: the CMM's actions checked (000 §4.3)."
ACTIONS = [
    "Share the updated plan with the child and parent",
    "Contact the school about attendance and report back",
    "Complete the review of the assessment",
    "Refer to the substance misuse worker",
    "Arrange a joint visit with the social worker",
]


def _source(pk_expression) -> Concat:
    """The SQL for f"discussion:{pk}" (the source the discussion service gives its event)."""
    return Concat(Value("discussion:"), Cast(pk_expression, CharField()), output_field=CharField())


def _name(user) -> str:
    """A person as the record names them."""
    return user.get_full_name() or user.username


class Discussions:
    """Case discussions, their actions (with tasks) and their events, gathered for bulk creation."""

    def __init__(self, today, rnd):
        """Collect discussions up to `today`."""
        self.today = today
        self.rnd = rnd
        self.items: list[tuple[CaseDiscussion, list[tuple[str, datetime.date]]]] = []

    def add(self, *, child, kind, held, manager, worker, session=None, brief=False, draft=False, first=False):
        """One discussion held on `held`, recorded on the file one to three working days later."""
        rnd = self.rnd
        recorded_on = CAL.add_working_days(held, rnd.randint(1, 3))
        recorded = not draft and recorded_on <= self.today
        discussion = CaseDiscussion(
            child=child,
            kind=kind,
            session=session,
            held_on=held,
            manager=manager,
            worker=worker,
            significant=not brief and rnd.random() < 0.03,
            brief_check=brief,
            status=CaseDiscussion.Status.RECORDED if recorded else CaseDiscussion.Status.DRAFT,
            previous_actions=rnd.choice(PREVIOUS),
            overview=BRIEF if brief else rnd.choice(OVERVIEW),
            new_concerns="" if brief else rnd.choice(CONCERNS),
            multi_agency="" if brief else rnd.choice(MULTI_AGENCY),
            exit_strategy="" if brief else rnd.choice(EXIT),
            plans_reviewed=first and kind == CaseDiscussion.Kind.OOC,
            recorded_on=recorded_on if recorded else None,
            recorded_by=manager if recorded else None,
            created_by=manager,
        )
        actions = []
        if not brief and rnd.random() < 0.12:
            for text in rnd.sample(ACTIONS, rnd.choice([1, 1, 2])):
                actions.append((text, held + datetime.timedelta(days=rnd.choice([7, 14, 21]))))
        self.items.append((discussion, actions))

    def save(self) -> int:
        """Bulk-create the discussions, their actions and tasks, and the events of recorded ones."""
        discussions = [d for d, _ in self.items]
        CaseDiscussion.objects.bulk_create(discussions, batch_size=1000)
        actions = []
        for discussion, texts in self.items:
            for text, due in texts:
                actions.append(
                    DiscussionAction(
                        discussion=discussion, action=text, owner_id=discussion.worker_id, due=due
                    )
                )
        DiscussionAction.objects.bulk_create(actions, batch_size=1000)
        tasks = []
        for action in actions:
            discussion = action.discussion
            if discussion.status != CaseDiscussion.Status.RECORDED:
                continue  # 001 App. 5: actions become tracked tasks when the record goes on the file
            # Mostly done on time; the rest done late, unless still recent (RECENT_MISS).
            on_time = self.rnd.random() < 0.85
            done = action.due < self.today and (on_time or not may_miss(action.due, self.today))
            days_off = -self.rnd.randint(0, 4) if on_time else 10
            action.task = Task(
                child_id=discussion.child_id,
                assignee_id=action.owner_id,
                title=action.action,
                due=action.due,
                basis=f"Case discussion on {discussion.held_on:%-d %b %Y} (001 App. 5)",
                source=f"discussion:{discussion.pk}:{action.pk}",
                done_on=action.due + datetime.timedelta(days=days_off) if done else None,
                done_by_id=action.owner_id if done else None,
                created_by_id=discussion.manager_id,
            )
            tasks.append(action.task)
        Task.objects.bulk_create(tasks, batch_size=1000)
        for action in actions:
            if action.task is not None:
                action.task_id = action.task.pk
        DiscussionAction.objects.bulk_update([a for a in actions if a.task_id], ["task"], batch_size=1000)
        by_discussion: dict[int, list[DiscussionAction]] = {}
        for action in actions:
            by_discussion.setdefault(action.discussion_id, []).append(action)
        events = []
        for discussion in discussions:
            if discussion.status != CaseDiscussion.Status.RECORDED:
                continue
            discussion.event = Event(
                child_id=discussion.child_id,
                author_id=discussion.manager_id,
                event_type=EventType.MANAGEMENT_OVERSIGHT_SUPERVISION,
                occurred_on=discussion.held_on,
                summary=f"Management Oversight - Supervision: case discussion with {_name(discussion.worker)}",
                details=_details(discussion, by_discussion.get(discussion.pk, [])),
                source=f"discussion:{discussion.pk}",
            )
            events.append(discussion.event)
        Event.objects.bulk_create(events, batch_size=1000)
        # Link each recorded discussion to its event in one UPDATE (bulk_update's CASE is slow at this size).
        CaseDiscussion.objects.filter(status=CaseDiscussion.Status.RECORDED, event__isnull=True).update(
            event=Subquery(
                Event.objects.filter(child=OuterRef("child"), source=_source(OuterRef("pk"))).values("pk")[:1]
            )
        )
        return len(discussions)


def _details(discussion: CaseDiscussion, actions: list[DiscussionAction]) -> str:
    """The App. 5 record as the event's text, as the discussion service writes it."""
    parts = [
        f"Date of Case Discussion: {discussion.held_on:%-d %B %Y}",
        f"Manager: {_name(discussion.manager)}",
        f"Worker: {_name(discussion.worker)}",
    ]
    if discussion.significant:
        parts.append("Significant case decision or urgent matter.")
    if discussion.brief_check:
        parts.append("Brief check of the actions of a CMM held in the last month (000 §4.3).")
    if discussion.plans_reviewed:
        parts.append("The professionals plan and intervention plan were reviewed (001 §6.3).")
    for value, heading in (
        (discussion.previous_actions, "Update on actions from previous Case Discussion / CMM"),
        (discussion.overview, "Case Overview / Progress of Case"),
        (discussion.new_concerns, "New concerns, incidents or events since the most recent assessment"),
        (discussion.multi_agency, "Effectiveness of multi-agency partnership working"),
        (discussion.exit_strategy, "Exit Strategy Considerations"),
    ):
        parts.append(f"{heading}:\n{value or 'Nothing recorded.'}")
    lines = [f"- {a.action} — {_name(discussion.worker)}, by {a.due:%-d %B %Y}" for a in actions]
    parts.append("Actions:\n" + ("\n".join(lines) if lines else "No actions agreed."))
    return "\n\n".join(parts)


def case_facts():
    """Per child: the programmes' window (the first one's kind, the earliest start, and the latest end
    or None while one runs), completed assessments, and CMM days (three queries)."""
    programmes: dict[int, tuple] = {}
    for child_id, kind, start, end in (
        Programme.objects.filter(child__case_manager__isnull=False)
        .order_by("start_date", "pk")
        .values_list("child_id", "kind", "start_date", "end_date")
    ):
        if child_id not in programmes:
            programmes[child_id] = (kind, start, end)
        else:
            first_kind, first_start, last_end = programmes[child_id]
            programmes[child_id] = (
                first_kind,
                first_start,
                None if end is None or last_end is None else max(end, last_end),
            )
    assessed: dict[int, list[datetime.date]] = {}
    for child_id, on in Assessment.objects.filter(status=Assessment.Status.COMPLETED).values_list(
        "child_id", "completed_on"
    ):
        if on:
            assessed.setdefault(child_id, []).append(on)
    cmms: dict[int, list[datetime.date]] = {}
    for child_id, held_at in Meeting.objects.filter(
        status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], held_at__isnull=False
    ).values_list("child_id", "held_at"):
        cmms.setdefault(child_id, []).append(timezone.localdate(held_at))
    return programmes, assessed, cmms


def supervision_discussions(*, sessions, children, facts, work: Discussions) -> None:
    """Each formal supervision of a case holder discusses every case they then held (000 §4.3, 002),
    except out-of-court and My Future cases (the AP's, 001 §6.3-§6.4) and newly allocated cases whose
    assessment is not yet completed; a case at a CMM in the last month gets a brief check (000 §4.3)."""
    programmes, assessed, cmms = facts
    held_by: dict[int, list[Child]] = {}
    for child in children:
        held_by.setdefault(child.case_manager_id, []).append(child)
    for session in sessions:
        if session.status == SupervisionSession.Status.CANCELLED or session.method == SupervisionMethod.GROUP:
            continue
        held = session.held_on
        for child in held_by.get(session.supervisee_id, []):
            kind, start, end = programmes.get(child.pk, (None, None, None))
            if start is None or start > held or (end is not None and end < held) or kind in AP_KINDS:
                continue
            done = [d for d in assessed.get(child.pk, []) if start <= d <= held]
            if not done and (held - start).days < 91:
                continue  # 000 §4.3: newly allocated, assessment not yet completed
            month_before = held - datetime.timedelta(days=30)
            brief = any(month_before <= d <= held for d in cmms.get(child.pk, []))
            work.add(
                child=child,
                kind=CaseDiscussion.Kind.SUPERVISION,
                held=held,
                manager=session.supervisor,
                worker=session.supervisee,
                session=session,
                brief=brief,
                draft=session.status == SupervisionSession.Status.DRAFT,
            )


def ap_discussions(*, children, programmes, by_name, today, work: Discussions) -> None:
    """001 §6.3-§6.4: the locality AP's first case discussion three weeks after the panel or start, then
    six-weekly while the programme runs; occasionally the latest is not yet held (overdue in the demo)."""
    rnd = work.rnd
    for child in children:
        kind, start, end = programmes.get(child.pk, (None, None, None))
        if kind not in AP_KINDS or start is None:
            continue
        slug = child.team.name.split()[0].lower()
        manager = by_name.get(f"ap.{slug}")
        if manager is None or manager.pk == child.case_manager_id:
            manager = by_name.get(f"tm.{slug}")  # an AP's own case is overseen by the TM (003 §5.5)
        if manager is None:
            continue
        until = min(end or today, today)
        held = working(start + datetime.timedelta(weeks=3))
        first = True
        disc_kind = (
            CaseDiscussion.Kind.MY_FUTURE if kind == Programme.Kind.MY_FUTURE else CaseDiscussion.Kind.OOC
        )
        while held <= until:
            if held > today - datetime.timedelta(days=45) and rnd.random() < 0.08:
                break  # the latest one not yet held
            work.add(
                child=child,
                kind=disc_kind,
                held=held,
                manager=manager,
                worker=child.case_manager,
                first=first,
            )
            first = False
            held = working(held + datetime.timedelta(weeks=6) - datetime.timedelta(days=rnd.randint(0, 4)))


def co_allocated_discussions() -> int:
    """003 §5.3: the co-allocated workers' six-weekly discussions, already on the file as events, become
    Case Discussion Records (kind co_allocated) whose events point at them (so nothing counts twice)."""
    events = list(
        Event.objects.filter(event_type=EventType.CO_ALLOCATION_DISCUSSION, source="", is_current=True)
        .select_related("child", "author")
        .filter(child__case_manager__isnull=False)
    )
    discussions = [
        CaseDiscussion(
            child=event.child,
            kind=CaseDiscussion.Kind.CO_ALLOCATED,
            held_on=event.occurred_on,
            manager_id=manager_id,
            worker=event.author,
            status=CaseDiscussion.Status.RECORDED,
            overview="Shared the work: the case manager leads on the order, the co-worker on the specific intervention.",
            previous_actions="Sessions delivered as agreed at the last discussion.",
            recorded_on=event.occurred_on,
            recorded_by=event.author,
            created_by=event.author,
            event=event,
        )
        for event in events
        # Every one: the query keeps children with a case manager.
        if (manager_id := event.child.case_manager_id) is not None
    ]
    CaseDiscussion.objects.bulk_create(discussions, batch_size=1000)
    Event.objects.filter(pk__in=[e.pk for e in events]).update(
        source=_source(Subquery(CaseDiscussion.objects.filter(event=OuterRef("pk")).values("pk")[:1]))
    )
    return len(discussions)
