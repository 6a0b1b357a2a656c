"""Events are never silently edited, and every change is audited."""

import datetime

import pytest

from cases import services
from cases.models import Event, EventType
from core.models import AuditEntry


@pytest.mark.django_db
class TestEvents:
    def test_create_writes_event_and_audit(self, child, case_manager):
        """Adding an event stores it and records who added it."""
        event = services.event_create(
            child=child,
            author=case_manager,
            event_type=EventType.CONTACT,
            occurred_on=datetime.date(2024, 3, 1),
            summary="Office appointment kept",
        )
        assert event.is_current and event.author == case_manager
        entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
        assert entry.user == case_manager and entry.child == child and entry.object_id == str(event.pk)

    def test_correction_keeps_old_version(self, child, case_manager, colleague):
        """A correction is a new version; the old one stays, superseded, with the reason on the new one."""
        old = services.event_create(
            child=child,
            author=case_manager,
            event_type=EventType.CONTACT,
            occurred_on=datetime.date(2024, 3, 1),
            summary="Appointment kept",
        )
        new = services.event_correct(
            event=old,
            author=colleague,
            event_type=EventType.CONTACT,
            occurred_on=datetime.date(2024, 3, 2),
            summary="Appointment kept on Saturday",
            reason="Wrong date entered",
        )
        old.refresh_from_db()
        assert not old.is_current and old.summary == "Appointment kept"
        assert new.corrects == old and new.is_current and new.correction_reason == "Wrong date entered"
        assert list(Event.objects.filter(child=child, is_current=True)) == [new]
        assert AuditEntry.objects.filter(action=AuditEntry.Action.CORRECT, user=colleague).count() == 1

    def test_cannot_correct_superseded_version(self, child, case_manager):
        """Correcting an old version is refused, so the chain never forks."""
        old = services.event_create(
            child=child,
            author=case_manager,
            event_type=EventType.NOTE,
            occurred_on=datetime.date(2024, 3, 1),
            summary="Note",
        )
        services.event_correct(
            event=old,
            author=case_manager,
            event_type=EventType.NOTE,
            occurred_on=datetime.date(2024, 3, 1),
            summary="Note, fixed",
            reason="Typo",
        )
        with pytest.raises(ValueError, match="already been corrected"):
            services.event_correct(
                event=old,
                author=case_manager,
                event_type=EventType.NOTE,
                occurred_on=datetime.date(2024, 3, 1),
                summary="Again",
                reason="Typo",
            )

    def test_history_records_child_changes(self, child):
        """Changes to a child's record keep their history (django-simple-history)."""
        child.rosh = "high"
        child.save()
        assert child.history.count() == 2
        assert child.history.first().rosh == "high"
