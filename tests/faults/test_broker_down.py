"""Issue 16: with the broker down, a save answers at once, is stored once, and What is due already
follows it (the obligations are recomputed in this process as the save commits, not by a task)."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from kombu.exceptions import OperationalError

from cases.models import Event, FactSnapshot
from config.celery import app as celery_app
from core import outbox
from core.models import OutboxMessage
from demo.factories import ProgrammeFactory
from meetings.models import Invitation
from tests.meetings.test_services_booking import book


@pytest.fixture
def broker_down(private_redis):
    """Celery pointed at a real Redis that is then killed (not eager): any publish would fail."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "broker_connection_timeout")}
    conf.update(broker_url=private_redis.url, task_always_eager=False, broker_connection_timeout=1)
    _fresh_connections()
    private_redis.stop()
    yield private_redis
    conf.update(saved)
    _fresh_connections()


def _fresh_connections() -> None:
    """Forget the app's pooled broker connections, so publishes go to the broker configured now (a pool
    made by an earlier test would still point at the in-memory transport, and publish there)."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_saving_an_event_with_the_broker_down(client, case_manager, child, broker_down):
    """A redirect in under 2 s, one event, and the child's facts and obligations already include it."""
    ProgrammeFactory(child=child, kind="yro", start_date=datetime.date(2024, 1, 8), length_months=12)
    client.force_login(case_manager)
    started = time.monotonic()
    response = client.post(
        reverse("event_add", args=[child.pk]),
        {
            "event_type": "contact",
            "occurred_on_0": "4",
            "occurred_on_1": "3",
            "occurred_on_2": "2024",
            "summary": "Home visit, spoke with carer",
            "details": "",
        },
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 2, (response.status_code, elapsed)
    assert Event.objects.filter(child=child).count() == 1
    facts = FactSnapshot.objects.get(child=child).facts
    assert {"type": "contact", "kind": "face_to_face", "date": "2024-03-04"} in facts
    assert child.obligations.exists()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_added_during_the_outage_is_queued_then_delivered(
    client, team_manager, child, broker_down, mailoutbox
):
    """The invitation is saved at once and shown as queued (never "sent"); while the broker is down the
    relay cannot publish it and it stays queued; once Redis is back the relay publishes it, a real worker
    sends it, once, and the page says sent (ADR 0010)."""
    meeting = book(child, team_manager)
    mailoutbox.clear()
    client.force_login(team_manager)
    url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
    started = time.monotonic()
    response = client.post(
        url,
        {"step": "add", "add-name": "Pat Example", "add-agency": "Police", "add-email": "pat@police.invalid"},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 2, (response.status_code, elapsed)
    invitation = Invitation.objects.get(meeting=meeting, email="pat@police.invalid")
    assert invitation.message.status == OutboxMessage.Status.QUEUED
    page = client.get(url).content.decode()
    assert (
        "Queued" in page and not mailoutbox
    )  # nor are the meeting's first invitations, booked in the outage

    due = invitation.message.next_attempt_at
    with pytest.raises(OperationalError):  # the relay's publish fails too: the message stays queued
        outbox.relay(now=due)
    invitation.message.refresh_from_db()
    assert invitation.message.status == OutboxMessage.Status.QUEUED and not mailoutbox

    broker_down.start()  # the outage ends; the relay's next run (the failed one set it back) publishes
    due += outbox.PUBLISH_GRACE
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
        assert outbox.relay(now=due)["published"] >= 1
        for _ in range(200):
            invitation.message.refresh_from_db()
            if invitation.message.status == OutboxMessage.Status.SENT:
                break
            time.sleep(0.05)
    assert invitation.message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mailoutbox].count(["pat@police.invalid"]) == 1
    assert "Sent" in client.get(url).content.decode()
    sent = len(mailoutbox)
    outbox.relay(now=due + outbox.RETRY_MAX)  # nothing is due any more: nothing goes twice
    assert len(mailoutbox) == sent
