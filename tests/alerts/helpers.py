"""Shared test helpers for alerts: stored obligation rows and London times."""

import datetime
import zoneinfo

from cases.models import Obligation

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
