"""Supervision schedules, the service manager's overdue view and "prepare for supervision": the selectors
(supervision/selectors/schedule.py) and the views (supervision/views/schedule.py). 000 §2, §4, 001 §2, 002."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, Assessment, Obligation, RiskLevel, Role, Team
from cases.services.core import worker_obligations_refresh
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, TeamFactory, UserFactory
from meetings.models import Meeting, MeetingKind
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession
from supervision.selectors import schedule as sel

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)  # a Monday


def _obligation(*, worker=None, child=None, due, status, code="supervision.staff", position=1):
    """A stored obligation row as the rules module leaves it."""
    return Obligation.objects.create(
        worker=worker,
        child=child,
        code=code,
        title=code,
        due=due,
        status=status,
        basis="000 §4.1",
        position=position,
        as_of=TODAY,
    )


def _session(worker, supervisor, held, **fields):
    """A Record of Supervision (finalised 1:1 unless told otherwise)."""
    values = {
        "method": SupervisionMethod.ONE_TO_ONE,
        "status": SupervisionSession.Status.FINALISED,
        "created_by": supervisor,
    }
    values.update(fields)
    return SupervisionSession.objects.create(supervisee=worker, supervisor=supervisor, held_on=held, **values)


def _meeting(child, chair, held_on):
    """A held CMM on a day (000 §4.3 counts CMMs held in the last month)."""
    at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(14)))
    return Meeting.objects.create(
        child=child,
        kind=MeetingKind.RISK_REVIEW,
        status=Meeting.Status.FINALISED,
        starts_at=at,
        held_at=at,
        chair=chair,
        case_manager=child.case_manager,
        booked_by=chair,
    )


def _allocate(child, worker, by, started_on, **fields):
    """An allocation of the child to the worker."""
    return Allocation.objects.create(
        child=child, worker=worker, started_on=started_on, allocated_by=by, **fields
    )


def _count(fn):
    """How many queries `fn` runs."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# ---------------------------------------------------------------------------------------------------
# supervision_schedule


def test_schedule_rows_for_direct_reports(team_manager, case_manager, colleague, north):
    """Each direct report with their last formal supervision (group and cancelled ones do not count), the
    next due from the stored obligations, the next booked date, open cases and active supervision."""
    _session(case_manager, team_manager, datetime.date(2026, 1, 10), next_date=datetime.date(2026, 2, 21))
    _session(case_manager, team_manager, datetime.date(2026, 2, 1), method=SupervisionMethod.GROUP)
    _session(
        case_manager,
        team_manager,
        datetime.date(2026, 2, 10),
        status=SupervisionSession.Status.CANCELLED,
        next_date=datetime.date(2026, 5, 1),
    )
    _obligation(worker=case_manager, due=datetime.date(2026, 1, 12), status=Obligation.Status.MET)
    _obligation(
        worker=case_manager, due=datetime.date(2026, 2, 21), status=Obligation.Status.OVERDUE, position=2
    )
    _obligation(worker=colleague, due=datetime.date(2026, 3, 10), status=Obligation.Status.OPEN)
    steady = UserFactory(username="steady", team=north, line_manager=team_manager)
    _obligation(worker=steady, due=datetime.date(2026, 4, 30), status=Obligation.Status.OPEN)
    newcomer = UserFactory(username="newcomer", team=north, line_manager=team_manager)
    UserFactory(username="left", team=north, line_manager=team_manager, is_active=False)
    ChildFactory(
        team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.VERY_HIGH, lor=RiskLevel.LOW
    )
    ChildFactory(
        team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.LOW, lor=RiskLevel.LOW
    )
    ChildFactory(team=north, case_manager=colleague, rosh=RiskLevel.VERY_HIGH, is_open=False)

    rows = sel.supervision_schedule(manager=team_manager, today=TODAY)

    assert [r.username for r in rows] == ["cm", "colleague", "steady", "newcomer"]
    cm, col, st, new = rows
    assert (cm.status, cm.last_formal, cm.next_due, cm.next_booked) == (
        sel.OVERDUE,
        datetime.date(2026, 1, 10),
        datetime.date(2026, 2, 21),
        datetime.date(2026, 2, 21),
    )
    assert cm.days_overdue == 9
    assert (cm.open_cases, cm.active_supervision) == (2, True)  # 000 §4.2
    assert (col.status, col.open_cases, col.active_supervision) == (sel.DUE_SOON, 0, False)  # a closed case
    assert st.status == sel.OK
    assert (new.status, new.last_formal, new.next_booked) == (sel.NOT_SCHEDULED, None, None)
    assert newcomer.pk == new.pk


