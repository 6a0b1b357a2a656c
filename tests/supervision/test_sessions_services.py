"""The Record of Supervision's services and reads (000 App. C, 000 §4.1-§4.2, 002 Frequency and Group
Supervision): create, update, finalise, cancel, the leave gap, and the agreed frequency."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Leave, Obligation, RiskLevel, Role
from cases.services.core import worker_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory
from supervision.models import CaseDiscussion, SupervisionFrequency, SupervisionMethod, SupervisionSession
from supervision.selectors import sessions as session_selectors
from supervision.services import sessions as services
from supervision.services.sessions import SESSION_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=LONDON)  # Tue 15 Sep 2026
TODAY = NOW.date()
D = datetime.date


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 15 Sep 2026 at 10:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def worker(case_manager):
    """The case manager, who joined on 1 Jun 2026."""
    case_manager.date_joined = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    case_manager.save(update_fields=["date_joined"])
    return case_manager


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, SESSION_RENDER, "session_id")


def create(worker, manager, held_on, method=SupervisionMethod.ONE_TO_ONE, **kwargs):
    """Record a supervision through the service."""
    return services.session_create(
        supervisee=worker, supervisor=manager, held_on=held_on, method=method, user=manager, **kwargs
    )


def supervision_rows(worker, code="supervision.staff"):
    """The worker's stored obligations of one code as (due, status, met_on), after a refresh."""
    worker_obligations_refresh(worker_id=worker.pk, as_of=TODAY)
    return [
        (o.due, o.status, o.met_on)
        for o in Obligation.objects.filter(worker=worker, child__isnull=True, code=code).order_by("position")
    ]


def planned_leave(worker, start, end, kind=Leave.Kind.PLANNED):
    """A leave period for the worker."""
    return Leave.objects.create(worker=worker, kind=kind, start_date=start, end_date=end, recorded_by=worker)


# ------------------------------------------------------------------------------------------ create


def test_create_makes_a_draft_audited_without_a_child(worker, team_manager):
    """A supervision recorded by the line manager is a draft, created by them, audited about staff."""
    session = create(worker, team_manager, D(2026, 7, 10), starts_at=datetime.time(14, 0))
    assert session.status == SupervisionSession.Status.DRAFT
    assert session.created_by == team_manager and session.supervisor == team_manager
    entry = AuditEntry.objects.get(object_type="supervisionsession", object_id=str(session.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.child is None and entry.user == team_manager


@pytest.mark.parametrize("who", ["colleague", "outsider", "case_manager"])
def test_only_the_chain_records_supervision(who, worker, request):
    """A colleague, an outsider, or the worker themself cannot record the worker's supervision."""
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        services.session_create(
            supervisee=worker,
            supervisor=user,
            held_on=D(2026, 7, 10),
            method=SupervisionMethod.ONE_TO_ONE,
            user=user,
        )
    assert not SupervisionSession.objects.exists()


def test_service_manager_may_record_and_name_the_line_manager(worker, team_manager, service_manager):
    """The service manager (000 §2, above everyone) records a supervision the line manager held."""
    session = services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 7, 10),
        method=SupervisionMethod.PHONE,
        user=service_manager,
    )
    assert session.supervisor == team_manager and session.created_by == service_manager


def test_create_refuses_a_future_date_and_a_supervisor_outside_the_chain(worker, team_manager, colleague):
    """A record says what happened; the supervisor named must be able to supervise the worker."""
    with pytest.raises(ValidationError) as exc:
        create(worker, team_manager, TODAY + datetime.timedelta(days=1))
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            supervisee=worker,
            supervisor=colleague,
            held_on=TODAY,
            method=SupervisionMethod.ONE_TO_ONE,
            user=team_manager,
        )
    assert "supervisor" in exc.value.message_dict


def test_create_refuses_a_duplicate_but_not_after_cancelling(worker, team_manager):
    """One record per kind of supervision a day; a cancelled one does not block recording it again."""
    first = create(worker, team_manager, D(2026, 7, 10))
    with pytest.raises(ValidationError):
        create(worker, team_manager, D(2026, 7, 10))
    services.session_cancel(session=first, user=team_manager, reason="Recorded twice")
    assert create(worker, team_manager, D(2026, 7, 10)).pk != first.pk


# ------------------------------------------------------------------------- obligations (facts)


