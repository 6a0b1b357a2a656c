"""Removing the previous demo before seed_demo builds the next: every child and what hangs off them, in
bulk, with their history rows (staff and teams are refreshed by `people.build_staff`)."""

import contextlib

from django.db.models.signals import post_delete, pre_delete
from simple_history.models import HistoricalRecords, registered_models

from cases.models import (
    Allocation,
    Assessment,
    Child,
    Contact,
    Event,
    FactSnapshot,
    Leave,
    LeaveCover,
    Obligation,
    Plan,
    Programme,
    User,
)
from core.models import AuditEntry, Document, OutboxMessage, Submission, Task
from meetings.models import Meeting

from ..models import DemoSeed
from . import alerts, courts, mappa, outcomes, transfers_external, transfers_internal
from .supervision import clear_supervision


@contextlib.contextmanager
def _history_signals_off(models):
    """Delete without django-simple-history's per-row receivers, so Django deletes in bulk (seed_demo
    removes the history rows of everything it replaces itself)."""
    disconnected = []
    for model in models:
        for signal in (pre_delete, post_delete):
            # Django's own list of a sender's receivers (sync ones first); public API has none.
            for receiver in list(signal._live_receivers(model)[0]):
                if isinstance(getattr(receiver, "__self__", None), HistoricalRecords):
                    signal.disconnect(receiver, sender=model)
                    disconnected.append((signal, receiver, model))
    try:
        yield
    finally:
        for signal, receiver, model in disconnected:
            signal.connect(receiver, sender=model, weak=False)


def clear_demo() -> None:
    """Remove the previous demo's records (every child, and what hangs off them), in bulk."""
    # Every model whose changes are kept (issue 18), except the staff, whom seeding keeps.
    history = tuple(m for m in registered_models.values() if m is not User and hasattr(m, "history"))
    with _history_signals_off(history):
        # Only the audit entries a seeding wrote itself: anything else in the log is kept (issue 16).
        for seed in DemoSeed.objects.all():
            AuditEntry.objects.filter(pk__gte=seed.first_audit_id, pk__lte=seed.last_audit_id).delete()
        DemoSeed.objects.all().delete()
        alerts.clear()
        Obligation.objects.all().delete()
        FactSnapshot.objects.all().delete()
        clear_supervision()
        for demo in (transfers_internal, transfers_external, courts, mappa, outcomes):
            demo.clear()
        for model in (Meeting, Task, Document, OutboxMessage, Submission):
            model.objects.all().delete()
        LeaveCover.objects.all().delete()
        Leave.objects.all().delete()
        for timeline_model in (Event, Contact, Allocation):
            timeline_model.objects.all().delete()
        Plan.objects.filter(is_review=True).delete()
        for case_model in (Plan, Assessment, Programme, Child):
            case_model.objects.all().delete()
        for tracked in history:
            tracked.history.all().delete()
