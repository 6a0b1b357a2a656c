"""The beat jobs: the daily sweep through beat's schedule to a real worker (Redis when REDIS_URL is set,
the in-memory broker otherwise), the hourly sweep and digests eagerly, the PDF retry job, and the demo."""

import datetime

import pytest
import time_machine
from celery import beat
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from alerts import tasks
from alerts.models import DigestSent, Notification
from cases.models import Obligation, Programme, Role
from config.celery import app as celery_app
from core.models import Document
from demo.factories import ChildFactory, ProgrammeFactory, TeamFactory, UserFactory
from demo.seed import alerts as alerts_demo
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession
from supervision.services import discussions as discussion_services
from supervision.services import sessions as session_services
from tests.meetings.test_pdf import finalised_meeting

from .helpers import D, london, obligation, sent_mail


@pytest.mark.django_db(transaction=True)
def test_beat_sends_the_daily_sweep_to_a_real_worker(settings):
    """Beat's "alerts-sweep-daily" entry (06:00) goes through the broker to a worker thread, which
    re-judges the service (a child never refreshed gets a full refresh) and raises the alerts."""
    north = TeamFactory(name="North locality team")
    manager = UserFactory(role=Role.TEAM_MANAGER, team=north)
    worker = UserFactory(role=Role.CASE_MANAGER, team=north, line_manager=manager)
    child = ChildFactory(team=north, case_manager=worker)
    ProgrammeFactory(
        child=child,
        kind=Programme.Kind.YRO,
        start_date=timezone.localdate() - datetime.timedelta(days=90),
        length_months=12,
    )
    scheduler = beat.Scheduler(app=celery_app, lazy=True)
    scheduler.setup_schedule()
    entry = scheduler.schedule["alerts-sweep-daily"]
    assert entry.task == "alerts.tasks.alerts_sweep_daily"
    assert entry.schedule == crontab(hour=6, minute=0)

    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
            result = scheduler.apply_async(entry, advance=False)
            outcome = result.get(timeout=120)
    finally:
        celery_app.conf.task_always_eager = True

    assert outcome["rejudged"]["children_refreshed"] == 1
    assert Obligation.objects.get(child=child, code="assetplus.due").status == Obligation.Status.OVERDUE
    assert Notification.objects.filter(recipient=worker, child=child, kind="overdue").exists()
    assert Notification.objects.filter(recipient=manager, child=child, kind="overdue_manager").exists()
    assert outcome["raised"]["raised"] == Notification.objects.count()
    if settings.REDIS_URL:
        assert celery_app.connection().transport.driver_type == "redis"


@pytest.mark.django_db
class TestTasksEagerly:
    def test_daily_sweep_rejudges_then_raises(self, child, case_manager):
        """As of a Monday, a YRO's AssetPlus stored as open (judged last week) is re-judged overdue and
        raised; running the task again raises nothing twice."""
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2024, 1, 8))
        from cases import services

        services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 26))
        with time_machine.travel(london(2024, 2, 5, 6, 0), tick=False):
            first = tasks.alerts_sweep_daily.delay().get()
            second = tasks.alerts_sweep_daily.delay().get()
        assert first["rejudged"]["children_changed"] == 1
        assert Notification.objects.filter(
            recipient=case_manager, code="assetplus.due", kind="overdue"
        ).exists()
        assert second["raised"]["raised"] == 0 and second["rejudged"]["children_changed"] == 0

    def test_hourly_sweep(self, child):
        """The hourly task raises an hour-based obligation that has passed its time."""
        obligation(
            child=child, code="cmm.actions_recorded", due=D(2025, 6, 4), due_at=london(2025, 6, 4, 10, 0)
        )
        with time_machine.travel(london(2025, 6, 4, 11, 15), tick=False):
            assert tasks.alerts_sweep_hourly.delay().get()["overdue"] == 1

    def test_digests_task_once_a_day(self, child, case_manager):
        """The digest task sends the case manager's digest once however often it runs that day."""
        obligation(child=child, code="plan.action", due=D(2025, 6, 4))
        with time_machine.travel(london(2025, 6, 4, 7, 0), tick=False):
            tasks.digests_send.delay().get()
            tasks.digests_send.delay().get()
        assert [m.to for m in sent_mail()].count([case_manager.email]) == 1
        assert DigestSent.objects.filter(user=case_manager, date=D(2025, 6, 4), emailed=True).count() == 1

    def test_a_failed_sweep_leaves_nothing_and_is_retried(self, monkeypatch, child, case_manager):
        """The first attempt fails half-way through inserting (rolled back, nothing raised); the retry
        raises everything, once. (A YRO from Monday 12 May 2025: on Tuesday 3 June its gatekeeping is
        overdue and its AssetPlus and plan are due that day.)"""
        from alerts import services

        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2025, 5, 12))
        real, calls = services._insert, []

        def flaky(notifications):
            calls.append(len(notifications))
            if len(calls) == 2:  # the first attempt's second insert (workers')
                assert Notification.objects.count() == calls[0] > 0  # the first is in, uncommitted
                raise RuntimeError("connection reset")
            real(notifications)

        monkeypatch.setattr(services, "_insert", flaky)
        with time_machine.travel(london(2025, 6, 3, 6, 0), tick=False):
            # throw=False: handle the failure as a worker does (retry), not raise it into the test.
            outcome = tasks.alerts_sweep_daily.apply(throw=False).get()
        assert len(calls) == 4 and calls[0] == calls[2]  # the failed attempt, then the retry
        assert outcome["raised"]["raised"] == Notification.objects.count() == calls[0]
        assert set(Notification.objects.values_list("kind", flat=True)) == {
            "due_soon",
            "overdue",
            "overdue_manager",
        }

    def test_tasks_retry_on_failure(self):
        """Every alerts task is retried with backoff when it fails."""
        for task in (
            tasks.alerts_sweep_daily,
            tasks.alerts_sweep_hourly,
            tasks.digests_send,
            tasks.pdf_renders_retry,
        ):
            assert task.autoretry_for == (Exception,) and task.retry_backoff and task.max_retries == 5