def test_schedule_follows_the_rules_module(team_manager, case_manager):
    """End to end with the real rules: a worker who joined ten weeks ago with no supervision is overdue
    (000 §4.1 six-weekly); after a supervision is recorded and obligations recomputed, the next is due six
    weeks on."""
    # A fixed day: six weeks after a date near the year end can land on a bank holiday and move back.
    today = datetime.date(2026, 11, 2)
    case_manager.date_joined = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(weeks=10), datetime.time(9))
    )
    case_manager.save()
    worker_obligations_refresh(worker_id=case_manager.pk, as_of=today)
    (row,) = sel.supervision_schedule(manager=team_manager, today=today)
    assert row.status == sel.OVERDUE
    held = today - datetime.timedelta(days=3)
    _session(case_manager, team_manager, held)
    worker_obligations_refresh(worker_id=case_manager.pk, as_of=today)
    (row,) = sel.supervision_schedule(manager=team_manager, today=today)
    assert row.next_due == held + datetime.timedelta(weeks=6)
    assert row.status == sel.OK
    assert row.last_formal == held


def test_schedule_held_early_is_on_track(team_manager, case_manager):
    """The rules module lists one occurrence beyond today; when a supervision held early has met it, nothing
    is outstanding until its date passes: on track, not "not scheduled"."""
    _obligation(worker=case_manager, due=TODAY + datetime.timedelta(days=4), status=Obligation.Status.MET)
    (row,) = sel.supervision_schedule(manager=team_manager, today=TODAY)
    assert (row.status, row.next_due, row.met_through) == (sel.OK, None, TODAY + datetime.timedelta(days=4))
    Obligation.objects.update(due=TODAY - datetime.timedelta(days=1))
    (row,) = sel.supervision_schedule(manager=team_manager, today=TODAY)
    assert row.status == sel.NOT_SCHEDULED


