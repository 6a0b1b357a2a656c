"""Issue 16: the database fails fast and the embedded default holds a few users at once."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import Allocation


def test_the_database_fails_fast_or_waits_for_its_lock():
    """PostgreSQL: connect and statement timeouts. SQLite: WAL, IMMEDIATE transactions, a 20 s wait."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor == "postgresql":
        assert options["connect_timeout"] == 5 and "statement_timeout=30000" in options["options"]
    else:
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
        assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_a_child_has_one_open_case_manager_allocation(child, case_manager, colleague):
    """Issue 16: the database refuses a second open case-manager allocation (two people at once)."""
    Allocation.objects.create(
        child=child, worker=case_manager, started_on=datetime.date(2026, 1, 5), allocated_by=case_manager
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            child=child, worker=colleague, started_on=datetime.date(2026, 1, 6), allocated_by=colleague
        )
    Allocation.objects.create(
        child=child,
        worker=colleague,
        role=Allocation.Role.CO_WORKER,
        started_on=datetime.date(2026, 1, 6),
        allocated_by=colleague,
    )
    assert child.allocations.count() == 2
