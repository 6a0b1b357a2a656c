"""Issue 16: with the broker down, a save answers at once, is stored once, and What is due already
follows it (the obligations are recomputed in this process as the save commits, not by a task)."""

import datetime
import time

import pytest
from django.urls import reverse

from cases.models import Event, FactSnapshot
from config.celery import app as celery_app
from demo.factories import ProgrammeFactory


@pytest.fixture
def broker_down(private_redis):
    """Celery pointed at a real Redis that is then killed (not eager): any publish would fail."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "broker_connection_timeout")}
    conf.update(broker_url=private_redis.url, task_always_eager=False, broker_connection_timeout=1)
    private_redis.stop()
    yield private_redis
    conf.update(saved)


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