def test_formal_session_meets_supervision_staff_on_commit(
    worker, team_manager, django_capture_on_commit_callbacks
):
    """A 1:1 states staff_supervision_held: the rules module's supervision.staff is met (000 §4.1)."""
    with django_capture_on_commit_callbacks(execute=True):
        create(worker, team_manager, D(2026, 7, 10))
    rows = list(
        Obligation.objects.filter(worker=worker, code="supervision.staff").values_list(
            "status", "met_on", "basis"
        )
    )
    assert (Obligation.Status.MET, D(2026, 7, 10), "000 §4.1, 001 §2") in rows


def test_group_session_does_not_meet_supervision_staff(
    worker, team_manager, django_capture_on_commit_callbacks
):
    """002 Group Supervision: group supervision does not replace formal 1:1 supervision."""
    with django_capture_on_commit_callbacks(execute=True):
        create(worker, team_manager, D(2026, 7, 10), method=SupervisionMethod.GROUP)
    rows = supervision_rows(worker)
    assert rows and all(met_on is None for _, _, met_on in rows)
    # Started 1 Jun: first due six weeks later, Mon 13 Jul, now overdue.
    assert rows[0] == (D(2026, 7, 13), Obligation.Status.OVERDUE, None)


def test_online_and_phone_count_as_formal(worker, team_manager):
    """000 §3.2: supervision by Teams or phone is formal 1:1 supervision."""
    create(worker, team_manager, D(2026, 7, 6), method=SupervisionMethod.ONLINE)
    create(worker, team_manager, D(2026, 8, 10), method=SupervisionMethod.PHONE)
    met = [met_on for _, _, met_on in supervision_rows(worker) if met_on]
    assert met == [D(2026, 7, 6), D(2026, 8, 10)]


# ------------------------------------------------------------------------------------ leave gap


def test_leave_gap_required_when_leave_falls_in_a_long_gap(worker, team_manager):
    """002 Frequency: leave since the last formal supervision, in a gap longer than six weeks, is recorded."""
    create(worker, team_manager, D(2026, 7, 1))
    planned_leave(worker, D(2026, 8, 3), D(2026, 8, 21))
    gap = session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 9, 14))
    assert gap.required and gap.since == D(2026, 7, 1)
    assert gap.text == "On planned leave 3–21 Aug 2026"
    with pytest.raises(ValidationError) as exc:
        create(worker, team_manager, D(2026, 9, 14))
    assert "On planned leave 3–21 Aug 2026" in exc.value.message_dict["leave_gap"][0]
    session = create(worker, team_manager, D(2026, 9, 14), leave_gap="On planned leave 3–21 Aug 2026")
    assert session.leave_gap == "On planned leave 3–21 Aug 2026"


def test_leave_gap_boundary_is_six_weeks(worker, team_manager):
    """Exactly six weeks (42 days) after the last supervision is not a gap; the day after is."""
    create(worker, team_manager, D(2026, 7, 1))
    planned_leave(worker, D(2026, 7, 20), D(2026, 7, 24))
    assert not session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 8, 12)).required
    assert session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 8, 13)).required


def test_no_leave_gap_without_leave_or_with_leave_before_the_last_supervision(worker, team_manager):
    """A long gap with no leave in it, or leave that ended before the last supervision, needs no record."""
    planned_leave(worker, D(2026, 6, 15), D(2026, 6, 26))
    create(worker, team_manager, D(2026, 7, 1))
    gap = session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 9, 14))
    assert gap.exceeds_interval and not gap.periods and not gap.required
    assert create(worker, team_manager, D(2026, 9, 14)).leave_gap == ""


def test_group_session_is_not_the_last_formal_supervision(worker, team_manager):
    """The gap runs from the last formal session: a group session in between does not close it."""
    create(worker, team_manager, D(2026, 7, 1))
    create(worker, team_manager, D(2026, 8, 25), method=SupervisionMethod.GROUP)
    planned_leave(worker, D(2026, 8, 3), D(2026, 8, 21))
    assert session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 9, 14)).since == D(2026, 7, 1)


def test_leave_gap_from_the_start_date_and_open_ended_leave(worker, team_manager):
    """No supervision yet: the gap runs from when the worker started; leave with no return date says so."""
    planned_leave(worker, D(2026, 7, 20), None, kind=Leave.Kind.UNPLANNED)
    gap = session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 9, 1))
    assert gap.since == D(2026, 6, 1) and gap.required
    assert gap.text == "On unplanned leave from 20 Jul 2026 (no return date recorded)"


