"""Records become facts, facts become stored obligations; the task runs on a real Celery worker."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from cases import services
from cases.facts import child_facts
from cases.models import EventType, Obligation, Programme
from config.celery import app as celery_app
from demo.factories import ChildFactory, EventFactory, ProgrammeFactory


@pytest.mark.django_db
class TestFacts:
    def test_programme_and_events_become_facts(self, child, case_manager):
        """A YRO, the child's levels and an AssetPlus completion event appear as the spec's facts."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
        )
        EventFactory(
            child=child,
            author=case_manager,
            event_type=EventType.ASSETPLUS_COMPLETION,
            occurred_on=datetime.date(2024, 1, 25),
        )
        facts = child_facts(child=child)
        assert {
            "type": "programme_started",
            "programme": "yro",
            "date": "2024-01-08",
            "length_months": 12,
            "iss": False,
        } in facts
        assert {"type": "assessment_completed", "assessment": "assetplus", "date": "2024-01-25"} in facts
        assert any(f["type"] == "risk_rated" for f in facts)

    def test_psr_without_court_date_is_left_out(self, child):
        """A PSR with no court date cannot be placed on the calendar, so it gives no facts yet."""
        ProgrammeFactory(child=child, kind=Programme.Kind.PSR, start_date=datetime.date(2024, 1, 8))
        assert not [f for f in child_facts(child=child) if f["type"] == "programme_started"]


@pytest.mark.django_db
class TestRefresh:
    def test_yro_obligations_stored(self, child, case_manager):
        """The worked example's YRO gives stored obligations with the spec's due dates (001 §6 table)."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
        )
        EventFactory(
            child=child,
            author=case_manager,
            event_type=EventType.ASSETPLUS_COMPLETION,
            occurred_on=datetime.date(2024, 1, 25),
        )
        services.child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2024, 6, 3))
        stored = {o.code: o for o in Obligation.objects.filter(child=child)}
        assert stored["assetplus.gatekeep"].due == datetime.date(2024, 1, 25)
        assert stored["assetplus.gatekeep"].status == "overdue"
        assert stored["assetplus.due"].status == "met"
        assert stored["assetplus.due"].met_on == datetime.date(2024, 1, 25)
        assert stored["plan.intervention"].basis.startswith("001 §6")

    def test_refresh_is_idempotent(self, child):
        """Running the refresh twice leaves one set of obligations, not two."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
        )
        first = services.child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2024, 6, 3))
        second = services.child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2024, 6, 3))
        assert first == second == Obligation.objects.filter(child=child).count()

    def test_adding_event_recomputes_on_commit(self, child, case_manager, django_capture_on_commit_callbacks):
        """Recording an AssetPlus completion turns the child's obligation met (queued on commit)."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.event_create(
                child=child,
                author=case_manager,
                event_type=EventType.ASSETPLUS_COMPLETION,
                occurred_on=datetime.date(2024, 1, 25),
                summary="AssetPlus signed off",
            )
        assert Obligation.objects.get(child=child, code="assetplus.due").met_on == datetime.date(2024, 1, 25)

    def test_what_is_due_page(self, client, child, case_manager, outsider):
        """The child's 'What is due' tab lists obligations with their policy basis; outsiders get 404."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
        )
        services.child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2024, 6, 3))
        client.force_login(case_manager)
        content = client.get(reverse("child_obligations", args=[child.pk])).content.decode()
        assert "AssetPlus" in content and "001 §6" in content and "Overdue" in content
        client.force_login(outsider)
        assert client.get(reverse("child_obligations", args=[child.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker(settings):
    """The refresh task goes through the broker (Redis when REDIS_URL is set) to a real worker thread."""
    child = ChildFactory()
    ProgrammeFactory(
        child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8), length_months=12
    )
    from cases.tasks import child_obligations_refresh

    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
            result = child_obligations_refresh.delay(child.pk)
            count = result.get(timeout=60)
    finally:
        celery_app.conf.task_always_eager = True
    assert count == Obligation.objects.filter(child=child).count() > 0
    if settings.REDIS_URL:
        assert celery_app.connection().transport.driver_type == "redis"


@pytest.mark.django_db
def test_daily_sweep_goes_on_past_a_failing_child(monkeypatch, north, case_manager):
    """One child whose refresh fails is logged and skipped; every other child is still re-judged."""
    from cases import tasks

    good, bad = ChildFactory.create_batch(2, team=north, case_manager=case_manager)
    for c in (good, bad):
        ProgrammeFactory(child=c, kind=Programme.Kind.YRO)
    real = services.child_obligations_refresh

    def refresh(*, child_id, as_of=None):
        if child_id == bad.pk:
            raise RuntimeError("a corrupt record")
        return real(child_id=child_id, as_of=as_of)

    monkeypatch.setattr(services, "child_obligations_refresh", refresh)
    assert tasks.obligations_refresh_all() == 1
    assert Obligation.objects.filter(child=good).exists()
    assert not Obligation.objects.filter(child=bad).exists()
