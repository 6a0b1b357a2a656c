"""OOCD gatekeeping by the panel AP of any team (001 §6.3, 000 §3.1 "irrespective of which team/locality").

The author names the AP who attended the OOC panel, whatever their team. That AP signs the assessment off
and sees it (each view audited) while it waits for them, and nothing else of the other team's child.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import signoff
from cases.models import Assessment, RiskLevel, Role
from cases.selectors import assessments as assessment_selectors
from cases.services import assessments as assessment_services
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory

A = Assessment


@pytest.fixture
def panel_ap(south):
    """South's advanced practitioner, who attended the OOC panel that discussed a North child."""
    return UserFactory(
        username="panelap", role=Role.ADVANCED_PRACTITIONER, team=south, first_name="Pia", last_name="Panelap"
    )


@pytest.fixture
def south_cm(south):
    """A South case manager (no part in the North child's panel)."""
    return UserFactory(username="southcm", role=Role.CASE_MANAGER, team=south)


def oocd_draft(child, author, kind=A.Kind.OOCD) -> Assessment:
    """An OOCD assessment for the panel, drafted by the case manager."""
    return assessment_services.assessment_create(
        child=child,
        author=author,
        data={
            "kind": kind,
            "stage": A.Stage.INITIAL,
            "rosh": RiskLevel.LOW,
            "saw": RiskLevel.MEDIUM,
            "lor": RiskLevel.LOW,
            "summary": "Assessment for the OOC panel.",
        },
    )


def sent_to(child, author, signer, kind=A.Kind.OOCD) -> Assessment:
    """The draft sent for sign-off to a named person."""
    return assessment_services.assessment_request_sign_off(
        assessment=oocd_draft(child, author, kind), user=author, assigned_to=signer
    )


@pytest.mark.django_db
class TestPanelApServices:
    def test_another_teams_ap_can_be_named_and_sign_off(self, child, case_manager, panel_ap):
        """001 §6.3: the South AP at the panel completes the North child's OOCD assessment."""
        assessment = sent_to(child, case_manager, panel_ap)
        assert assessment.assigned_to == panel_ap
        assert signoff.eligible_signer(panel_ap, assessment) and signoff.may_act(panel_ap, assessment)
        assert signoff.panel_grant(panel_ap, assessment)
        done = assessment_services.assessment_complete(
            assessment=assessment, user=panel_ap, comments="Gatekept at panel.", levels_agreed=True
        )
        assert done.status == A.Status.COMPLETED and done.gatekept_by == panel_ap
        child.refresh_from_db()
        assert child.saw == RiskLevel.MEDIUM

    def test_candidates_list_every_ap_for_oocd_only(self, child, case_manager, team_manager, panel_ap):
        """Every active AP is offered for an OOCD assessment; an AssetPlus stage keeps to the team."""
        oocd = oocd_draft(child, case_manager)
        assert panel_ap in assessment_selectors.sign_off_candidates(assessment=oocd)
        assetplus = oocd_draft(child, case_manager, kind=A.Kind.ASSETPLUS)
        candidates = assessment_selectors.sign_off_candidates(assessment=assetplus)
        assert panel_ap not in candidates and team_manager in candidates

    def test_other_teams_case_manager_or_assetplus_is_refused(self, child, case_manager, panel_ap, south_cm):
        """Only an AP may be named from another team, and only for an OOCD assessment."""
        with pytest.raises(ValidationError, match="Choose someone who can sign this stage off"):
            sent_to(child, case_manager, south_cm)
        with pytest.raises(ValidationError, match="Choose someone who can sign this stage off"):
            sent_to(child, case_manager, panel_ap, kind=A.Kind.ASSETPLUS)

    def test_not_named_the_other_teams_ap_cannot_act(self, child, case_manager, panel_ap):
        """Sent to "anyone in the team": the South AP has no part in it."""
        assessment = assessment_services.assessment_request_sign_off(
            assessment=oocd_draft(child, case_manager), user=case_manager
        )
        assert not signoff.may_act(panel_ap, assessment) and not signoff.panel_grant(panel_ap, assessment)
        with pytest.raises(ValidationError):
            assessment_services.assessment_complete(assessment=assessment, user=panel_ap, levels_agreed=True)

    def test_queue_shows_the_panel_ap_the_assessment(self, child, case_manager, panel_ap):
        """The South AP's "Waiting for my sign-off" lists the North child's OOCD assessment, until done."""
        assessment = sent_to(child, case_manager, panel_ap)
        assert list(assessment_selectors.sign_off_waiting(user=panel_ap)) == [assessment]
        assessment_services.assessment_return(assessment=assessment, user=panel_ap, comments="Add the plan.")
        assert not assessment_selectors.sign_off_waiting(user=panel_ap).exists()


