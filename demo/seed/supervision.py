"""Demo supervision for `seed_demo`: Records of Supervision over the years of history for every worker
with a supervisor, the case discussions held in them (for children whose programmes have since closed
too), the APs' out-of-court and My Future discussions, co-allocated workers' discussions, and a handful
of management oversight decisions (000 §2-§6, 001 §2, §6.3-§6.4, 002, 003 §5.3, 004 §7). All names and
text are fictional. Built with bulk inserts (the demo writes thousands of records); the events and tasks
look exactly as the services write them. No PDFs are rendered here: the download renders them on demand.
"""

import datetime

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.demo import _aware
from cases.models import (
    HIGH_LEVELS,
    MEDIUM_OR_ABOVE,
    Assessment,
    Child,
    Event,
    EventType,
    Leave,
    Programme,
    Task,
    User,
)
from cases.rules.calendar import get_calendar
from meetings.models import Meeting

from .models import (
    CaseDiscussion,
    ClosureCheck,
    DiscussionAction,
    OversightDecision,
    OversightHolder,
    SupervisionFrequency,
    SupervisionMethod,
    SupervisionSession,
)

CAL = get_calendar()
STANDARD_WEEKS = 6  # 000 §4.1
OOC_KINDS = {Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC}
AP_KINDS = OOC_KINDS | {Programme.Kind.MY_FUTURE}  # 001 §6.3, §6.4: the locality AP's case discussions
# Workers whose supervision is overdue today, so the service manager has something to see (002).
OVERDUE_WORKERS = ("cm.south.3", "cm.west.4", "iw.interventions.2")
LEAVE_GAP_WORKER = "scm.south.1"  # planned leave in the gap between two supervisions (002 Frequency)
NEW_WORKER = "cm.north.5"  # joined ten weeks ago: fortnightly supervision agreed (002 Frequency)
GROUP_WORKER = "yw.interventions"  # one group supervision (002: it does not replace formal 1:1)
CANCELLED_WORKER = "cm.south.3"  # the booked supervision was cancelled and not yet rebooked

WELLBEING = [
    "Feeling well and settled. No sickness since the last supervision; flexi balance within limits.",
    "Some tiredness after a run of late court days; agreed to take time back next week.",
    "Annual leave booked for the summer and recorded. Workstation assessment completed.",
    "Reports feeling stretched by two complex cases; agreed a reduced allocation this month.",
    "Well. Discussed lone working and the buddy system for evening visits.",
]
MATTERS = [
    "Actions from last time completed: training booked, diary shared with business support.",
    "Outstanding: update the team's contact sheet. Carried forward.",
    "No matters arising from the previous supervision.",
    "Court rota swap agreed with a colleague; recorded on the team calendar.",
]
PERFORMANCE = [
    "Assessments and plans on time this period. Good use of the child's own words in the plan.",
    "Two reviews completed late; discussed planning the diary around review dates.",
    "Positive feedback from a parent about communication. Case recording is clear and timely.",
    "Agreed to focus on analysis in assessments: why, not only what.",
]
TRAINING = [
    "Attended trauma-informed practice training; reflected on using it in a current case.",
    "Booked onto AssetPlus refresher. Reflected on a case consultation with the clinical psychologist.",
    "Reflected on the recent QA audit: strengths in planning, more detail needed on exit strategy.",
    "Interested in restorative justice facilitation; to check dates with the training team.",
]
TEAM = [
    "Good relationships in the team; supporting a new colleague with court duty.",
    "Working well with the intervention team on shared cases.",
    "Raised that duty cover on Fridays is thin; to be discussed at the team meeting.",
]
POLICIES = [
    "Reminded of the case discussion recording timescales and the updated CMM guidance.",
    "Read the revised allocation and transfer procedure; no questions.",
    "Discussed the lone working policy and the check-in procedure.",
]
AOB = ["None.", "Office move date confirmed.", "Team away day in the spring: ideas welcome."]

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
DECISIONS = [
    (
        OversightDecision.Label.PANEL,
        "MARP",
        "Discussed at the Multi-Agency Risk Panel. Agreed to keep RoSH at High; police to share intelligence weekly.",
        "Escalating concerns about exploitation outweighed by good engagement; imminence is not indicated.",
    ),
    (
        OversightDecision.Label.PANEL,
        "MARP",
        "Reviewed at the Multi-Agency Risk Panel: safety plan refreshed, no change to levels.",
        "Protective factors at home strengthened since the last panel.",
    ),
    (
        OversightDecision.Label.AUDIT,
        "",
        "Response to the case audit: the assessment's analysis of SaW to be strengthened at the next review.",
        "Audit found the plan sound but the rationale for SaW brief.",
    ),
    (
        OversightDecision.Label.AUDIT,
        "",
        "Response to the case audit: contact levels confirmed as meeting the order; no further action.",
        "",
    ),
    (
        OversightDecision.Label.MULTI_AGENCY,
        "",
        "Escalated to the social work team manager: no response to the strategy meeting request in ten days.",
        "Risk of harm to the child's own safety if the placement breaks down without a plan.",
    ),
]


