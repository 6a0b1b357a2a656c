"""Erasure (issue 19; UK GDPR Art. 17): the child's rows go from every model, history tables included,
in one transaction; other children are untouched; the audit log keeps its entries and gains a
tombstone whose hash matches the case number; the chain still verifies."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from cases.models import Child
from core.audit import audit_record
from core.audit_chain import audit_seal
from core.models import AuditEntry
from core.registry import registry
from retention.erasure import (
    ErasureIncomplete,
    ErasureRefused,
    case_number_hash,
    child_erase,
    tombstone_for,
)
from retention.models import RetentionReview

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db


def child_models() -> list[type]:
    """Every model with a `child_id` column (a foreign key, or a history table's copy), found by
    walking the app registry: a model added later is covered without editing this test."""
    return [
        m
        for m in apps.get_models()
        if any(f.attname == "child_id" for f in m._meta.concrete_fields) and m is not AuditEntry
    ]


def rows_of(child_id: int) -> dict[str, int]:
    """Rows naming the child in each such model, and the child's own history versions."""
    counts = {m._meta.label: m._default_manager.filter(child_id=child_id).count() for m in child_models()}
    counts["cases.HistoricalChild"] = Child.history.filter(id=child_id).count()
    return counts


def erase(child, user, **kwargs):
    with time_machine.travel(at(TODAY), tick=False):
        return child_erase(
            child_id=child.pk,
            user=user,
            reason="Retention period ended",
            confirmation=child.case_number,
            **kwargs,
        )


def test_the_models_walked_include_the_history_tables_and_every_app():
    """The walk is not vacuous: history tables and each layer's models are in it."""
    labels = {m._meta.label for m in child_models()}
    assert {
        "cases.Event",
        "cases.HistoricalProgramme",
        "core.Document",
        "core.Task",
        "alerts.Notification",
    } <= labels
    assert {"meetings.HistoricalMeeting", "transfers.TransferIn", "mappa.HistoricalMappaRecord"} <= labels
    assert {"retention.RetentionReview", "retention.RetentionExtension"} <= labels


def test_erasure_removes_the_child_from_every_model_and_leaves_others(
    closed_child, other_child, service_manager
):
    before = rows_of(closed_child.pk)
    # The fixture reaches the history tables, the cascade and the core's documents, tasks and outbox.
    for label in (
        "cases.HistoricalChild",
        "cases.HistoricalProgramme",
        "cases.Event",
        "cases.Obligation",
        "core.Document",
        "core.Task",
        "core.OutboxMessage",
        "alerts.Notification",
        "retention.RetentionReview",
    ):
        assert before[label] > 0, label
    assert before["cases.HistoricalProgramme"] >= 2  # created, then changed
    others = rows_of(other_child.pk)

    result = erase(closed_child, service_manager)

    left = {label: n for label, n in rows_of(closed_child.pk).items() if n}
    assert left == {}
    assert not Child.objects.filter(pk=closed_child.pk).exists()
    assert rows_of(other_child.pk) == others
    assert result.deleted >= sum(before.values())


def test_the_tombstone_matches_the_case_number_and_keeps_no_name(closed_child, service_manager):
    case_number, child_id = closed_child.case_number, closed_child.pk
    result = erase(closed_child, service_manager)
    stone = tombstone_for(case_number)
    assert stone is not None and stone.pk == result.tombstone.pk
    assert case_number_hash(case_number) in stone.description
    assert case_number_hash(" yj900001 ") == case_number_hash(case_number)  # as typed
    assert tombstone_for("YJ900002") is None
    assert "Opened 2036-03-03" not in stone.description  # opened is the day the record was made
    assert "closed 2023-01-10" in stone.description and "erased 2036-03-03" in stone.description
    assert "Reason: Retention period ended" in stone.description
    assert stone.user == service_manager and stone.child_id == child_id
    for word in (case_number, "Robin", "Closedcase", "2005"):
        assert word not in stone.description


def test_the_audit_log_keeps_its_entries_and_its_chain_verifies(closed_child, service_manager, case_manager):
    """Entries about the child are kept as written (append-only): the chain verifies after erasure."""
    with time_machine.travel(at(datetime.date(2036, 3, 2)), tick=False):
        for page in ("timeline", "details"):
            audit_record(
                user=case_manager,
                action=AuditEntry.Action.VIEW,
                obj=closed_child,
                child=closed_child,
                description=f"Viewed {page}",
            )
        audit_seal(now=timezone.now() + datetime.timedelta(minutes=10))
    about = AuditEntry.objects.filter(child_id=closed_child.pk).count()
    erase(closed_child, service_manager)
    assert AuditEntry.objects.filter(child_id=closed_child.pk).count() == about + 1  # the tombstone
    with time_machine.travel(at(TODAY) + datetime.timedelta(minutes=10), tick=False):
        call_command("audit_verify", "--seal")  # raises CommandError if the chain is broken


def test_a_provider_failing_midway_erases_nothing(closed_child, other_child, service_manager, monkeypatch):
    """All or nothing: the child is deleted and a provider then raises; the transaction rolls back."""
    before = rows_of(closed_child.pk)
    entries = AuditEntry.objects.count()

    def broken(*, child_id, owned):
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr(registry, "erasure", [*registry.erasure, broken])
    with pytest.raises(RuntimeError):
        erase(closed_child, service_manager)
    assert rows_of(closed_child.pk) == before
    assert AuditEntry.objects.count() == entries and tombstone_for(closed_child.case_number) is None


def test_rows_left_by_an_app_that_registered_nothing_fail_the_erasure(
    closed_child, service_manager, monkeypatch
):
    """A history table no provider clears is found by the final check, and nothing is erased."""
    monkeypatch.setattr(registry, "erasure", [p for p in registry.erasure if "cases" not in p.__qualname__])
    before = rows_of(closed_child.pk)
    with pytest.raises(ErasureIncomplete, match="cases.HistoricalProgramme"):
        erase(closed_child, service_manager)
    assert rows_of(closed_child.pk) == before


def test_an_open_record_is_refused_and_a_second_erasure_is_harmless(closed_child, child, service_manager):
    with pytest.raises(ErasureRefused, match="open"):
        erase(child, service_manager)
    assert Child.objects.filter(pk=child.pk).exists()
    erase(closed_child, service_manager)
    with pytest.raises(ErasureRefused, match="already been erased"):
        erase(closed_child, service_manager)
    assert AuditEntry.objects.filter(object_type="erasure").count() == 1


def test_a_wrong_confirmation_is_refused(closed_child, service_manager):
    with pytest.raises(ErasureRefused, match="does not match"):
        child_erase(child_id=closed_child.pk, user=service_manager, reason="x", confirmation="YJ900002")
    assert Child.objects.filter(pk=closed_child.pk).exists()


def test_records_closed_before_the_app_get_their_closing_day_from_history(closed_child, other_child):
    """The data migration: a closed record without a review row gets the day its history shows it
    closed (10 January 2023 for the fixture); one that has a row keeps it."""
    migration = import_module("retention.migrations.0002_closed_records")
    RetentionReview.objects.filter(child=closed_child).delete()
    RetentionReview.objects.filter(child=other_child).update(closed_on=datetime.date(2022, 6, 1))
    migration.closed_records(apps, None)
    assert RetentionReview.objects.get(child=closed_child).closed_on == datetime.date(2023, 1, 10)
    assert RetentionReview.objects.get(child=other_child).closed_on == datetime.date(2022, 6, 1)
