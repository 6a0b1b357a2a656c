"""Assessment stages: services (sign-off, completion, levels, events, obligations) and their pages (001 App. 1-3)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Assessment, Event, EventType, Obligation, Programme, RiskLevel, Role
from cases.selectors import assessments as assessment_selectors
from cases.services import assessments as assessment_services
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory

A = Assessment
LOW, MEDIUM, HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH
TODAY = datetime.date(2024, 3, 5)


def draft(child, author, **fields) -> Assessment:
    """A draft stage made through the service, so its sign-off requirement is worked out."""
    data = {
        "kind": A.Kind.ASSETPLUS,
        "stage": A.Stage.REVIEW,
        "rosh": MEDIUM,
        "saw": LOW,
        "lor": LOW,
        "rosh_rationale": "Fictional rationale.",
        "summary": "Fictional summary.",
    }
    data.update(fields)
    return assessment_services.assessment_create(child=child, author=author, data=data)


def sent(child, author, **fields) -> Assessment:
    """A stage sent for sign-off."""
    return assessment_services.assessment_request_sign_off(
        assessment=draft(child, author, **fields), user=author
    )


@pytest.fixture
def scm(north):
    """North's senior case manager (a duty senior)."""
    return UserFactory(username="scm", role=Role.SENIOR_CASE_MANAGER, team=north)


@pytest.fixture
def low_child(north, case_manager):
    """A North child at Low/Low/Low, never rated higher."""
    return ChildFactory(team=north, case_manager=case_manager, rosh=LOW, saw=LOW, lor=LOW)