def broken(*args, **kwargs):
    """A PDF renderer that fails (WeasyPrint down)."""
    raise RuntimeError("renderer unavailable")


@pytest.mark.django_db
def test_failed_pdf_renders_are_retried(
    monkeypatch, child, case_manager, team_manager, django_capture_on_commit_callbacks
):
    """A CMM record, a case discussion record and a Record of Supervision whose renders failed (every
    retry) have no PDF; the retry job queues them again and the PDFs are stored."""
    import meetings.pdf
    import supervision.pdf
    import supervision.pdf_session

    monkeypatch.setattr(meetings.pdf, "meeting_record_pdf", broken)
    monkeypatch.setattr(supervision.pdf, "case_discussion_pdf", broken)
    monkeypatch.setattr(supervision.pdf_session, "session_record_pdf", broken)
    today = timezone.localdate()
    meeting = finalised_meeting(
        child=child, chair=team_manager, case_manager=case_manager, capture=django_capture_on_commit_callbacks
    )
    discussion = discussion_services.case_discussion_create(
        child=child,
        user=team_manager,
        held_on=today - datetime.timedelta(days=1),
        manager=team_manager,
        worker=case_manager,
        overview="Progress at school.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        discussion_services.case_discussion_record(discussion=discussion, user=team_manager)
    session = session_services.session_create(
        supervisee=case_manager,
        supervisor=team_manager,
        held_on=today - datetime.timedelta(days=1),
        method=SupervisionMethod.ONE_TO_ONE,
        user=team_manager,
    )
    session_services.session_update(
        session=session, user=team_manager, aob="Office move", next_date=today + datetime.timedelta(days=28)
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_finalise(
            session=SupervisionSession.objects.get(pk=session.pk), user=team_manager
        )

    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.FINALISED
    assert CaseDiscussion.objects.get(pk=discussion.pk).status == CaseDiscussion.Status.RECORDED
    assert not Document.objects.filter(source__in=[meeting.source, f"discussion:{discussion.pk}"]).exists()
    assert SupervisionSession.objects.get(pk=session.pk).pdf is None

    monkeypatch.undo()
    queued = tasks.pdf_renders_retry.delay().get()

    assert queued == {"meetings": 1, "discussions": 1, "sessions": 1, "failed": 0}
    assert Document.objects.get(source=meeting.source).content[:4] == b"%PDF"
    assert Document.objects.get(source=f"discussion:{discussion.pk}").content[:4] == b"%PDF"
    assert bytes(SupervisionSession.objects.get(pk=session.pk).pdf)[:4] == b"%PDF"
    # Nothing is missing now: the next run queues nothing.
    assert tasks.pdf_renders_retry.delay().get() == {
        "meetings": 0,
        "discussions": 0,
        "sessions": 0,
        "failed": 0,
    }


@pytest.mark.django_db
def test_demo_raises_the_mornings_alerts_and_reads_the_old_ones(
    child, case_manager, team_manager, service_manager
):
    """The demo's notifications are what a 06:00 sweep raises, dated when each was first raised, the
    older ones mostly read; no email is sent."""
    today = D(2025, 6, 4)
    obligation(child=child, code="plan.action", due=D(2025, 6, 5))
    for i in range(10):
        obligation(child=child, code=f"cmm.compliance.{i}", due=D(2025, 3, 3 + i), status="overdue")
    alerts_demo.build(today=today)
    notifications = Notification.objects.all()
    assert notifications.filter(kind="due_soon", recipient=case_manager).count() == 1
    assert notifications.filter(kind="overdue").count() == 10
    assert notifications.filter(kind="escalated", recipient=service_manager).count() == 10
    assert notifications.filter(read_at__isnull=False).exists()
    assert notifications.filter(read_at__isnull=True).exists()
    due_soon = notifications.get(kind="due_soon")
    assert due_soon.read_at is None and timezone.localtime(due_soon.created_at).date() == D(2025, 6, 3)
    overdue = notifications.filter(kind="overdue").order_by("due").first()
    assert timezone.localtime(overdue.created_at).date() == D(2025, 3, 4)
    assert not mail.outbox