def test_schedule_query_count_does_not_grow(team_manager, north):
    """The schedule is one query however many reports (annotations, not a query per row)."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            worker = UserFactory(team=north, line_manager=team_manager)
            _session(worker, team_manager, datetime.date(2026, 1, 5))
            _obligation(worker=worker, due=datetime.date(2026, 2, 16), status=Obligation.Status.OVERDUE)
            ChildFactory(team=north, case_manager=worker)

    def read():
        """Read everything the page shows."""
        return [
            (row.team.name, row.line_manager, row.status)
            for row in sel.supervision_schedule(manager=team_manager, today=TODAY)
        ]

    add(2)
    few = _count(read)
    add(6)
    assert _count(read) == few == 1


# ---------------------------------------------------------------------------------------------------
# overdue_supervisions


def test_overdue_supervisions_across_teams(team_manager, case_manager, colleague, outsider, south):
    """Every active worker whose supervision is overdue, in every team, longest overdue first; open ones,
    inactive workers and other worker obligations are left out; a team filter narrows it."""
    _obligation(worker=case_manager, due=datetime.date(2026, 2, 20), status=Obligation.Status.OVERDUE)
    _obligation(
        worker=outsider,
        due=datetime.date(2026, 1, 20),
        status=Obligation.Status.OVERDUE,
        code="supervision.agreed",
    )
    _obligation(worker=colleague, due=datetime.date(2026, 3, 20), status=Obligation.Status.OPEN)
    gone = UserFactory(username="gone", team=south, is_active=False)
    _obligation(worker=gone, due=datetime.date(2026, 1, 1), status=Obligation.Status.OVERDUE)
    _obligation(
        worker=colleague,
        due=datetime.date(2026, 1, 1),
        status=Obligation.Status.OVERDUE,
        code="leave.review_cases",
    )
    assert [w.username for w in sel.overdue_supervisions()] == ["outsider", "cm"]
    assert [w.username for w in sel.overdue_supervisions(team_id=south.pk)] == ["outsider"]
    row = sel.overdue_supervisions(team_id=case_manager.team_id).get()
    assert (row.overdue_since, row.line_manager, row.team) == (
        datetime.date(2026, 2, 20),
        team_manager,
        case_manager.team,
    )


# ---------------------------------------------------------------------------------------------------
# prepare_for_supervision


def test_prepare_brief_check_within_a_month_but_not_before(team_manager, case_manager, north):
    """000 §4.3: a case discussed at a CMM within the last month may be checked briefly; one whose last
    CMM was longer ago is discussed in full. The last CMM and last case discussion are shown."""
    recent = ChildFactory(team=north, case_manager=case_manager, last_name="Aaa")
    older = ChildFactory(team=north, case_manager=case_manager, last_name="Bbb")
    _meeting(recent, team_manager, TODAY - datetime.timedelta(days=10))
    _meeting(older, team_manager, TODAY - datetime.timedelta(days=45))
    _meeting(older, team_manager, TODAY - datetime.timedelta(days=120))
    CaseDiscussion.objects.create(
        child=older,
        held_on=TODAY - datetime.timedelta(days=20),
        manager=team_manager,
        worker=case_manager,
        created_by=team_manager,
    )
    CaseDiscussion.objects.create(
        child=older,
        kind=CaseDiscussion.Kind.CO_ALLOCATED,
        held_on=TODAY - datetime.timedelta(days=2),
        manager=case_manager,
        worker=team_manager,
        created_by=case_manager,
    )
    prep = sel.prepare_for_supervision(worker=case_manager, today=TODAY)
    first, second = prep.cases
    assert (first.pk, first.brief_check, first.last_cmm) == (
        recent.pk,
        True,
        TODAY - datetime.timedelta(days=10),
    )
    assert (second.pk, second.brief_check, second.last_cmm) == (
        older.pk,
        False,
        TODAY - datetime.timedelta(days=45),
    )
    assert first.last_discussion is None
    assert second.last_discussion == TODAY - datetime.timedelta(
        days=20
    )  # co-allocated ones are peer, not oversight
    assert prep.to_discuss == 1
    assert prep.brief_check_since == datetime.date(2026, 2, 2)


def test_prepare_brief_check_boundary_is_one_calendar_month(team_manager, case_manager, north):
    """'Within the last month' counts from the same day of the previous month (2 Feb for 2 Mar)."""
    on_the_day = ChildFactory(team=north, case_manager=case_manager, last_name="Aaa")
    day_before = ChildFactory(team=north, case_manager=case_manager, last_name="Bbb")
    _meeting(on_the_day, team_manager, datetime.date(2026, 2, 2))
    _meeting(day_before, team_manager, datetime.date(2026, 2, 1))
    flags = [c.brief_check for c in sel.prepare_for_supervision(worker=case_manager, today=TODAY).cases]
    assert flags == [True, False]


def test_prepare_exempt_newly_allocated_without_signed_off_assessment(team_manager, case_manager, north):
    """000 §4.3: a case allocated in the last three months whose assessment is not yet completed is exempt;
    once an assessment is completed after the allocation, or when allocated longer ago, it is not."""
    new = ChildFactory(team=north, case_manager=case_manager, last_name="Aaa")
    _allocate(new, case_manager, team_manager, TODAY - datetime.timedelta(days=20))
    Assessment.objects.create(
        child=new,
        stage=Assessment.Stage.INITIAL,
        status=Assessment.Status.AWAITING_SIGN_OFF,
        author=case_manager,
    )
    assessed = ChildFactory(team=north, case_manager=case_manager, last_name="Bbb")
    _allocate(assessed, case_manager, team_manager, TODAY - datetime.timedelta(days=20))
    Assessment.objects.create(
        child=assessed,
        stage=Assessment.Stage.INITIAL,
        status=Assessment.Status.COMPLETED,
        completed_on=TODAY - datetime.timedelta(days=5),
        author=case_manager,
    )
    old = ChildFactory(team=north, case_manager=case_manager, last_name="Ccc")
    _allocate(old, case_manager, team_manager, TODAY - datetime.timedelta(days=120))
    # Assessed before this worker's allocation: the new worker's assessment is still to come.
    moved = ChildFactory(team=north, case_manager=case_manager, last_name="Ddd")
    _allocate(
        moved,
        team_manager,
        team_manager,
        TODAY - datetime.timedelta(days=200),
        ended_on=TODAY - datetime.timedelta(days=10),
    )
    _allocate(moved, case_manager, team_manager, TODAY - datetime.timedelta(days=10))
    Assessment.objects.create(
        child=moved,
        stage=Assessment.Stage.INITIAL,
        status=Assessment.Status.COMPLETED,
        completed_on=TODAY - datetime.timedelta(days=150),
        author=team_manager,
    )
    prep = sel.prepare_for_supervision(worker=case_manager, today=TODAY)
    assert [(c.pk, c.exempt) for c in prep.cases] == [
        (new.pk, True),
        (assessed.pk, False),
        (old.pk, False),
        (moved.pk, True),
    ]


def test_prepare_counts_due_and_overdue_tasks_and_own_supervision(team_manager, case_manager, north):
    """Each case's overdue and due-in-14-days counts; the worker's own supervision obligations; open tasks
    from case discussions only; closed cases and other workers' cases are not listed."""
    child = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.VERY_HIGH)
    ChildFactory(team=north, case_manager=case_manager, is_open=False)
    ChildFactory(team=north, case_manager=team_manager)
    _obligation(
        child=child,
        due=TODAY - datetime.timedelta(days=3),
        status=Obligation.Status.OVERDUE,
        code="plan.review",
    )
    _obligation(
        child=child, due=TODAY + datetime.timedelta(days=5), status=Obligation.Status.OPEN, code="contact"
    )
    _obligation(
        child=child, due=TODAY + datetime.timedelta(days=14), status=Obligation.Status.OPEN, code="x.edge"
    )
    _obligation(
        child=child, due=TODAY + datetime.timedelta(days=30), status=Obligation.Status.OPEN, code="later"
    )
    _obligation(
        child=child, due=TODAY - datetime.timedelta(days=30), status=Obligation.Status.MET, code="done"
    )
    _obligation(worker=case_manager, due=TODAY + datetime.timedelta(days=9), status=Obligation.Status.OPEN)
    _obligation(worker=case_manager, due=TODAY - datetime.timedelta(days=9), status=Obligation.Status.MET)
    _obligation(worker=case_manager, due=TODAY, status=Obligation.Status.OPEN, code="leave.review_cases")
    open_task = Task.objects.create(
        child=child,
        assignee=case_manager,
        title="Refer to ETE",
        source="discussion:1:1",
        created_by=team_manager,
    )
    Task.objects.create(
        child=child,
        assignee=case_manager,
        title="Done",
        source="discussion:1:2",
        done_on=TODAY,
        created_by=team_manager,
    )
    Task.objects.create(
        child=child, assignee=case_manager, title="CMM action", source="meeting:3", created_by=team_manager
    )
    prep = sel.prepare_for_supervision(worker=case_manager, today=TODAY)
    (row,) = prep.cases
    assert (row.overdue_count, row.due_soon_count, row.very_high) == (1, 2, True)
    assert (prep.overdue_total, prep.due_soon_total) == (1, 2)
    assert [o.code for o in prep.obligations] == ["supervision.staff"]
    assert prep.tasks == [open_task]