def _source(pk_expression) -> Concat:
    """The SQL for f"discussion:{pk}" (the source the discussion service gives its event)."""
    return Concat(Value("discussion:"), Cast(pk_expression, CharField()), output_field=CharField())


def _name(user) -> str:
    """A person as the record names them."""
    return user.get_full_name() or user.username


def clear_supervision() -> None:
    """Delete every supervision record (seed_demo replaces the children and the staff's history)."""
    DiscussionAction.objects.all().delete()
    CaseDiscussion.objects.all().delete()
    OversightHolder.objects.all().delete()
    ClosureCheck.objects.all().delete()
    OversightDecision.objects.all().delete()
    SupervisionSession.objects.all().delete()
    SupervisionFrequency.objects.all().delete()


def _working(day: datetime.date) -> datetime.date:
    """The working day on or before `day` (supervision is held on working days)."""
    return CAL.on_or_before(day)


def _set_joined(staff, today, rnd, since: datetime.date) -> dict[int, datetime.date]:
    """Everyone joined a few weeks before the history starts (`since`); the new worker ten weeks ago
    (000 §4.1 counts from joining)."""
    joined = {}
    for user in staff:
        day = since - datetime.timedelta(days=rnd.randint(15, 40))
        if user.username == NEW_WORKER:
            day = today - datetime.timedelta(weeks=10)
        joined[user.pk] = day
        User.objects.filter(pk=user.pk).update(date_joined=_aware(day, 9))
    return joined


def _session_dates(*, user, joined, today, rnd) -> tuple[list[datetime.date], int | None]:
    """When the worker's formal supervisions were held: roughly every 5-6 weeks from a few weeks after
    joining (fortnightly for the new worker), stopping early for those now overdue. Returns the dates and,
    for the leave-gap worker, the index of the session after the leave."""
    if user.username == NEW_WORKER:
        days, day = [], joined
        while True:
            day = _working(day + datetime.timedelta(days=rnd.randint(12, 14)))
            if day > today:
                return days, None
            days.append(day)
    horizon = (
        today - datetime.timedelta(days=rnd.randint(50, 60)) if user.username in OVERDUE_WORKERS else today
    )
    days, day, gap_index = [], joined + datetime.timedelta(days=rnd.randint(21, 30)), None
    day = _working(day)
    while day <= horizon:
        days.append(day)
        step = rnd.randint(35, 42)
        if user.username == LEAVE_GAP_WORKER and gap_index is None and len(days) == 5:
            step, gap_index = 56, len(days)  # two weeks' annual leave fell where the supervision was due
        day = _working(day + datetime.timedelta(days=step))
    return days, gap_index


def _method(rnd) -> str:
    """Mostly 1:1 in person, some online or by phone (000 §3.2)."""
    roll = rnd.random()
    if roll < 0.72:
        return SupervisionMethod.ONE_TO_ONE
    return SupervisionMethod.ONLINE if roll < 0.9 else SupervisionMethod.PHONE


