"""The KPI figures are tested from snapshots the tests write by hand (tests/kpis/factories.py), so the
product's own snapshot taking (outcomes/signals.py, tested in tests/outcomes/) is off here: otherwise a
programme saved by a factory would take its snapshots first, and a later one retake them over the
hand-worked values."""

import pytest
from django.db.models.signals import post_save

from cases.models import Programme
from outcomes.signals import programme_saved


@pytest.fixture(autouse=True)
def _hand_written_snapshots_only():
    """Disconnect the programme receiver for the test, and connect it again after."""
    post_save.disconnect(programme_saved, sender=Programme, dispatch_uid="outcomes.programme_saved")
    yield
    post_save.connect(programme_saved, sender=Programme, dispatch_uid="outcomes.programme_saved")