def test_start_date_is_the_local_day_across_the_clock_change(worker):
    """A worker who joined at 00:30 BST (23:30 UTC the day before) started on the London day."""
    worker.date_joined = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST on 30 Mar
    worker.save(update_fields=["date_joined"])
    assert session_selectors.leave_gap_for(worker=worker, held_on=D(2026, 5, 1)).since == D(2026, 3, 30)


def test_date_range_text_forms():
    """Leave periods read naturally within a month, across months and across years."""
    assert session_selectors.date_range_text(D(2026, 8, 3), D(2026, 8, 21)) == "3–21 Aug 2026"
    assert session_selectors.date_range_text(D(2026, 7, 28), D(2026, 8, 4)) == "28 Jul – 4 Aug 2026"
    assert session_selectors.date_range_text(D(2025, 12, 29), D(2026, 1, 2)) == "29 Dec 2025 – 2 Jan 2026"
    assert session_selectors.date_range_text(D(2026, 8, 3), D(2026, 8, 3)) == "3 Aug 2026"


@pytest.mark.parametrize(
    ("since", "held_on", "exceeds"),
    [
        (D(2026, 1, 30), D(2026, 2, 27), False),
        (D(2026, 1, 30), D(2026, 2, 28), False),  # the last day of the next month
        (D(2026, 1, 30), D(2026, 3, 2), True),  # February went without
        (D(2028, 1, 31), D(2028, 2, 29), False),  # leap year
        (D(2028, 1, 31), D(2028, 3, 1), True),
        (D(2026, 12, 1), D(2027, 1, 31), False),  # across the year end
        (D(2026, 12, 1), D(2027, 2, 1), True),
    ],
)
def test_islington_interval_is_a_calendar_month(settings, since, held_on, exceeds):
    """002: one supervision each calendar month, so the gap is long once a whole month went without."""
    settings.POLICY_PROFILE = "islington"
    assert session_selectors.exceeds_standard_interval(since=since, held_on=held_on) is exceeds


def test_standard_frequency_per_profile(settings):
    """Six-weekly in Nottinghamshire (000 §4.1) and Enfield; every calendar month in Islington (002)."""
    assert session_selectors.standard_frequency()["label"] == "every 6 weeks"
    settings.POLICY_PROFILE = "enfield"
    assert session_selectors.standard_frequency()["label"] == "every 6 weeks"
    settings.POLICY_PROFILE = "islington"
    assert session_selectors.standard_frequency() == {
        "label": "every calendar month",
        "basis": "002 Frequency",
    }


# ------------------------------------------------------------------------------------------ update


def test_update_changes_sections_and_is_audited(worker, team_manager):
    """The supervisor writes the agenda; only changed fields are saved, and the change is audited."""
    session = create(worker, team_manager, D(2026, 9, 1))
    services.session_update(
        session=session,
        user=team_manager,
        personal_wellbeing="  Flexi balance fine  ",
        performance="Good practice in court reports",
        next_date=D(2026, 10, 13),
    )
    session.refresh_from_db()
    assert session.personal_wellbeing == "Flexi balance fine" and session.next_date == D(2026, 10, 13)
    entry = AuditEntry.objects.filter(object_type="supervisionsession", action=AuditEntry.Action.UPDATE).get()
    assert "personal_wellbeing" in entry.description and entry.child is None


def test_update_refuses_other_users_dates_and_finalised_records(worker, team_manager, colleague, queued):
    """Only the chain writes the record; the next supervision comes after this one; a finalised record is fixed."""
    session = create(worker, team_manager, D(2026, 9, 1))
    with pytest.raises(ValidationError):
        services.session_update(session=session, user=colleague, aob="x")
    with pytest.raises(ValidationError):
        services.session_update(session=session, user=worker, aob="x")
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, user=team_manager, next_date=D(2026, 9, 1))
    assert "next_date" in exc.value.message_dict
    services.session_update(session=session, user=team_manager, aob="Office move", next_date=D(2026, 10, 1))
    services.session_finalise(session=session, user=team_manager)
    with pytest.raises(ValidationError):
        services.session_update(session=session, user=team_manager, aob="Changed later")


def test_update_of_the_date_needs_the_leave_gap_then(worker, team_manager):
    """Moving the date into a long gap with leave needs the gap recorded (002 Frequency)."""
    create(worker, team_manager, D(2026, 7, 1))
    planned_leave(worker, D(2026, 8, 3), D(2026, 8, 21))
    session = create(worker, team_manager, D(2026, 8, 5))
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, user=team_manager, held_on=D(2026, 9, 14))
    assert "leave_gap" in exc.value.message_dict