def _session(*, user, supervisor, held, method, today, rnd, weeks) -> SupervisionSession:
    """One finalised Record of Supervision with short App. C sections (000 §6.1)."""
    next_date = _working(held + datetime.timedelta(weeks=weeks))
    finalised = min(CAL.add_working_days(held, rnd.randint(0, 3)), today)
    online = method != SupervisionMethod.ONE_TO_ONE
    return SupervisionSession(
        supervisee=user,
        supervisor=supervisor,
        held_on=held,
        starts_at=datetime.time(rnd.choice([9, 10, 11, 14, 15])),
        method=method,
        status=SupervisionSession.Status.FINALISED,
        personal_wellbeing=rnd.choice(WELLBEING),
        matters_arising=rnd.choice(MATTERS),
        performance=rnd.choice(PERFORMANCE),
        training_development=rnd.choice(TRAINING),
        team_relationships=rnd.choice(TEAM),
        policies_procedures=rnd.choice(POLICIES),
        aob=rnd.choice(AOB),
        next_date=next_date,
        next_time=datetime.time(10),
        next_place="Microsoft Teams" if online and rnd.random() < 0.5 else "Team office, supervision room",
        created_by=supervisor,
        finalised_on=finalised,
        finalised_by=supervisor,
    )


def _sessions(*, staff, by_name, joined, today, rnd) -> list[SupervisionSession]:
    """Records of Supervision since joining for everyone with a supervisor (000 §4.1, 001 §2, 002)."""
    by_pk = {u.pk: u for u in staff}
    sessions: list[SupervisionSession] = []
    for user in staff:
        supervisor = by_pk.get(user.line_manager_id)
        if supervisor is None or not user.is_active:
            continue
        new = user.username == NEW_WORKER
        days, gap_index = _session_dates(user=user, joined=joined[user.pk], today=today, rnd=rnd)
        for i, held in enumerate(days):
            session = _session(
                user=user,
                supervisor=supervisor,
                held=held,
                method=_method(rnd),
                today=today,
                rnd=rnd,
                weeks=2 if new else STANDARD_WEEKS,
            )
            if gap_index is not None and i == gap_index:
                leave_start = days[i - 1] + datetime.timedelta(days=30)
                session.leave_gap = (
                    f"Annual leave {leave_start:%-d %B} to {leave_start + datetime.timedelta(days=13):%-d %B %Y} "
                    "fell when supervision was due, so this supervision is eight weeks after the last. "
                    "Cases were covered by a colleague and reviewed on return (002 Frequency)."
                )
                Leave.objects.create(
                    worker=user,
                    kind=Leave.Kind.PLANNED,
                    start_date=leave_start,
                    end_date=leave_start + datetime.timedelta(days=13),
                    notes="Annual leave.",
                    recorded_by=supervisor,
                )
            if new and i == 0:
                session.matters_arising = (
                    "First supervision: induction plan, shadowing and caseload build-up agreed."
                )
            sessions.append(session)
        if user.username == CANCELLED_WORKER and days:
            # The next supervision was booked, then cancelled and not rebooked: now overdue (002).
            booked = _working(days[-1] + datetime.timedelta(weeks=STANDARD_WEEKS))
            if booked <= today:
                sessions.append(
                    SupervisionSession(
                        supervisee=user,
                        supervisor=supervisor,
                        held_on=booked,
                        method=SupervisionMethod.ONE_TO_ONE,
                        status=SupervisionSession.Status.CANCELLED,
                        cancelled_reason="Supervisor called to an urgent strategy meeting; to be rebooked.",
                        created_by=supervisor,
                    )
                )
        if user.username == GROUP_WORKER and len(days) > 2:
            # 002 Group Supervision: an extra group session, which does not count as formal 1:1.
            group = _session(
                user=user,
                supervisor=supervisor,
                held=_working(days[-2] + datetime.timedelta(days=18)),
                method=SupervisionMethod.GROUP,
                today=today,
                rnd=rnd,
                weeks=STANDARD_WEEKS,
            )
            group.discussion_notes = "Group supervision with the part-time youth workers: session planning and safeguarding refresher."
            group.next_date = None
            sessions.append(group)
    # The latest supervision held by the North team manager is still being written up.
    tm_north = by_name.get("tm.north")
    north = [
        s
        for s in sessions
        if tm_north and s.supervisor.pk == tm_north.pk and s.status == SupervisionSession.Status.FINALISED
    ]
    if north:
        latest = max(north, key=lambda s: s.held_on)
        latest.status = SupervisionSession.Status.DRAFT
        latest.finalised_on = None
        latest.finalised_by = None
    SupervisionSession.objects.bulk_create(sessions, batch_size=500)
    new_worker = by_name.get(NEW_WORKER)
    if new_worker and tm_north:
        SupervisionFrequency.objects.create(
            worker=new_worker,
            weeks=SupervisionFrequency.Weeks.TWO,
            from_date=joined[new_worker.pk],
            reason="New case manager: fortnightly supervision for the first three months (002 Frequency).",
            set_by=tm_north,
        )
    return sessions


