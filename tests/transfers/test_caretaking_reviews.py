"""caretaking.review recurs every three months until caretaking ends (timescales revision 2; 003 §12.1,
App. B): each review's obligation links to the review page of the agreement in force, so the second and
later reviews are as easy to reach from My work, What is due and the alerts as the first."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import Obligation
from cases.services.core import child_obligations_refresh
from cases.worklinks import action_url
from demo.factories import ChildFactory
from transfers.models import CaretakingAgreement
from transfers.services import external as services

pytestmark = pytest.mark.django_db
D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def agreement(north, team_manager, case_manager):
    """Caretaking from Monday 30 November 2026 (a month end three months on: February)."""
    child = ChildFactory(team=north, case_manager=case_manager)
    return CaretakingAgreement.objects.create(
        child=child,
        case_manager=case_manager,
        home_yjs="Derbyshire YJS",
        home_officer="Sam Home",
        starts_on=D(2026, 11, 30),
        review_on=D(2027, 2, 26),
        created_by=team_manager,
    )


def reviews(child) -> list[Obligation]:
    """The child's caretaking.review occurrences, in the rules module's order."""
    return list(child.obligations.filter(code="caretaking.review").order_by("position"))


def test_each_review_falls_due_three_months_after_the_last(agreement, team_manager):
    """Hand-worked: 30 Nov 2026 + 3 months = 28 Feb 2027 (clamped), a Sunday, so Friday 26 Feb; reviewed
    Monday 22 Feb, the next is 22 May 2027, a Saturday, so Friday 21 May; reviewed Thursday 20 May, the
    next is Friday 20 August 2027 (the August bank holiday is the 30th)."""
    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=LONDON), tick=False):
        for day in (D(2027, 2, 22), D(2027, 5, 20)):
            services.caretaking_review(
                agreement=agreement, user=team_manager, reviewed_on=day, notes="Reviewed with the home YJS"
            )
            agreement.refresh_from_db()
        child_obligations_refresh(child_id=agreement.child_id)
    rows = reviews(agreement.child)
    assert [(o.due, o.status, o.met_on) for o in rows] == [
        (D(2027, 2, 26), Obligation.Status.MET, D(2027, 2, 22)),
        (D(2027, 5, 21), Obligation.Status.MET, D(2027, 5, 20)),
        (D(2027, 8, 20), Obligation.Status.OPEN, None),
    ]


def test_every_review_links_to_the_agreement_in_force(client, agreement, team_manager, case_manager):
    """The work link takes only the child: it opens the review page for the TM/AP, the agreement for the
    case manager (who may not review it), and the Transfers tab once caretaking has ended."""
    child = agreement.child
    url = reverse("caretaking_review_current", args=[child.pk])
    assert action_url("caretaking.review", child.pk) == url
    client.force_login(team_manager)
    assert client.get(url).url == reverse("caretaking_review", args=[child.pk, agreement.pk])
    client.force_login(case_manager)
    assert client.get(url).url == reverse("caretaking_detail", args=[child.pk, agreement.pk])
    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=LONDON), tick=False):
        services.caretaking_end(
            agreement=agreement, user=team_manager, outcome="ended", ended_on=D(2027, 5, 28)
        )
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("child_transfers", args=[child.pk])
    assert "no caretaking agreement in force" in response.content.decode()


def test_the_review_link_is_not_disclosed_outside_the_childs_scope(client, agreement, outsider):
    """Someone who may not see the child gets a 404, as on every child page."""
    client.force_login(outsider)
    assert client.get(reverse("caretaking_review_current", args=[agreement.child_id])).status_code == 404