def test_update_of_the_method_changes_the_facts(worker, team_manager, django_capture_on_commit_callbacks):
    """A 1:1 changed to a group session no longer meets supervision.staff."""
    session = create(worker, team_manager, D(2026, 7, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, user=team_manager, method=SupervisionMethod.GROUP)
    assert not Obligation.objects.filter(
        worker=worker, code="supervision.staff", met_on=D(2026, 7, 10)
    ).exists()


# ---------------------------------------------------------------------------------------- finalise


def test_finalise_needs_content_and_the_next_date(worker, team_manager, queued):
    """App. C: something recorded, and the date of the next supervision."""
    session = create(worker, team_manager, D(2026, 9, 1))
    with pytest.raises(ValidationError) as exc:
        services.session_finalise(session=session, user=team_manager)
    messages = " ".join(exc.value.messages)
    assert "at least one section" in messages and "date of the next supervision" in messages
    services.session_update(session=session, user=team_manager, next_date=D(2026, 10, 13))
    with pytest.raises(ValidationError):
        services.session_finalise(session=session, user=team_manager)
    assert queued == []


def test_finalise_fixes_the_record_audits_and_queues_the_pdf(
    worker, team_manager, queued, django_capture_on_commit_callbacks
):
    """Finalising sets who and when, audits, refreshes the worker's obligations and queues the PDF."""
    session = create(worker, team_manager, D(2026, 9, 1))
    services.session_update(
        session=session, user=team_manager, matters_arising="None", next_date=D(2026, 10, 13)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_finalise(session=session, user=team_manager, today=D(2026, 9, 2))
    session.refresh_from_db()
    assert session.status == SupervisionSession.Status.FINALISED
    assert session.finalised_on == D(2026, 9, 2) and session.finalised_by == team_manager
    assert queued == [session.pk]
    assert AuditEntry.objects.filter(object_id=str(session.pk), description__startswith="Finalised").exists()
    assert Obligation.objects.filter(worker=worker, code="supervision.staff", met_on=D(2026, 9, 1)).exists()
    with pytest.raises(ValidationError):
        services.session_finalise(session=session, user=team_manager)


def test_finalise_records_the_case_discussions_held_in_it(worker, team_manager, north, queued):
    """Each draft case discussion of the session goes on the child's file (001 App. 5, 004 §7)."""
    session = create(worker, team_manager, D(2026, 9, 1))
    services.session_update(session=session, user=team_manager, next_date=D(2026, 10, 13))
    children = [ChildFactory(team=north, case_manager=worker) for _ in range(2)]
    discussions = [
        CaseDiscussion.objects.create(
            child=child,
            session=session,
            held_on=D(2026, 9, 1),
            manager=team_manager,
            worker=worker,
            overview="Progressing with the plan",
            created_by=team_manager,
        )
        for child in children
    ]
    # The cases discussed are what is recorded in the agenda: nothing else is needed.
    services.session_finalise(session=session, user=team_manager)
    for discussion in discussions:
        discussion.refresh_from_db()
        assert discussion.status == CaseDiscussion.Status.RECORDED
        assert discussion.recorded_by == team_manager and discussion.event is not None


def test_finalise_needs_the_leave_gap(worker, team_manager, queued):
    """A record whose date falls in a long gap with leave is finalised only with the gap recorded."""
    create(worker, team_manager, D(2026, 7, 1))
    session = create(worker, team_manager, D(2026, 9, 14), leave_gap="On planned leave 3–21 Aug 2026")
    planned_leave(worker, D(2026, 8, 3), D(2026, 8, 21))
    SupervisionSession.objects.filter(pk=session.pk).update(leave_gap="")
    services.session_update(session=session, user=team_manager, aob="x", next_date=D(2026, 10, 26))
    with pytest.raises(ValidationError) as exc:
        services.session_finalise(session=session, user=team_manager)
    assert any("leave" in m for m in exc.value.messages)


# ------------------------------------------------------------------------------------------ cancel


def test_cancel_needs_a_reason_and_stops_counting(worker, team_manager, django_capture_on_commit_callbacks):
    """A cancelled record no longer meets supervision.staff; only a draft can be cancelled."""
    with django_capture_on_commit_callbacks(execute=True):
        session = create(worker, team_manager, D(2026, 7, 10))
    assert Obligation.objects.filter(worker=worker, met_on=D(2026, 7, 10)).exists()
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, user=team_manager, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(
            session=session, user=team_manager, reason="Recorded against the wrong worker"
        )
    session.refresh_from_db()
    assert session.status == SupervisionSession.Status.CANCELLED
    assert session.cancelled_reason == "Recorded against the wrong worker"
    assert not Obligation.objects.filter(worker=worker, met_on=D(2026, 7, 10)).exists()
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, user=team_manager, reason="Again")


# --------------------------------------------------------------------------------------- frequency


def test_frequency_set_creates_agreed_obligations(worker, team_manager, django_capture_on_commit_callbacks):
    """002: a more frequent supervision agreed for a new worker becomes supervision.agreed obligations."""
    with django_capture_on_commit_callbacks(execute=True):
        frequency = services.supervision_frequency_set(
            worker=worker, weeks=2, from_date=D(2026, 8, 3), reason="New case manager", user=team_manager
        )
    assert frequency.set_by == team_manager
    # Every two weeks from Mon 3 Aug: the first, Mon 17 Aug, is overdue with no supervision since.
    assert supervision_rows(worker, code="supervision.agreed") == [
        (D(2026, 8, 17), Obligation.Status.OVERDUE, None)
    ]
    create(worker, team_manager, D(2026, 9, 14))
    assert supervision_rows(worker, code="supervision.agreed") == [
        (D(2026, 8, 17), Obligation.Status.MET_LATE, D(2026, 9, 14)),
        (D(2026, 9, 28), Obligation.Status.OPEN, None),
    ]
    assert Obligation.objects.get(
        worker=worker, code="supervision.agreed", due=D(2026, 8, 17)
    ).basis.startswith("002")
    entry = AuditEntry.objects.get(object_type="supervisionfrequency")
    assert entry.child is None and "Every 2 weeks" in entry.description
    in_force = session_selectors.frequency_in_force(worker=worker)
    assert in_force["label"] == "every 2 weeks" and in_force["agreed"] == frequency


def test_frequency_back_to_standard_ends_the_agreed_obligations(worker, team_manager):
    """Weeks 0 returns the worker to the service's standard: no new supervision.agreed occurrences."""
    services.supervision_frequency_set(
        worker=worker, weeks=3, from_date=D(2026, 7, 1), reason="New case manager", user=team_manager
    )
    services.supervision_frequency_set(
        worker=worker, weeks=0, from_date=D(2026, 8, 1), reason="Settled in", user=team_manager
    )
    assert not [
        r for r in supervision_rows(worker, code="supervision.agreed") if r[1] == Obligation.Status.OPEN
    ]
    in_force = session_selectors.frequency_in_force(worker=worker)
    assert in_force["label"] == "every 6 weeks" and in_force["agreed"] is None


def test_frequency_set_refusals(worker, team_manager, colleague):
    """Only the chain sets the frequency, and a reason is needed."""
    with pytest.raises(ValidationError):
        services.supervision_frequency_set(
            worker=worker, weeks=2, from_date=TODAY, reason="x", user=colleague
        )
    with pytest.raises(ValidationError) as exc:
        services.supervision_frequency_set(
            worker=worker, weeks=2, from_date=TODAY, reason=" ", user=team_manager
        )
    assert "reason" in exc.value.message_dict
    assert not SupervisionFrequency.objects.exists()


def test_future_frequency_is_upcoming_not_in_force(worker, team_manager):
    """A frequency from a later date is shown as a coming change; the standard stays in force till then."""
    services.supervision_frequency_set(
        worker=worker, weeks=4, from_date=D(2026, 10, 1), reason="Closer supervision", user=team_manager
    )
    in_force = session_selectors.frequency_in_force(worker=worker, today=TODAY)
    assert in_force["label"] == "every 6 weeks" and in_force["upcoming"].weeks == 4


# ----------------------------------------------------------------------------------- reads (000 §4.2)


def test_active_supervision_cases_are_very_high_open_cases(worker, north):
    """000 §4.2: an open case with a Very High RoSH, SaW or LoR; closed cases and others' do not count."""
    kw = {"team": north, "rosh": RiskLevel.LOW, "saw": RiskLevel.LOW, "lor": RiskLevel.LOW}
    very_high_saw = ChildFactory(case_manager=worker, **{**kw, "saw": RiskLevel.VERY_HIGH})
    ChildFactory(case_manager=worker, **kw)
    ChildFactory(case_manager=worker, is_open=False, **{**kw, "rosh": RiskLevel.VERY_HIGH})
    ChildFactory(
        case_manager=UserFactory(role=Role.CASE_MANAGER, team=north), **{**kw, "lor": RiskLevel.VERY_HIGH}
    )
    assert session_selectors.active_supervision_cases(worker=worker) == [very_high_saw]