class _Discussions:
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
            done = action.due < self.today and self.rnd.random() < 0.85
            action.task = Task(
                child_id=discussion.child_id,
                assignee_id=action.owner_id,
                title=action.action,
                due=action.due,
                basis=f"Case discussion on {discussion.held_on:%-d %b %Y} (001 App. 5)",
                source=f"discussion:{discussion.pk}:{action.pk}",
                done_on=action.due - datetime.timedelta(days=self.rnd.randint(0, 4)) if done else None,
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


def _case_facts():
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


def _supervision_discussions(*, sessions, children, facts, work: _Discussions) -> None:
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


def _ap_discussions(*, children, programmes, by_name, today, work: _Discussions) -> None:
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
        held = _working(start + datetime.timedelta(weeks=3))
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
            held = _working(held + datetime.timedelta(weeks=6) - datetime.timedelta(days=rnd.randint(0, 4)))


def _co_allocated_discussions() -> int:
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
            manager_id=event.child.case_manager_id,
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
    ]
    CaseDiscussion.objects.bulk_create(discussions, batch_size=1000)
    Event.objects.filter(pk__in=[e.pk for e in events]).update(
        source=_source(Subquery(CaseDiscussion.objects.filter(event=OuterRef("pk")).values("pk")[:1]))
    )
    return len(discussions)


