"""Edges a review found: a closed child's unmet obligations count as overdue once re-judged, ethnicity
grouped without regard to case, and the headline figures drill down."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Obligation, Programme
from cases.services import child_obligations_refresh
from cases.services.rejudge import obligations_rejudge_all
from dashboards.compliance.figures import compliance_figures
from dashboards.compliance.profile import caseload_profile
from demo.factories import ChildFactory, ProgrammeFactory

D = datetime.date


@pytest.mark.django_db
def test_a_closed_childs_unmet_obligations_become_overdue(north, case_manager):
    """A YRO from 1 June 2026, refreshed on 3 June, then the case closed: by 15 October the gatekeeping
    (due 18 June), the assessment and plan (due 22 June) and the KPI facts for its start (also 22 June:
    15 working days, the YRO's AssetPlus timescale) were never met, so the sweep's re-judge makes them
    overdue and June's figures say so, instead of "not yet due" for ever."""
    child = ChildFactory(team=north, case_manager=case_manager)
    ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2026, 6, 1), length_months=12)
    child_obligations_refresh(child_id=child.pk, as_of=D(2026, 6, 3))
    child.is_open = False
    child.save()

    obligations_rejudge_all(as_of=D(2026, 10, 15))

    june = compliance_figures(date_from=D(2026, 6, 1), date_to=D(2026, 6, 30)).overall.figures
    assert (june.due, june.open, june.overdue) == (4, 0, 4)
    assert not Obligation.objects.filter(child=child, status=Obligation.Status.OPEN, due__lt=D(2026, 10, 15))


@pytest.mark.django_db
def test_ethnicity_grouped_regardless_of_case(north):
    """ "White British" and "white british" are one group; "Not known" and "Unknown" are not recorded."""
    for text in [
        "White British",
        "White British",
        "white british ",
        "Not known",
        "Unknown",
        "",
        "Black African",
    ]:
        ChildFactory(team=north, ethnicity=text)
    profile = caseload_profile()
    assert profile.ethnicity == [("White British", 3), ("Black African", 1)]
    assert profile.ethnicity_not_recorded == 3


@pytest.mark.django_db
def test_headline_figures_link_to_their_children(client, service_manager, north, case_manager):
    """The headline "still overdue" count is a link to the drill-down of every overdue obligation."""
    child = ChildFactory(team=north, case_manager=case_manager)
    Obligation.objects.create(
        child=child,
        code="plan.intervention",
        title="Plan",
        due=D(2026, 9, 1),
        status="overdue",
        basis="001 §6",
        position=0,
        as_of=D(2026, 9, 2),
    )
    client.force_login(service_manager)
    page = client.get(
        reverse("compliance_dashboard"), {"from": "2026-09-01", "to": "2026-09-30"}
    ).content.decode()
    headline = page[page.index('id="headline"') : page.index("</ul>", page.index('id="headline"'))]
    assert "status=overdue" in headline and "code=all" in headline and "team=all" in headline
