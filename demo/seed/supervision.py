"""Demo supervision for `seed_demo`: Records of Supervision over the years of history for every worker
with a supervisor (000 §2-§6, 001 §2, 002), then the case discussions held in them and outside them
(`discussions`) and a handful of management oversight decisions (`oversight`). All names and text are
fictional. Built with bulk inserts (the demo writes thousands of records); the events and tasks look
exactly as the services write them. No PDFs are rendered here: the download renders them on demand.
"""

import datetime

from cases.models import Child, Leave, User
from supervision.models import (
    CaseDiscussion,
    ClosureCheck,
    DiscussionAction,
    OversightDecision,
    OversightHolder,
    SupervisionFrequency,
    SupervisionMethod,
    SupervisionSession,
)

from .common import CAL, aware, working
from .discussions import (
    Discussions,
    ap_discussions,
    case_facts,
    co_allocated_discussions,
    supervision_discussions,
)
from .oversight import build_decisions

STANDARD_WEEKS = 6  # 000 §4.1
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


def clear_supervision() -> None:
    """Delete every supervision record (seed_demo replaces the children and the staff's history)."""
    DiscussionAction.objects.all().delete()
    CaseDiscussion.objects.all().delete()
    OversightHolder.objects.all().delete()
    ClosureCheck.objects.all().delete()
    OversightDecision.objects.all().delete()
    SupervisionSession.objects.all().delete()
    SupervisionFrequency.objects.all().delete()


def _set_joined(staff, today, rnd, since: datetime.date) -> dict[int, datetime.date]:
    """Everyone joined a few weeks before the history starts (`since`); the new worker ten weeks ago
    (000 §4.1 counts from joining)."""
    joined = {}
    for user in staff:
        day = since - datetime.timedelta(days=rnd.randint(15, 40))
        if user.username == NEW_WORKER:
            day = today - datetime.timedelta(weeks=10)
        joined[user.pk] = day
        User.objects.filter(pk=user.pk).update(date_joined=aware(day, 9))
    return joined


def _session_dates(*, user, joined, today, rnd) -> tuple[list[datetime.date], int | None]:
    """When the worker's formal supervisions were held: roughly every 5-6 weeks from a few weeks after
    joining (fortnightly for the new worker), stopping early for those now overdue. Returns the dates and,
    for the leave-gap worker, the index of the session after the leave."""
    if user.username == NEW_WORKER:
        days: list[datetime.date] = []
        day = joined
        while True:
            day = working(day + datetime.timedelta(days=rnd.randint(12, 14)))
            if day > today:
                return days, None
            days.append(day)
    horizon = (
        today - datetime.timedelta(days=rnd.randint(50, 60)) if user.username in OVERDUE_WORKERS else today
    )
    days, day, gap_index = [], joined + datetime.timedelta(days=rnd.randint(21, 30)), None
    day = working(day)
    while day <= horizon:
        days.append(day)
        step = rnd.randint(35, 42)
        if user.username == LEAVE_GAP_WORKER and gap_index is None and len(days) == 5:
            step, gap_index = 56, len(days)  # two weeks' annual leave fell where the supervision was due
        day = working(day + datetime.timedelta(days=step))
    return days, gap_index


def _method(rnd) -> str:
    """Mostly 1:1 in person, some online or by phone (000 §3.2)."""
    roll = rnd.random()
    if roll < 0.72:
        return SupervisionMethod.ONE_TO_ONE
    return SupervisionMethod.ONLINE if roll < 0.9 else SupervisionMethod.PHONE


def _session(*, user, supervisor, held, method, today, rnd, weeks) -> SupervisionSession:
    """One finalised Record of Supervision with short App. C sections (000 §6.1)."""
    next_date = working(held + datetime.timedelta(weeks=weeks))
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
            booked = working(days[-1] + datetime.timedelta(weeks=STANDARD_WEEKS))
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
                held=working(days[-2] + datetime.timedelta(days=18)),
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
    facts = case_facts()
    work = Discussions(today, rnd)
    by_pk = {u.pk: u for u in staff}
    for session in sessions:  # the supervisor and supervisee objects carry names for the event text
        session.supervisor = by_pk.get(session.supervisor_id, session.supervisor)
        session.supervisee = by_pk.get(session.supervisee_id, session.supervisee)
    supervision_discussions(sessions=sessions, children=children, facts=facts, work=work)
    ap_discussions(children=children, programmes=facts[0], by_name=by_name, today=today, work=work)
    discussions = work.save()
    co_allocated = co_allocated_discussions()
    decisions = build_decisions(
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
