"""Transfers in (003 App. A), issue 17: "High or very high risk of harm: Yes" asks for the levels (then the
003 §4.1 Band B check applies at allocation); "Any relevant LAC paperwork" and the SEN statement accept N/A
(LAC paperwork not for a looked-after young person); contradictory MAPPA answers are refused. Through the
service and the form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Allocation, RiskLevel, Role
from cases.selectors.allocation import allocation_checks_for
from demo.factories import UserFactory
from tests.transfers.test_external_views import form_post
from transfers.models import TransferIn
from transfers.services import external as services

pytestmark = pytest.mark.django_db
D = datetime.date


def docs(**answers) -> dict:
    out = {code: {"answer": "yes", "reason": ""} for code, _label, _na in TransferIn.DOCUMENTS}
    for code, answer in answers.items():
        out[code] = {"answer": answer, "reason": ""}
    return out


def create(user, team, documents=None, **summary):
    data = {
        "first_name": "Jordan",
        "last_name": "Incomer",
        "date_of_birth": D(2010, 5, 4),
        "home_yjs": "Derbyshire YJS",
        "home_case_id": "DY1",
        "proposed_address": "1 Test Street",
        "home_case_manager": "Sam Home",
        "order_type": "YRO",
        "offence_details": "Robbery.",
    }
    data.update(summary)
    return services.transfer_in_create(
        user=user, team=team, received_on=D(2026, 3, 9), documents=documents or docs(), **data
    )


def messages(exc) -> dict:
    return {k: " ".join(v) for k, v in exc.value.message_dict.items()}


def test_high_risk_of_harm_asks_for_the_levels(team_manager, north):
    """Yes needs RoSH High or Very High with SaW and LoR rated; No with a High RoSH contradicts itself."""
    with pytest.raises(ValidationError) as exc:
        create(team_manager, north, high_risk=True, high_risk_details="Weapon use")
    assert set(messages(exc)) == {"rosh", "saw", "lor"}
    with pytest.raises(ValidationError) as exc:
        create(
            team_manager, north, high_risk=True, high_risk_details="x", rosh="medium", saw="low", lor="low"
        )
    assert "RoSH is High or Very High" in messages(exc)["rosh"]
    with pytest.raises(ValidationError) as exc:
        create(team_manager, north, high_risk=False, rosh="high", saw="low", lor="low")
    assert "answer Yes to high or very high risk of harm" in messages(exc)["rosh"]
    assert not TransferIn.objects.exists()


def test_the_levels_open_the_child_and_the_band_b_check_applies(team_manager, north, case_manager):
    """The child's record opens with the home YJS's levels, so allocating to a Band A case manager is the
    003 §4.1 exception needing a rationale; a senior case manager passes."""
    t = create(
        team_manager,
        north,
        high_risk=True,
        high_risk_details="Knife",
        rosh="very_high",
        saw="medium",
        lor="high",
    )
    child = t.child
    assert (child.rosh, child.saw, child.lor) == (RiskLevel.VERY_HIGH, RiskLevel.MEDIUM, RiskLevel.HIGH)
    checks = {
        c["code"]: c
        for c in allocation_checks_for(child=child, worker=case_manager, role=Allocation.Role.CASE_MANAGER)
    }
    assert checks["high_risk"]["ok"] is False and checks["high_risk"]["basis"] == "003 §4.1"
    senior = UserFactory(username="scm", role=Role.SENIOR_CASE_MANAGER, team=north)
    checks = {
        c["code"]: c
        for c in allocation_checks_for(child=child, worker=senior, role=Allocation.Role.CASE_MANAGER)
    }
    assert checks["high_risk"]["ok"] is True


def test_lac_and_sen_papers_accept_na_but_not_lac_for_a_looked_after_child(team_manager, north):
    """N/A is allowed for the LAC paperwork and the SEN statement; a looked-after young person's LAC
    paperwork applies (Yes or No)."""
    t = create(team_manager, north, documents=docs(lac="na", sen="na"))
    assert t.documents["lac"]["answer"] == "na" and t.documents["sen"]["answer"] == "na"
    with pytest.raises(ValidationError) as exc:
        create(team_manager, north, documents=docs(lac="na"), looked_after=True, home_case_id="DY2")
    assert "looked after, so LAC paperwork applies" in messages(exc)["doc_lac"]


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"mappa_category": None, "mappa_level": 2}, "mappa_level", "needs a MAPPA category"),
        ({"mappa_category": 2, "mappa_level": None}, "mappa_level", "Choose the MAPPA risk management level"),
        ({"mappa_category": None, "home_mappa_agreed": "yes"}, "home_mappa_agreed", "no MAPPA category"),
        (
            {"mappa_category": None, "mappa_coordinator_alerted": "no"},
            "mappa_coordinator_alerted",
            "no MAPPA category",
        ),
        (
            {
                "mappa_category": 1,
                "mappa_level": 1,
                "home_mappa_agreed": "na",
                "mappa_coordinator_alerted": "yes",
            },
            "home_mappa_agreed",
            "MAPPA category 1",
        ),
        (
            {
                "mappa_category": 3,
                "mappa_level": 2,
                "home_mappa_agreed": "yes",
                "mappa_coordinator_alerted": "na",
            },
            "mappa_coordinator_alerted",
            "MAPPA category 3",
        ),
    ],
)
def test_contradictory_mappa_answers_are_refused(team_manager, north, answers, field, words):
    """App. A's MAPPA answers must agree with one another."""
    with pytest.raises(ValidationError) as exc:
        create(team_manager, north, **answers)
    assert words in messages(exc)[field]


def test_consistent_mappa_answers_are_kept(team_manager, north):
    t = create(
        team_manager,
        north,
        mappa_category=2,
        mappa_level=1,
        home_mappa_agreed="yes",
        mappa_coordinator_alerted="yes",
    )
    assert (t.mappa_category, t.mappa_level) == (2, 1)


def test_form_asks_for_the_levels_and_refuses_contradictions_all_at_once(client, team_manager):
    """The form shows every problem at once beside its field and keeps the answers."""
    client.force_login(team_manager)
    page = client.post(
        reverse("transfer_in_new"),
        form_post(high_risk="yes", high_risk_details="Knife carrying", home_mappa_agreed="yes", doc_lac="na"),
    ).content.decode()
    assert "There is a problem" in page
    assert "rate RoSH (High or Very High)" in page and "rate SaW as well" in page
    assert "whether the home MAPPA meeting agreed the move is N/A" in page
    assert "Knife carrying" in page
    assert not TransferIn.objects.exists()
    response = client.post(
        reverse("transfer_in_new"),
        form_post(
            high_risk="yes",
            high_risk_details="Knife carrying",
            rosh="high",
            saw="medium",
            lor="high",
            doc_lac="na",
            doc_sen="na",
        ),
    )
    assert response.status_code == 302
    assert TransferIn.objects.get().child.rosh == RiskLevel.HIGH


def test_detail_page_shows_the_levels_and_the_band_b_check(client, team_manager, north):
    t = create(
        team_manager, north, high_risk=True, high_risk_details="Knife", rosh="high", saw="low", lor="medium"
    )
    client.force_login(team_manager)
    page = client.get(reverse("transfer_in_detail", args=[t.pk])).content.decode()
    assert (
        'id="transfer-in-levels"' in page
        and "RoSH High" in page
        and "Band B senior case manager (003 §4.1)" in page
    )
