"""Every due date explains itself on the pages (issue 20): the stored obligation keeps the rules module's
line, the child's What is due and the case manager's My work show it, and the nightly re-judging fills it
in for rows stored before it existed."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Obligation, Programme, RiskLevel
from cases.services import child_obligations_refresh
from cases.services.rejudge import obligations_rejudge_all
from demo.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

WHY = "15 working days after the YRO sentence on 5 January 2026"


@pytest.fixture
def yro(child):
    """A YRO from Monday 5 January 2026: AssetPlus due 15 working days later (26 January)."""
    child.rosh = child.saw = child.lor = RiskLevel.LOW
    child.save()
    ProgrammeFactory(
        child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2026, 1, 5), length_months=12
    )
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9), tick=False):
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 1, 6))
    return child


def test_stored_and_shown_on_what_is_due_and_my_work(client, yro, case_manager):
    """The AssetPlus row says why it is due on 26 January, on both pages."""
    row = Obligation.objects.get(child=yro, code="assetplus.due")
    assert (row.due, row.explanation) == (datetime.date(2026, 1, 26), WHY)
    client.force_login(case_manager)
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9), tick=False):
        assert WHY in client.get(reverse("child_obligations", args=[yro.pk])).content.decode()
        assert WHY in client.get(reverse("my_work")).content.decode()


def test_rejudging_fills_in_a_row_stored_without_it(yro):
    """Rows stored before the line existed get it the next night, though nothing else changed."""
    Obligation.objects.filter(child=yro).update(explanation="")
    obligations_rejudge_all(as_of=datetime.date(2026, 1, 7))
    assert Obligation.objects.get(child=yro, code="assetplus.due").explanation == WHY
