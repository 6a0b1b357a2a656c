"""Shared test helpers for alerts: stored obligation rows and London times."""

import datetime
import zoneinfo

from django.core import mail
from django.utils import timezone

from cases.models import Obligation
from core import outbox

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date


def london(*args) -> datetime.datetime:
    """A moment in Europe/London wall-clock time."""
    return datetime.datetime(*args, tzinfo=LONDON)


def obligation(
    *,
    child=None,
    worker=None,
    code="plan.intervention",
    due,
    status=Obligation.Status.OPEN,
    due_at=None,
    title=None,
    position=0,
) -> Obligation:
    """A stored obligation row as the rules module would have left it (tests set the status)."""
    return Obligation.objects.create(
        child=child,
        worker=worker,
        code=code,
        title=title or f"Obligation {code}",
        due=due,
        due_at=due_at,
        status=status,
        basis="001 §6 timescales table",
        position=position,
        as_of=due,
    )


def sent_mail() -> list:
    """The emails the mail server has taken, once the outbox has delivered what was written to it.

    The tests run inside a transaction that never commits, so nothing is published on commit: the relay
    (as beat runs it, once the messages are due) delivers them, as it would after a lost publish.
    """
    outbox.relay(now=timezone.now() + outbox.PUBLISH_GRACE)
    return mail.outbox