@pytest.mark.django_db
class TestServices:
    def test_create_works_out_sign_off_and_audits(self, child, case_manager):
        """A new draft records who must complete it under App. 1 and is audited."""
        stage = draft(child, case_manager, stage=A.Stage.PSR)
        assert stage.status == A.Status.DRAFT and stage.sign_off_by == A.SignOff.MANAGER
        assert stage.sign_off_basis.startswith("001 App. 1")
        assert AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_type="assessment", object_id=str(stage.pk)
        ).exists()

    def test_request_sign_off(self, child, case_manager, team_manager):
        """Requesting sign-off sends it (to a named eligible person if chosen) and audits."""
        stage = draft(child, case_manager)
        stage = assessment_services.assessment_request_sign_off(
            assessment=stage, user=case_manager, assigned_to=team_manager
        )
        assert stage.status == A.Status.AWAITING_SIGN_OFF and stage.assigned_to == team_manager
        assert stage.submitted_at is not None
        assert AuditEntry.objects.filter(
            object_id=str(stage.pk), description__startswith="Requested"
        ).exists()

    def test_request_refuses_ineligible_person_and_missing_levels(self, child, case_manager, colleague):
        """Only someone with the sign-off role can be named; AssetPlus needs proposed levels first."""
        with pytest.raises(ValidationError):
            assessment_services.assessment_request_sign_off(
                assessment=draft(child, case_manager), user=case_manager, assigned_to=colleague
            )
        with pytest.raises(ValidationError, match="LoR"):
            assessment_services.assessment_request_sign_off(
                assessment=draft(child, case_manager, lor=""), user=case_manager
            )

    def test_case_holder_stage_cannot_be_sent(self, low_child, case_manager):
        """001 App. 1: a Low/Low review needs no sign-off, so it is not sent."""
        stage = draft(low_child, case_manager, rosh=LOW, saw=LOW)
        assert stage.sign_off_by == A.SignOff.CASE_HOLDER
        with pytest.raises(ValidationError, match="no sign-off"):
            assessment_services.assessment_request_sign_off(assessment=stage, user=case_manager)

    def test_return_records_gatekeeping_once(self, child, case_manager, team_manager):
        """The first manager review is the gatekeeping; later returns keep the first date."""
        stage = sent(child, case_manager)
        stage = assessment_services.assessment_return(
            assessment=stage, user=team_manager, comments="Add the victim's views.", today=TODAY
        )
        assert stage.status == A.Status.RETURNED and stage.return_comments == "Add the victim's views."
        assert stage.gatekept_by == team_manager and stage.gatekept_on == TODAY
        stage = assessment_services.assessment_request_sign_off(assessment=stage, user=case_manager)
        stage = assessment_services.assessment_return(
            assessment=stage, user=team_manager, comments="Nearly.", today=TODAY + datetime.timedelta(days=3)
        )
        assert stage.gatekept_on == TODAY

    def test_complete_updates_child_event_audit(self, child, case_manager, team_manager):
        """Completing sets the dates, makes the levels the child's (with history) and writes the event."""
        child.rosh, child.saw, child.lor = LOW, LOW, LOW
        child.save()
        history_before = child.history.count()
        stage = sent(child, case_manager, rosh=HIGH, saw=MEDIUM, lor=LOW)
        stage = assessment_services.assessment_complete(
            assessment=stage,
            user=team_manager,
            levels_agreed=True,
            comments="Agree; plan covers the risks.",
            cmm_date=TODAY,
            today=TODAY,
        )
        assert stage.status == A.Status.COMPLETED and stage.completed_by == team_manager
        assert (
            stage.completed_on == TODAY and stage.gatekept_on == TODAY and stage.gatekept_by == team_manager
        )
        child.refresh_from_db()
        assert (child.rosh, child.saw, child.lor) == (HIGH, MEDIUM, LOW)
        assert child.history.count() == history_before + 1
        event = Event.objects.get(child=child, source=f"assessment:{stage.pk}")
        assert event.event_type == EventType.ASSETPLUS_COMPLETION and event.author == team_manager
        assert event.summary == f"AssetPlus review completed by {team_manager}"
        assert "Agree; plan covers the risks." in event.details and "Case management meeting" in event.details
        descriptions = list(
            AuditEntry.objects.filter(user=team_manager).values_list("description", flat=True)
        )
        assert "Completed AssetPlus review" in descriptions
        assert any(d.startswith("Levels changed") for d in descriptions)

    def test_unchanged_levels_write_no_history(self, north, case_manager, team_manager):
        """Levels the child already has are not saved again (no empty history rows)."""
        child = ChildFactory(team=north, case_manager=case_manager, rosh=MEDIUM, saw=LOW, lor=LOW)
        before = child.history.count()
        stage = sent(child, case_manager)
        assessment_services.assessment_complete(
            assessment=stage, user=team_manager, levels_agreed=True, comments="Agree.", cmm_date=TODAY
        )
        assert child.history.count() == before

    def test_disagreeing_completer_sets_agreed_levels(self, child, case_manager, team_manager):
        """A completer who does not agree gives the levels they agree; those become the child's."""
        stage = sent(child, case_manager, rosh=MEDIUM, saw=LOW, lor=LOW)
        assessment_services.assessment_complete(
            assessment=stage,
            user=team_manager,
            levels_agreed=False,
            agreed_levels={"rosh": HIGH, "saw": MEDIUM, "lor": LOW},
            comments="Higher than proposed after the CMM.",
            cmm_date=TODAY,
        )
        child.refresh_from_db()
        assert (child.rosh, child.saw) == (HIGH, MEDIUM)

    def test_oocd_completion_event_type(self, child, case_manager, team_manager):
        """001 §6.3: an OOCD assessment's completion is an Assessment event, not AssetPlus."""
        stage = sent(child, case_manager, kind=A.Kind.OOCD, stage=A.Stage.INITIAL)
        assessment_services.assessment_complete(
            assessment=stage, user=team_manager, levels_agreed=True, comments="Agreed at panel."
        )
        event = Event.objects.get(source=f"assessment:{stage.pk}")
        assert event.event_type == EventType.ASSESSMENT and event.summary.startswith(
            "OOCD assessment completed"
        )

    def test_case_holder_completes_low_low_review(self, low_child, case_manager):
        """001 App. 1: the case holder completes a Low/Low review; no gatekeeping is recorded."""
        stage = draft(low_child, case_manager, rosh=LOW, saw=LOW)
        stage = assessment_services.assessment_complete(assessment=stage, user=case_manager, today=TODAY)
        assert stage.status == A.Status.COMPLETED and stage.completed_by == case_manager
        assert stage.gatekept_on is None

    def test_case_holder_stage_rechecked_at_completion(self, low_child, case_manager):
        """If the child's levels rose since the draft, the case holder can no longer complete it alone."""
        stage = draft(low_child, case_manager, rosh=LOW, saw=LOW)
        low_child.saw = MEDIUM
        low_child.save()
        with pytest.raises(ValidationError, match="now needs sign-off"):
            assessment_services.assessment_complete(assessment=stage, user=case_manager)

    def test_case_manager_cannot_complete_manager_stage(self, child, case_manager, colleague):
        """Someone without the sign-off role is refused by the service too."""
        stage = sent(child, case_manager)
        with pytest.raises(ValidationError):
            assessment_services.assessment_complete(assessment=stage, user=colleague, levels_agreed=True)

    def test_duty_worker_apparent_high_blocked_until_levels_agreed(
        self, low_child, case_manager, scm, team_manager
    ):
        """001 App. 1: a duty worker cannot complete an apparent High until a TM/AP agreed the levels."""
        stage = sent(low_child, case_manager, stage=A.Stage.INITIAL, rosh=HIGH, saw=LOW, lor=MEDIUM)
        assert stage.sign_off_by == A.SignOff.DUTY_SENIOR
        with pytest.raises(ValidationError, match="Agree the RoSH and SaW levels"):
            assessment_services.assessment_complete(
                assessment=stage, user=scm, levels_agreed=True, comments="Looks right."
            )
        stage = assessment_services.assessment_complete(
            assessment=stage,
            user=scm,
            levels_agreed=True,
            comments="Agreed with TM.",
            levels_agreed_with=team_manager,
        )
        assert stage.status == A.Status.COMPLETED and stage.levels_agreed_with == team_manager

    def test_medium_review_needs_cmm_date(self, child, case_manager, team_manager):
        """001 App. 1: a Medium review is completed after the CMM, so the CMM date is required."""
        stage = sent(child, case_manager)
        with pytest.raises(ValidationError, match="case management meeting"):
            assessment_services.assessment_complete(
                assessment=stage, user=team_manager, levels_agreed=True, comments="Agree."
            )

    def test_closure_needs_progress(self, low_child, case_manager, team_manager):
        """001 App. 1: completing a closure asks for observations of the child's progress."""
        stage = sent(low_child, case_manager, stage=A.Stage.CLOSURE, rosh=LOW, saw=LOW)
        with pytest.raises(ValidationError, match="progress"):
            assessment_services.assessment_complete(
                assessment=stage, user=team_manager, levels_agreed=True, comments="Agree."
            )

    def test_cannot_complete_twice(self, child, case_manager, team_manager):
        """A completed stage is no longer waiting, so a second completion is refused."""
        stage = sent(child, case_manager)
        kwargs = {"user": team_manager, "levels_agreed": True, "comments": "Agree.", "cmm_date": TODAY}
        assessment_services.assessment_complete(assessment=stage, **kwargs)
        with pytest.raises(ValidationError):
            assessment_services.assessment_complete(assessment=stage, **kwargs)

    def test_completion_meets_obligations(
        self, child, case_manager, team_manager, django_capture_on_commit_callbacks
    ):
        """001 §6 YRO: a completed AssetPlus stage meets assetplus.due and its gatekeeping assetplus.gatekeep."""
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 2, 26))
        with time_machine.travel(datetime.datetime(2024, 3, 5, 12, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                stage = sent(child, case_manager, stage=A.Stage.INITIAL, rosh=MEDIUM, saw=LOW)
                assessment_services.assessment_complete(
                    assessment=stage, user=team_manager, levels_agreed=True, comments="Agree."
                )
        stored = {o.code: o for o in Obligation.objects.filter(child=child)}
        assert stored["assetplus.due"].status == Obligation.Status.MET
        assert stored["assetplus.due"].met_on == datetime.date(2024, 3, 5)
        assert stored["assetplus.gatekeep"].status == Obligation.Status.MET


@pytest.mark.django_db
class TestSelectors:
    def test_my_requests_only_for_children_still_in_scope(self, child, case_manager, south):
        """An author who moves team no longer sees the child's stage in "My requests" (one access predicate)."""
        stage = sent(child, case_manager)
        assert list(assessment_selectors.sign_off_requests(user=case_manager)) == [stage]
        child.case_manager = None
        child.save()
        case_manager.team = south
        case_manager.save()
        assert list(assessment_selectors.sign_off_requests(user=case_manager)) == []

    def test_waiting_includes_absent_colleagues_and_counts_are_cheap(
        self, child, case_manager, team_manager, django_assert_max_num_queries
    ):
        """The queue shows unassigned and absent-colleague stages, not a present colleague's; counts ≤ 2 queries."""
        ap = UserFactory(role=Role.ADVANCED_PRACTITIONER, team=child.team)
        other_tm = UserFactory(role=Role.TEAM_MANAGER, team=child.team)
        unassigned = sent(child, case_manager)
        covered = sent(child, case_manager)
        covered.assigned_to = other_tm
        covered.save()
        mine_not = sent(child, case_manager)
        mine_not.assigned_to = team_manager
        mine_not.save()
        other_tm.is_absent = True
        other_tm.save()
        waiting = set(assessment_selectors.sign_off_waiting(user=ap))
        assert waiting == {unassigned, covered}
        with django_assert_max_num_queries(2):
            counts = assessment_selectors.sign_off_counts(user=ap)
        assert counts == {"waiting": 2, "requests": 0}
        assert assessment_selectors.sign_off_counts(user=case_manager) == {"waiting": 0, "requests": 3}


def stage_urls(child, stage):
    """Every assessment page for one child and stage."""
    return [
        reverse("child_assessments", args=[child.pk]),
        reverse("assessment_add", args=[child.pk]),
        reverse("assessment_detail", args=[child.pk, stage.pk]),
        reverse("assessment_edit", args=[child.pk, stage.pk]),
        reverse("assessment_request_sign_off", args=[child.pk, stage.pk]),
        reverse("assessment_return", args=[child.pk, stage.pk]),
        reverse("assessment_complete", args=[child.pk, stage.pk]),
    ]


def form_data(**overrides) -> dict:
    """A valid new-stage form."""
    data = {
        "kind": "assetplus",
        "stage": "review",
        "programme": "",
        "rosh": "medium",
        "rosh_rationale": "Fictional rationale.",
        "saw": "low",
        "saw_rationale": "",
        "lor": "low",
        "lor_rationale": "",
        "rosh_seriousness": "high",
        "rosh_protective": "high",
        "rosh_imminence": "medium",
        "saw_seriousness": "",
        "saw_protective": "",
        "saw_imminence": "",
        "summary": "Fictional summary.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestViews:
    def test_outsider_gets_404_everywhere(self, client, child, case_manager, outsider):
        """Someone outside the child's team gets 404 on every assessment page, GET and POST."""
        stage = sent(child, case_manager)
        client.force_login(outsider)
        for url in stage_urls(child, stage):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        assert not AuditEntry.objects.filter(user=outsider).exists()

    def test_stage_of_another_child_is_404(self, client, child, case_manager):
        """A stage id that belongs to another child is not found through this child."""
        other = ChildFactory(team=child.team, case_manager=case_manager)
        stage = draft(other, case_manager)
        client.force_login(case_manager)
        assert client.get(reverse("assessment_detail", args=[child.pk, stage.pk])).status_code == 404

    def test_case_manager_cannot_act_on_manager_stage(self, client, child, case_manager, colleague):
        """A case manager cannot complete or return a TM/AP stage, nor edit a colleague's draft: 404."""
        stage = sent(child, case_manager)
        for user in (case_manager, colleague):
            client.force_login(user)
            for name in ("assessment_complete", "assessment_return"):
                url = reverse(name, args=[child.pk, stage.pk])
                assert client.get(url).status_code == 404
                assert client.post(url, {"comments": "x", "levels_agreed": "yes"}).status_code == 404
        other_draft = draft(child, case_manager)
        client.force_login(colleague)
        for name in ("assessment_edit", "assessment_request_sign_off"):
            assert client.get(reverse(name, args=[child.pk, other_draft.pk])).status_code == 404
        stage.refresh_from_db()
        assert stage.status == A.Status.AWAITING_SIGN_OFF

    def test_list_page_and_query_count(self, client, child, case_manager, django_assert_max_num_queries):
        """The Assessments tab lists stages with their status; its queries do not grow with rows."""
        draft(child, case_manager)
        client.force_login(case_manager)
        url = reverse("child_assessments", args=[child.pk])
        with CaptureQueriesContext(connection) as few:
            response = client.get(url)
        assert response.status_code == 200 and "Draft" in response.content.decode()
        for _ in range(8):
            sent(child, case_manager)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Waiting for sign-off") == 8
        assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, child=child).exists()

    def test_add_stage(self, client, child, case_manager):
        """A valid form saves a draft with its sign-off requirement and goes to the stage page."""
        client.force_login(case_manager)
        response = client.post(reverse("assessment_add", args=[child.pk]), form_data())
        stage = Assessment.objects.get(child=child)
        assert response.status_code == 302
        assert response["Location"] == reverse("assessment_detail", args=[child.pk, stage.pk])
        assert stage.author == case_manager and stage.rosh_seriousness == "high"
        assert stage.sign_off_by == A.SignOff.MANAGER

    def test_add_bad_input_rerenders(self, client, child, case_manager):
        """Missing or invalid choices re-render with an error summary and the typed text kept."""
        other_child_programme = ProgrammeFactory(child=ChildFactory(team=child.team))
        client.force_login(case_manager)
        response = client.post(
            reverse("assessment_add", args=[child.pk]),
            form_data(stage="", kind="nonsense", rosh="extreme", programme=str(other_child_programme.pk)),
        )
        content = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in content
        assert "Choose the stage" in content and "Fictional summary." in content
        assert 'href="#id_kind_1"' in content
        assert not Assessment.objects.exists()
        response = client.post(
            reverse("assessment_add", args=[child.pk]), form_data(programme="not-a-number")
        )
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()

    def test_edit_shows_framework_suggestion(self, client, child, case_manager):
        """After saving, the form shows what the framework answers point to beside the worker's level."""
        stage = draft(
            child, case_manager, rosh_seriousness="high", rosh_protective="high", rosh_imminence="medium"
        )
        client.force_login(case_manager)
        content = client.get(reverse("assessment_edit", args=[child.pk, stage.pk])).content.decode()
        assert "The RoSH framework answers point to High" in content
        assert "Your RoSH level is Medium" in content
        detail = client.get(reverse("assessment_detail", args=[child.pk, stage.pk])).content.decode()
        assert "point to High" in detail and "001 App. 1" in detail

    def test_edit_saves_and_bad_input_rerenders(self, client, child, case_manager):
        """The author edits a draft; bad input re-renders with errors."""
        stage = draft(child, case_manager)
        client.force_login(case_manager)
        url = reverse("assessment_edit", args=[child.pk, stage.pk])
        assert client.post(url, form_data(summary="Changed summary.")).status_code == 302
        stage.refresh_from_db()
        assert stage.summary == "Changed summary."
        response = client.post(url, form_data(stage="bogus"))
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()

    def test_detail_shows_actions_for_each_person(self, client, child, case_manager, team_manager):
        """The author sees Request sign-off on a draft; the TM sees Complete and Return once it is sent."""
        stage = draft(child, case_manager)
        client.force_login(case_manager)
        content = client.get(reverse("assessment_detail", args=[child.pk, stage.pk])).content.decode()
        assert "Request sign-off" in content and "Return for changes" not in content
        assessment_services.assessment_request_sign_off(assessment=stage, user=case_manager)
        client.force_login(team_manager)
        content = client.get(reverse("assessment_detail", args=[child.pk, stage.pk])).content.decode()
        assert "Complete stage" in content and "Return for changes" in content

    def test_request_return_complete_flow(self, client, child, case_manager, team_manager):
        """Request, return, re-request and complete through the pages, with errors re-rendered on the way."""
        stage = draft(child, case_manager)
        client.force_login(case_manager)
        url = reverse("assessment_request_sign_off", args=[child.pk, stage.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"assigned_to": "999999"}).status_code == 200
        assert client.post(url, {"assigned_to": "abc"}).status_code == 200
        assert client.post(url, {"assigned_to": str(team_manager.pk)}).status_code == 302
        client.force_login(team_manager)
        url = reverse("assessment_return", args=[child.pk, stage.pk])
        response = client.post(url, {"comments": ""})
        assert response.status_code == 200 and "Enter what needs to change" in response.content.decode()
        assert client.post(url, {"comments": "Add the carer's views."}).status_code == 302
        client.force_login(case_manager)
        assert "carer" in client.get(reverse("assessment_edit", args=[child.pk, stage.pk])).content.decode()
        client.post(reverse("assessment_request_sign_off", args=[child.pk, stage.pk]), {"assigned_to": ""})
        stage.refresh_from_db()
        assert stage.assigned_to is None and stage.status == A.Status.AWAITING_SIGN_OFF
        client.force_login(team_manager)
        url = reverse("assessment_complete", args=[child.pk, stage.pk])
        garbled = {
            "levels_agreed": "maybe",
            "comments": "x",
            "cmm_date_0": "xx",
            "cmm_date_1": "",
            "cmm_date_2": "9",
        }
        assert client.post(url, garbled).status_code == 200
        response = client.post(url, {"cmm_date_0": "31", "cmm_date_1": "2", "cmm_date_2": "2024"})
        content = response.content.decode()
        assert response.status_code == 200 and "Select yes if you agree" in content
        assert "Enter your comments" in content
        response = client.post(
            url,
            {
                "levels_agreed": "yes",
                "comments": "Agree.",
                "cmm_date_0": "1",
                "cmm_date_1": "3",
                "cmm_date_2": "2024",
            },
        )
        assert response.status_code == 302
        stage.refresh_from_db()
        assert stage.status == A.Status.COMPLETED and stage.cmm_date == datetime.date(2024, 3, 1)
        assert stage.gatekept_by == team_manager

    def test_manager_cannot_complete_own_stage_page(self, client, child, team_manager):
        """A TM who wrote a stage cannot sign it off through the pages either: 404."""
        stage = sent(child, team_manager)
        client.force_login(team_manager)
        assert client.get(reverse("assessment_complete", args=[child.pk, stage.pk])).status_code == 404

    def test_duty_worker_page_asks_who_agreed_levels(
        self, client, low_child, case_manager, scm, team_manager
    ):
        """The duty worker's completion page asks for the TM/AP the apparent High was agreed with."""
        stage = sent(low_child, case_manager, stage=A.Stage.INITIAL, rosh=HIGH, saw=LOW)
        client.force_login(scm)
        url = reverse("assessment_complete", args=[low_child.pk, stage.pk])
        response = client.post(url, {"levels_agreed": "yes", "comments": "Fine."})
        assert "Choose the team manager or advanced practitioner" in response.content.decode()
        response = client.post(
            url, {"levels_agreed": "yes", "comments": "Fine.", "levels_agreed_with": str(team_manager.pk)}
        )
        assert response.status_code == 302
        stage.refresh_from_db()
        assert stage.levels_agreed_with == team_manager

    def test_case_holder_completes_own_stage_page(self, client, low_child, case_manager):
        """The case holder completes a Low/Low review from its page; comments are optional."""
        stage = draft(low_child, case_manager, rosh=LOW, saw=LOW)
        client.force_login(case_manager)
        assert (
            client.get(reverse("assessment_request_sign_off", args=[low_child.pk, stage.pk])).status_code
            == 404
        )
        response = client.post(
            reverse("assessment_complete", args=[low_child.pk, stage.pk]), {"comments": ""}
        )
        assert response.status_code == 302
        stage.refresh_from_db()
        assert stage.status == A.Status.COMPLETED

    def test_sign_off_queue_counts_and_queries(self, client, child, case_manager, team_manager):
        """The queue's tabs show counts; its query count does not grow with rows; CMs see their requests."""
        sent(child, case_manager)
        client.force_login(team_manager)
        url = reverse("sign_off_queue")
        with CaptureQueriesContext(connection) as few:
            response = client.get(url)
        assert response.status_code == 200
        for _ in range(12):
            other = ChildFactory(team=child.team, case_manager=case_manager)
            sent(other, case_manager, kind=A.Kind.MY_FUTURE, stage=A.Stage.INITIAL)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        content = response.content.decode()
        assert len(many.captured_queries) <= len(few.captured_queries)
        assert 'id="count-waiting">13<' in content and content.count("Waiting for sign-off</strong>") == 13
        client.force_login(case_manager)
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200 and 'id="count-requests">13<' in content
        assert "My requests" in content and content.count("Waiting for sign-off</strong>") == 13
        assert client.get(url + "?tab=nonsense&page=zz").status_code == 200