def test_prepare_query_count_does_not_grow(team_manager, case_manager, north):
    """2 or 8 cases, each with obligations, a CMM, a discussion and an allocation: the same queries."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            child = ChildFactory(team=north, case_manager=case_manager)
            _obligation(child=child, due=TODAY, status=Obligation.Status.OPEN, code="contact")
            _meeting(child, team_manager, TODAY - datetime.timedelta(days=5))
            _allocate(child, case_manager, team_manager, TODAY - datetime.timedelta(days=5))
            CaseDiscussion.objects.create(
                child=child, held_on=TODAY, manager=team_manager, worker=case_manager, created_by=team_manager
            )
            Task.objects.create(
                child=child, assignee=case_manager, title="x", source="discussion:9", created_by=team_manager
            )

    def read():
        """Read everything the page shows."""
        prep = sel.prepare_for_supervision(worker=case_manager, today=TODAY)
        [(c.team.name, c.exempt, c.brief_check) for c in prep.cases]
        [t.child.case_number for t in prep.tasks]

    add(2)
    few = _count(read)
    add(6)
    assert _count(read) == few


# ---------------------------------------------------------------------------------------------------
# Views


def _get(client, user, name, *args, **params):
    """GET a named page as the user."""
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_home_for_a_case_manager(client, case_manager, team_manager):
    """Everyone sees their own supervision: supervisor, last and next due, a link to their records; no
    schedule without direct reports; the view is audited with no child."""
    _session(case_manager, team_manager, datetime.date(2026, 1, 10))
    response = _get(client, case_manager, "supervision_home")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your supervision" in body and team_manager.get_full_name() in body
    assert "10 January 2026" in body
    assert reverse("supervision_worker", args=[case_manager.pk]) in body
    assert "Staff you supervise" not in body
    assert reverse("supervision_chain") not in body
    entry = AuditEntry.objects.get(user=case_manager)
    assert (entry.action, entry.child, entry.object_type) == (AuditEntry.Action.VIEW, None, "user")


def test_home_for_a_team_manager_lists_their_staff(client, team_manager, case_manager, north):
    """A manager's schedule: overdue tag, active supervision tag, and links to prepare and record."""
    today = timezone.localdate()
    _obligation(worker=case_manager, due=today - datetime.timedelta(days=4), status=Obligation.Status.OVERDUE)
    ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.VERY_HIGH)
    body = _get(client, team_manager, "supervision_home").content.decode()
    assert "Staff you supervise" in body
    assert "Overdue" in body and "Active supervision" in body
    assert reverse("supervision_prepare", args=[case_manager.pk]) in body
    assert reverse("session_create", args=[case_manager.pk]) in body
    assert reverse("supervision_chain") in body


