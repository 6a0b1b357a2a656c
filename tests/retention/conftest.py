"""A closed child with something in every corner of its record, for the retention tests (issue 19).

Names and numbers are fixed and fictional; no random data is asserted on."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from alerts.models import Notification
from cases.models import Obligation
from core.models import Document, OutboxMessage, Task
from demo.factories import ChildFactory, EventFactory, ProgrammeFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2036, 3, 3)  # the day the pages are asked on (pinned with time_machine)


def at(day: datetime.date) -> datetime.datetime:
    """Mid-morning on the day, in London."""
    return datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=LONDON)


def close(child, on: datetime.date):
    """Close the record as the case work does (one save naming `is_open`) on the given day."""
    with time_machine.travel(at(on), tick=False):
        child.is_open = False
        child.save(update_fields=["is_open"])
    return child


def fill(child, author) -> None:
    """A programme changed once (two history versions), case notes, a document, a task, an email in the
    outbox, a notification and an obligation: rows in the history tables and in the cascade."""
    programme = ProgrammeFactory(child=child, created_by=author)
    programme.end_date = datetime.date(2025, 1, 7)
    programme.save()
    EventFactory(child=child, author=author)
    EventFactory(child=child, author=author)
    Document.objects.create(
        child=child,
        title="Record of a meeting",
        filename="record.pdf",
        content=b"%PDF-",
        source=f"test:{child.pk}",
    )
    Task.objects.create(child=child, assignee=author, title="Send the plan", created_by=author)
    OutboxMessage.objects.create(
        topic="email", description="An email about the child", child=child, next_attempt_at=at(TODAY)
    )
    Notification.objects.create(
        recipient=author,
        kind=Notification.Kind.DUE_SOON,
        child=child,
        code="plan.review",
        title="Plan review due",
        message="The plan review is due",
        key=f"test:{child.pk}",
    )
    Obligation.objects.create(
        child=child,
        code="plan.review",
        title="Plan review",
        status=Obligation.Status.OPEN,
        basis="001 §6",
        position=1,
        as_of=datetime.date(2024, 1, 8),
    )


@pytest.fixture
def closed_child(north, case_manager):
    """A North child born 15 June 2005 whose record closed on 10 January 2023: due on 15 June 2030
    (the 25th birthday is later than six years after closing)."""
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Robin",
        last_name="Closedcase",
        date_of_birth=datetime.date(2005, 6, 15),
        case_number="YJ900001",
    )
    fill(child, case_manager)
    return close(child, datetime.date(2023, 1, 10))


@pytest.fixture
def other_child(north, case_manager):
    """Another closed North child, due too: must be untouched by the first one's erasure."""
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Morgan",
        last_name="Keptcase",
        date_of_birth=datetime.date(2004, 2, 1),
        case_number="YJ900002",
    )
    fill(child, case_manager)
    return close(child, datetime.date(2022, 5, 31))