@pytest.mark.django_db
class TestPanelApPages:
    def test_sees_the_assessment_audited_and_nothing_else(self, client, child, case_manager, panel_ap):
        """The grant opens the stage and its sign-off pages only; the child's other pages stay 404."""
        other = ChildFactory(team=child.team, case_manager=case_manager)
        assessment = sent_to(child, case_manager, panel_ap)
        client.force_login(panel_ap)
        detail = reverse("assessment_detail", args=[child.pk, assessment.pk])
        page = client.get(detail)
        assert page.status_code == 200
        html = page.content.decode()
        assert "as the advanced practitioner at the" in html and "OOC panel" in html
        # No tabs or links into the rest of the child's record.
        assert f'href="{reverse("child_detail", args=[child.pk])}"' not in html
        assert f'href="{reverse("child_assessments", args=[child.pk])}"' not in html
        for name in ("assessment_complete", "assessment_return"):
            assert client.get(reverse(name, args=[child.pk, assessment.pk])).status_code == 200
        for url in (
            reverse("child_detail", args=[child.pk]),
            reverse("child_assessments", args=[child.pk]),
            reverse("child_detail", args=[other.pk]),
            reverse("assessment_edit", args=[child.pk, assessment.pk]),
            reverse("assessment_detail", args=[other.pk, assessment.pk]),
        ):
            assert client.get(url).status_code == 404, url
        views = AuditEntry.objects.filter(user=panel_ap, child=child, action=AuditEntry.Action.VIEW)
        assert (
            views.filter(description__contains="as the OOCD panel AP signing it off (001 §6.3)").count() == 3
        )

    def test_complete_ends_the_grant(self, client, child, case_manager, panel_ap):
        """Completing goes back to the queue; the completed stage is no longer the AP's to see."""
        assessment = sent_to(child, case_manager, panel_ap)
        client.force_login(panel_ap)
        response = client.post(
            reverse("assessment_complete", args=[child.pk, assessment.pk]),
            {"comments": "Gatekept at the panel.", "levels_agreed": "yes"},
        )
        assert response.status_code == 302 and response.url == reverse("sign_off_queue")
        assessment.refresh_from_db()
        assert assessment.status == A.Status.COMPLETED and assessment.completed_by == panel_ap
        assert client.get(reverse("assessment_detail", args=[child.pk, assessment.pk])).status_code == 404

    def test_another_ap_not_named_gets_404(self, client, child, case_manager, panel_ap, south):
        """A second South AP, not named, sees nothing."""
        assessment = sent_to(child, case_manager, panel_ap)
        other_ap = UserFactory(username="otherap", role=Role.ADVANCED_PRACTITIONER, team=south)
        client.force_login(other_ap)
        assert client.get(reverse("assessment_detail", args=[child.pk, assessment.pk])).status_code == 404

    def test_request_page_offers_other_teams_aps(self, client, child, case_manager, panel_ap):
        """The author's request page lists the South AP with role and team."""
        assessment = oocd_draft(child, case_manager)
        client.force_login(case_manager)
        html = client.get(
            reverse("assessment_request_sign_off", args=[child.pk, assessment.pk])
        ).content.decode()
        assert "Pia Panelap – Advanced practitioner (Band C), South locality team" in html
        assert "whichever team they are from (001 §6.3)" in html