def test_home_for_the_service_manager_summarises_overdue(client, service_manager, case_manager, outsider):
    """The service manager sees how many have overdue supervision, linking to the overdue view and the chain."""
    today = timezone.localdate()
    for worker in (case_manager, outsider):
        _obligation(worker=worker, due=today - datetime.timedelta(days=4), status=Obligation.Status.OVERDUE)
    body = _get(client, service_manager, "supervision_home").content.decode()
    assert "2 members of staff have overdue supervision" in body
    assert reverse("supervision_overdue") in body and reverse("supervision_chain") in body


def test_home_is_not_for_administrators(client, administrator):
    """Administrators are not in the supervision chain."""
    assert _get(client, administrator, "supervision_home").status_code == 404


def test_home_query_count_does_not_grow(client, team_manager, north):
    """2 or 8 direct reports: the same queries."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            worker = UserFactory(team=north, line_manager=team_manager)
            _obligation(worker=worker, due=TODAY, status=Obligation.Status.OVERDUE)
            ChildFactory(team=north, case_manager=worker)

    client.force_login(team_manager)
    url = reverse("supervision_home")
    add(2)
    few = _count(lambda: client.get(url))
    add(6)
    assert _count(lambda: client.get(url)) == few


def test_chain_for_the_service_manager_shows_every_team(client, service_manager, case_manager, outsider):
    """The service manager sees every team's chain, with breaks as tags with text."""
    response = _get(client, service_manager, "supervision_chain")
    body = response.content.decode()
    assert response.status_code == 200
    assert "North locality team" in body and "South locality team" in body
    assert outsider.get_full_name() in body and case_manager.get_full_name() in body
    assert "No supervisor recorded" in body  # the outsider's
    assert AuditEntry.objects.filter(user=service_manager, child=None, action=AuditEntry.Action.VIEW).exists()


def test_chain_for_a_team_manager_shows_their_team_only(client, team_manager, case_manager, outsider):
    """A team manager sees their own team's members, not another team's."""
    body = _get(client, team_manager, "supervision_chain").content.decode()
    assert case_manager.get_full_name() in body
    assert outsider.get_full_name() not in body


@pytest.mark.parametrize("name", ["supervision_chain", "supervision_overdue"])
def test_chain_and_overdue_are_404_for_case_managers(client, case_manager, outsider, name):
    """A case manager (or anyone else who is not the service manager or, for the chain, a TM): 404."""
    assert _get(client, case_manager, name).status_code == 404
    assert _get(client, outsider, name).status_code == 404


def test_overdue_is_404_for_a_team_manager(client, team_manager):
    """Overdue supervision across the service is the service manager's view."""
    assert _get(client, team_manager, "supervision_overdue").status_code == 404


def test_overdue_lists_and_filters_by_team(
    client, service_manager, team_manager, case_manager, outsider, south
):
    """Every overdue worker with their supervisor, team and days overdue; the GET filter narrows to a team;
    a nonsense filter or page shows everyone rather than failing."""
    today = timezone.localdate()
    _obligation(worker=case_manager, due=today - datetime.timedelta(days=4), status=Obligation.Status.OVERDUE)
    _obligation(worker=outsider, due=today - datetime.timedelta(days=11), status=Obligation.Status.OVERDUE)
    body = _get(client, service_manager, "supervision_overdue").content.decode()
    assert case_manager.get_full_name() in body and outsider.get_full_name() in body
    assert team_manager.get_full_name() in body  # the case manager's supervisor
    assert ">11<" in body and ">4<" in body
    body = _get(client, service_manager, "supervision_overdue", team=south.pk).content.decode()
    assert outsider.get_full_name() in body and case_manager.get_full_name() not in body
    for params in ({"team": "nonsense"}, {"team": "999999"}, {"page": "abc"}):
        assert _get(client, service_manager, "supervision_overdue", **params).status_code == 200


