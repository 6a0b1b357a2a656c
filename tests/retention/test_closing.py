"""A record's retention starts the day it closes, however the case work closes it (issue 19)."""

import datetime

import pytest
import time_machine

from retention.models import RetentionReview
from transfers.services.common import child_record_close

from .conftest import at

pytestmark = pytest.mark.django_db


def test_closing_starts_the_period_and_reopening_stops_it(child, case_manager):
    assert not RetentionReview.objects.filter(child=child).exists()  # open: no row, no query on saves
    with time_machine.travel(at(datetime.date(2030, 5, 31)), tick=False):
        child_record_close(child=child, user=case_manager, why="transferred out of the area")
    assert RetentionReview.objects.get(child=child).closed_on == datetime.date(2030, 5, 31)
    child.rosh = "high"
    child.save()  # a later save of the closed record keeps its closing day
    assert RetentionReview.objects.get(child=child).closed_on == datetime.date(2030, 5, 31)
    child.is_open = True
    child.save(update_fields=["is_open"])
    assert RetentionReview.objects.get(child=child).closed_on is None
    with time_machine.travel(at(datetime.date(2031, 1, 2)), tick=False):
        child_record_close(child=child, user=case_manager, why="transfer in rejected")
    assert RetentionReview.objects.get(child=child).closed_on == datetime.date(2031, 1, 2)