def _decisions(*, children, programmes, by_name, today, rnd) -> int:
    """A handful of management oversight decisions outside supervision (004 §7, 002), and one decision on
    who holds oversight of an out-of-court case assessed High (001 §6.3)."""
    statutory = [
        c
        for c in children
        if programmes.get(c.pk, (None,))[0] in (Programme.Kind.YRO, Programme.Kind.REFERRAL_ORDER)
        and c.rosh in MEDIUM_OR_ABOVE
    ]
    chosen = rnd.sample(statutory, min(len(DECISIONS), len(statutory)))
    made = []
    for child, (label, panel, decision, rationale) in zip(chosen, DECISIONS, strict=False):
        slug = child.team.name.split()[0].lower()
        manager = by_name[f"tm.{slug}"]
        day = _working(today - datetime.timedelta(days=rnd.randint(10, 120)))
        significant = label == OversightDecision.Label.MULTI_AGENCY
        made.append(
            (
                OversightDecision(
                    child=child,
                    label=label,
                    panel_name=panel,
                    manager=manager,
                    decided_at=_aware(day, rnd.choice([10, 11, 14])),
                    significant=significant,
                    decision=decision,
                    rationale=rationale,
                    actions="Case manager to update the plan within five working days.",
                    recorded_on=day if significant else CAL.add_working_days(day, 1),
                ),
                None,
            )
        )
    ooc = [c for c in children if programmes.get(c.pk, (None,))[0] in OOC_KINDS and c.rosh in HIGH_LEVELS]
    if ooc:
        child = ooc[0]
        slug = child.team.name.split()[0].lower()
        day = _working(programmes[child.pk][1] + datetime.timedelta(days=7))
        if day <= today:
            made.append(
                (
                    OversightDecision(
                        child=child,
                        label=OversightDecision.Label.OVERSIGHT_HOLDER,
                        manager=by_name[f"tm.{slug}"],
                        decided_at=_aware(day, 15),
                        decision="Assessed High RoSH after panel: the locality team manager holds oversight and "
                        "will review the OOC assessment at closure.",
                        rationale="Risk to others is High; the TM and AP agreed the TM is best placed (001 §6.3).",
                        recorded_on=day,
                    ),
                    child,
                )
            )
    decisions = [d for d, _ in made]
    OversightDecision.objects.bulk_create(decisions)
    events = []
    for decision in decisions:
        first = decision.decision.splitlines()[0]
        decision.event = Event(
            child=decision.child,
            author=decision.manager,
            event_type=EventType.MANAGEMENT_OVERSIGHT_PANEL
            if decision.label == OversightDecision.Label.PANEL
            else EventType.MANAGEMENT_OVERSIGHT,
            occurred_on=timezone.localdate(decision.decided_at),
            summary=f"{decision.heading}: {first}"[:200],
            details=f"Decision and case direction:\n{decision.decision}"
            + (f"\n\nRationale:\n{decision.rationale}" if decision.rationale else ""),
            source=f"oversight:{decision.pk}",
        )
        events.append(decision.event)
    Event.objects.bulk_create(events)
    for decision in decisions:
        decision.event_id = decision.event.pk
    OversightDecision.objects.bulk_update(decisions, ["event"])
    for decision, holder_child in made:
        if holder_child is not None:
            programme = holder_child.programmes.order_by("start_date").first()
            OversightHolder.objects.create(
                child=holder_child,
                programme=programme,
                holder=decision.manager,
                from_date=timezone.localdate(decision.decided_at),
                decision=decision,
            )
    return len(decisions)


def build_supervision(*, staff, today: datetime.date, rnd, since: datetime.date | None = None) -> dict:
    """The demo's supervision history from `since` (the start of seed_demo's history; about a year ago
    by default) up to `today`; returns counts of what was made.

    `staff` is every demo member of staff (seed_demo's list). Call inside seed_demo's transaction, after
    the children, their case work and meetings exist; seed_demo then recomputes every child's and every
    worker's obligations from the facts these records state (supervision/facts.py). Children whose
    programmes have closed were discussed while they ran, so their figures have a history too.
    """
    staff = list(User.objects.filter(pk__in=[u.pk for u in staff]).order_by("pk"))
    by_name = {u.username: u for u in staff}
    joined = _set_joined(staff, today, rnd, since or today - datetime.timedelta(days=400))
    sessions = _sessions(staff=staff, by_name=by_name, joined=joined, today=today, rnd=rnd)
    children = list(
        Child.objects.filter(case_manager__isnull=False).select_related("team", "case_manager").order_by("pk")
    )
    facts = _case_facts()
    work = _Discussions(today, rnd)
    by_pk = {u.pk: u for u in staff}
    for session in sessions:  # the supervisor and supervisee objects carry names for the event text
        session.supervisor = by_pk.get(session.supervisor_id, session.supervisor)
        session.supervisee = by_pk.get(session.supervisee_id, session.supervisee)
    _supervision_discussions(sessions=sessions, children=children, facts=facts, work=work)
    _ap_discussions(children=children, programmes=facts[0], by_name=by_name, today=today, work=work)
    discussions = work.save()
    co_allocated = _co_allocated_discussions()
    decisions = _decisions(
        children=[c for c in children if c.is_open],
        programmes=facts[0],
        by_name=by_name,
        today=today,
        rnd=rnd,
    )
    return {
        "sessions": len(sessions),
        "discussions": discussions + co_allocated,
        "decisions": decisions,
    }