def test_overdue_query_count_does_not_grow(client, service_manager, north):
    """2 or 8 overdue workers: the same queries."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            _obligation(worker=UserFactory(team=north), due=TODAY, status=Obligation.Status.OVERDUE)

    client.force_login(service_manager)
    url = reverse("supervision_overdue")
    add(2)
    few = _count(lambda: client.get(url))
    add(6)
    assert _count(lambda: client.get(url)) == few


def test_chain_query_count_does_not_grow(client, service_manager, team_manager, north):
    """2 or 8 more staff: the same queries."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            _obligation(
                worker=UserFactory(team=north, line_manager=team_manager),
                due=TODAY,
                status=Obligation.Status.OVERDUE,
            )

    client.force_login(service_manager)
    url = reverse("supervision_chain")
    add(2)
    few = _count(lambda: client.get(url))
    add(6)
    assert _count(lambda: client.get(url)) == few


def test_prepare_page_for_the_supervisor(client, team_manager, case_manager, north):
    """The prepare page: the worker's summary, each case with its levels (risk badges), what is due linking
    to the child's "What is due", brief check and exempt tags, and the button to record the supervision."""
    today = timezone.localdate()
    child = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.VERY_HIGH, last_name="Aaa")
    _meeting(child, team_manager, today - datetime.timedelta(days=3))
    fresh = ChildFactory(team=north, case_manager=case_manager, last_name="Bbb")
    _allocate(fresh, case_manager, team_manager, today - datetime.timedelta(days=3))
    response = _get(client, team_manager, "supervision_prepare", case_manager.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "RoSH very high" in body and "app-risk-badge" in body
    assert reverse("child_obligations", args=[child.pk]) in body
    assert "Brief check: CMM in the last month" in body
    assert "Exempt: newly allocated, assessment not yet signed off" in body
    assert "Active supervision" in body
    assert reverse("session_create", args=[case_manager.pk]) in body
    entry = AuditEntry.objects.get(user=team_manager)
    assert (entry.child, entry.object_id) == (None, str(case_manager.pk))


def test_prepare_for_the_service_manager(client, service_manager, case_manager):
    """The service manager may prepare anyone's supervision."""
    assert _get(client, service_manager, "supervision_prepare", case_manager.pk).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "colleague", "case_manager"])
def test_prepare_is_404_outside_the_chain(client, request, case_manager, who):
    """An outsider, a colleague and the worker themselves cannot open the supervisor's preparation."""
    user = request.getfixturevalue(who)
    assert _get(client, user, "supervision_prepare", case_manager.pk).status_code == 404


def test_prepare_is_404_for_unknown_or_inactive_workers(client, team_manager, case_manager):
    """No such worker, or one who has left: 404."""
    assert _get(client, team_manager, "supervision_prepare", 999999).status_code == 404
    case_manager.is_active = False
    case_manager.save()
    assert _get(client, team_manager, "supervision_prepare", case_manager.pk).status_code == 404


def test_prepare_view_query_count_does_not_grow(client, team_manager, case_manager, north):
    """2 or 8 cases on the prepare page: the same queries."""

    def add(n):
        """Add n more rows."""
        for _ in range(n):
            child = ChildFactory(team=north, case_manager=case_manager)
            _obligation(child=child, due=TODAY, status=Obligation.Status.OVERDUE, code="contact")
            _meeting(child, team_manager, TODAY)
            Task.objects.create(
                child=child, assignee=case_manager, title="x", source="discussion:9", created_by=team_manager
            )

    client.force_login(team_manager)
    url = reverse("supervision_prepare", args=[case_manager.pk])
    add(2)
    few = _count(lambda: client.get(url))
    add(6)
    assert _count(lambda: client.get(url)) == few


def test_team_manager_sees_their_chain_with_a_break_flagged(client, team_manager, case_manager, north):
    """A break shows as a tag with its text on the team manager's chain report."""
    stray = UserFactory(username="stray", role=Role.CASE_MANAGER, team=north)
    body = _get(client, team_manager, "supervision_chain").content.decode()
    assert stray.get_full_name() in body
    assert "No supervisor recorded" in body
    assert "govuk-tag" in body


def test_service_team_is_shown_for_the_service_manager(client, service_manager):
    """The service manager's own team appears at the top of the chain report."""
    TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
    body = _get(client, service_manager, "supervision_chain").content.decode()
    assert "Service management" in body and "top of the chain" in body
