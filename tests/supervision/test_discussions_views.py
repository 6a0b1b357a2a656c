"""The child's Oversight tab and the case discussion and oversight decision pages (001 App. 5, 003 §5.3,
004 §7, 002): access (an outsider gets 404 everywhere), who may write, errors that keep the user's input,
and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Event, EventType, Obligation, Role
from core.models import AuditEntry, Task
from demo.factories import UserFactory
from supervision.models import (
    CaseDiscussion,
    DiscussionAction,
    OversightDecision,
    SupervisionMethod,
    SupervisionSession,
)
from supervision.services import discussions as services
from supervision.services.discussions.recording import DISCUSSION_RENDER
from tests.renders import capture_renders


@pytest.fixture(autouse=True)
def no_render(monkeypatch):
    """The PDF has its own tests: here the render task is only recorded."""
    return capture_renders(monkeypatch, DISCUSSION_RENDER, "discussion_id")


def today() -> datetime.date:
    return timezone.localdate()


def held(child, manager, **kw) -> CaseDiscussion:
    """A draft case discussion held yesterday, through the service."""
    data = {
        "held_on": today() - datetime.timedelta(days=1),
        "manager": manager,
        "worker": child.case_manager,
        "overview": "Progressing well.",
    }
    data.update(kw)
    return services.case_discussion_create(child=child, user=manager, **data)


def decided(child, manager) -> OversightDecision:
    """A management decision made this morning (or yesterday, just after midnight)."""
    return services.oversight_decision_record(
        child=child,
        user=manager,
        label=OversightDecision.Label.MULTI_AGENCY,
        decided_at=timezone.now() - datetime.timedelta(minutes=5),
        decision="Escalate to CSC.",
    )


def form_post(manager, worker, **extra) -> dict:
    """A valid case discussion form submission held yesterday."""
    day = today() - datetime.timedelta(days=1)
    data = {
        "held_on_0": day.day,
        "held_on_1": day.month,
        "held_on_2": day.year,
        "held_time": "",
        "kind": CaseDiscussion.Kind.SUPERVISION,
        "manager": manager.pk,
        "worker": worker.pk,
        "previous_actions": "All done.",
        "overview": "Settled at school.",
        "new_concerns": "None.",
        "multi_agency": "Good contact with CSC.",
        "exit_strategy": "Mentor to continue.",
    }
    data.update(extra)
    return data


def all_urls(child, discussion, decision) -> list[str]:
    """Every page this module serves for one child."""
    c, d = child.pk, discussion.pk
    return [
        reverse("child_oversight", args=[c]),
        reverse("discussion_create", args=[c]),
        reverse("discussion_detail", args=[c, d]),
        reverse("discussion_detail", args=[c, d]) + "?download=pdf",
        reverse("discussion_edit", args=[c, d]),
        reverse("discussion_actions", args=[c, d]),
        reverse("discussion_record", args=[c, d]),
        reverse("discussion_delete", args=[c, d]),
        reverse("decision_create", args=[c]),
        reverse("decision_detail", args=[c, decision.pk]),
    ]


class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, child, team_manager, outsider):
        """A worker of another team cannot reach any page, GET or POST."""
        discussion, decision = held(child, team_manager), decided(child, team_manager)
        client.force_login(outsider)
        for url in all_urls(child, discussion, decision):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url

    def test_other_childs_records_are_404(self, client, child, team_manager, north):
        """A discussion or decision is found only under its own child."""
        from demo.factories import ChildFactory

        other = ChildFactory(team=north)
        discussion, decision = held(child, team_manager), decided(child, team_manager)
        client.force_login(team_manager)
        assert client.get(reverse("discussion_detail", args=[other.pk, discussion.pk])).status_code == 404
        assert client.get(reverse("decision_detail", args=[other.pk, decision.pk])).status_code == 404
        assert client.get(reverse("discussion_detail", args=[child.pk, "999999"])).status_code == 404

    def test_case_manager_cannot_record_a_managers_discussion_or_decision(
        self, client, child, team_manager, case_manager
    ):
        """Without co-workers the case manager has no form to record; GET and POST are 404."""
        client.force_login(case_manager)
        url = reverse("discussion_create", args=[child.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_post(team_manager, case_manager)).status_code == 404
        url = reverse("decision_create", args=[child.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"label": "audit", "decision": "x"}).status_code == 404
        assert not CaseDiscussion.objects.exists() and not OversightDecision.objects.exists()
        html = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
        assert "Record a case discussion" not in html and "Record a management oversight decision" not in html

    def test_colleague_reads_but_cannot_write(self, client, child, team_manager, colleague):
        """Anyone who may see the child reads the record; the writing pages are 404 for them."""
        discussion = held(child, team_manager)
        client.force_login(colleague)
        assert client.get(reverse("discussion_detail", args=[child.pk, discussion.pk])).status_code == 200
        for name in ("discussion_edit", "discussion_actions", "discussion_record", "discussion_delete"):
            assert client.get(reverse(name, args=[child.pk, discussion.pk])).status_code == 404, name
            assert client.post(reverse(name, args=[child.pk, discussion.pk]), {}).status_code == 404, name


class TestOversightTab:
    def test_lists_discussions_decisions_and_obligations(self, client, child, team_manager):
        """Discussions (with the significant tag), decisions by heading, the oversight obligations, the
        manager's buttons; the view is audited."""
        discussion = held(child, team_manager, significant=True)
        decision = decided(child, team_manager)
        Obligation.objects.create(
            child=child,
            code="case_discussion.due",
            title="Case discussed in supervision",
            due=today(),
            status=Obligation.Status.OPEN,
            basis="000 §4.3",
            position=0,
            as_of=today(),
        )
        client.force_login(team_manager)
        response = client.get(reverse("child_oversight", args=[child.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert reverse("discussion_detail", args=[child.pk, discussion.pk]) in html
        assert "Significant" in html and "Draft: not on the file" in html
        assert reverse("decision_detail", args=[child.pk, decision.pk]) in html
        assert decision.heading in html
        assert "Case discussed in supervision" in html and "000 §4.3" in html
        assert "Record a case discussion" in html and "Record a management oversight decision" in html
        assert "Record a co-allocated workers" not in html
        assert AuditEntry.objects.filter(child=child, description="Viewed oversight").exists()

    def test_co_allocated_button_for_case_manager_with_co_workers(self, client, child, case_manager, north):
        """003 §5.3: the case manager of a co-allocated child records the co-workers' discussion."""
        child.co_workers.add(UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north))
        client.force_login(case_manager)
        html = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
        assert "Record a co-allocated workers' discussion" in html
        assert "Record a case discussion<" not in html

    def test_query_count_does_not_grow(self, client, child, team_manager):
        """2 or 6 discussions and decisions: the same number of queries."""
        client.force_login(team_manager)
        url = reverse("child_oversight", args=[child.pk])

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(2):
            held(child, team_manager)
            decided(child, team_manager)
        few = count()
        for _ in range(4):
            held(child, team_manager, significant=True)
            decided(child, team_manager)
        assert count() == few

    def test_paginates_discussions(self, client, child, team_manager):
        """Twenty a page."""
        for _ in range(21):
            held(child, team_manager)
        client.force_login(team_manager)
        html = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
        assert "govuk-pagination" in html and "1 of 2" in html
        assert client.get(reverse("child_oversight", args=[child.pk]) + "?page=2").status_code == 200


class TestCreate:
    def test_manager_records_a_discussion(self, client, child, team_manager, case_manager):
        """The App. 5 form saves a draft and returns to it; the previous actions hint is shown."""
        client.force_login(team_manager)
        url = reverse("discussion_create", args=[child.pk])
        page = client.get(url).content.decode()
        assert "Update on actions from previous case discussion / CMM" in page
        assert "There is no earlier case discussion or finalised CMM" in page
        assert "Out-of-court case discussions" in page
        response = client.post(url, form_post(team_manager, case_manager, significant="on"))
        discussion = CaseDiscussion.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("discussion_detail", args=[child.pk, discussion.pk])
        assert discussion.manager == team_manager and discussion.worker == case_manager
        assert discussion.significant and discussion.overview == "Settled at school."

    def test_previous_actions_are_shown_above_the_field(self, client, child, team_manager, colleague):
        """The previous discussion's actions are listed for the update (001 App. 5)."""
        earlier = held(child, team_manager, held_on=today() - datetime.timedelta(days=30))
        services.discussion_action_add(
            discussion=earlier,
            user=team_manager,
            action="Book {{ the }} <b>dentist</b>",
            due=today(),
            owner=colleague,
        )
        client.force_login(team_manager)
        html = client.get(reverse("discussion_create", args=[child.pk])).content.decode()
        assert "Book &#123;&#123; the &#125;&#125; &lt;b&gt;dentist&lt;/b&gt;" in html

    def test_errors_keep_the_input(self, client, child, team_manager, case_manager):
        """A future date is refused in the error summary and what was typed stays."""
        client.force_login(team_manager)
        tomorrow = today() + datetime.timedelta(days=1)
        data = form_post(
            team_manager,
            case_manager,
            held_on_0=tomorrow.day,
            held_on_1=tomorrow.month,
            held_on_2=tomorrow.year,
            overview="Typed text that must survive",
        )
        response = client.post(reverse("discussion_create", args=[child.pk]), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html and "Date of case discussion must be today or in the past" in html
        assert "Typed text that must survive" in html
        assert not CaseDiscussion.objects.exists()

    def test_same_manager_and_worker_is_an_error(self, client, child, team_manager):
        """Two different people."""
        client.force_login(team_manager)
        response = client.post(
            reverse("discussion_create", args=[child.pk]), form_post(team_manager, team_manager)
        )
        assert response.status_code == 200 and "someone other than the manager" in response.content.decode()

    def test_case_manager_with_co_worker_gets_the_co_allocated_form(self, client, child, case_manager, north):
        """The form is the co-allocated kind only; a posted kind cannot change it (003 §5.3)."""
        ap = UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)
        child.co_workers.add(ap)
        client.force_login(case_manager)
        url = reverse("discussion_create", args=[child.pk]) + "?kind=co_allocated"
        html = client.get(url).content.decode()
        assert "Record a co-allocated workers' discussion" in html and 'name="kind"' not in html
        response = client.post(url, form_post(ap, case_manager, kind="supervision"))
        assert response.status_code == 302
        assert CaseDiscussion.objects.get().kind == CaseDiscussion.Kind.CO_ALLOCATED

    def test_from_a_supervision_returns_to_it(self, client, child, team_manager, case_manager):
        """?session= prefills from the supervision, links the discussion and goes back to the record."""
        session = SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=today() - datetime.timedelta(days=1),
            method=SupervisionMethod.ONE_TO_ONE,
            created_by=team_manager,
        )
        client.force_login(team_manager)
        url = reverse("discussion_create", args=[child.pk]) + f"?session={session.pk}"
        assert client.get(url).status_code == 200
        response = client.post(url, form_post(team_manager, case_manager))
        assert response.status_code == 302
        assert response["Location"] == reverse("session_detail", args=[session.pk])
        assert CaseDiscussion.objects.get().session == session

    def test_bad_or_foreign_session_is_404(self, client, child, team_manager, case_manager, colleague):
        """A malformed session, or one the user is not writing, is a 404."""
        session = SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=today(),
            method=SupervisionMethod.ONE_TO_ONE,
            created_by=team_manager,
            status=SupervisionSession.Status.FINALISED,
        )
        client.force_login(team_manager)
        base = reverse("discussion_create", args=[child.pk])
        assert client.get(base + "?session=abc").status_code == 404
        assert client.get(base + f"?session={session.pk}").status_code == 404


class TestDraftPages:
    def test_edit_changes_the_draft(self, client, child, team_manager, case_manager):
        """The form is filled in from the draft and saves changes."""
        discussion = held(child, team_manager)
        client.force_login(team_manager)
        url = reverse("discussion_edit", args=[child.pk, discussion.pk])
        assert "Progressing well." in client.get(url).content.decode()
        response = client.post(url, form_post(team_manager, case_manager, overview="Changed overview"))
        assert response.status_code == 302
        discussion.refresh_from_db()
        assert discussion.overview == "Changed overview"

    def test_a_stale_edit_is_refused_with_both_texts(self, client, child, team_manager, case_manager):
        """Saved by someone else since the form was loaded: the overview the user wrote stays in the form,
        the one saved is shown beside it, and only the fields that differ are listed (ADR 0009)."""
        texts = {
            "previous_actions": "All done.",
            "new_concerns": "None.",
            "multi_agency": "Good contact with CSC.",
        }
        discussion = held(child, team_manager, exit_strategy="Mentor to continue.", **texts)
        client.force_login(team_manager)
        url = reverse("discussion_edit", args=[child.pk, discussion.pk])
        loaded = str(discussion.version)
        services.case_discussion_update(
            discussion=discussion, user=team_manager, overview="Saved by someone else"
        )
        response = client.post(url, form_post(team_manager, case_manager, overview="Mine", version=loaded))
        page = response.content.decode()
        assert response.status_code == 200 and "Someone else saved this record" in page
        assert "Mine</textarea>" in page and "Saved by someone else</dd>" in page
        listed = page.split("What is saved now")[1].split("</dl>")[0]
        assert "Case overview" in listed and "Exit strategy" not in listed and "Date" not in listed
        discussion.refresh_from_db()
        assert discussion.overview == "Saved by someone else"

    def test_actions_add_and_remove(self, client, child, team_manager, colleague):
        """Add an action for a colleague, one for someone outside; remove one; errors in the summary."""
        discussion = held(child, team_manager)
        client.force_login(team_manager)
        url = reverse("discussion_actions", args=[child.pk, discussion.pk])
        due = today() + datetime.timedelta(days=7)
        date = {"due_0": due.day, "due_1": due.month, "due_2": due.year}
        assert client.post(url, {"action": "Home visit", "owner": colleague.pk, **date}).status_code == 302
        assert (
            client.post(url, {"action": "Send report", "owner_name": "CSC social worker", **date}).status_code
            == 302
        )
        response = client.post(url, {"action": "Nobody named", **date})
        assert (
            response.status_code == 200
            and "Choose a colleague, or enter the name" in response.content.decode()
        )
        assert "Nobody named" in response.content.decode()
        assert discussion.actions.count() == 2
        first = discussion.actions.get(action="Home visit")
        assert client.post(url, {"remove": first.pk}).status_code == 302
        assert list(discussion.actions.values_list("action", flat=True)) == ["Send report"]
        assert client.post(url, {"remove": "nope"}).status_code == 404

    def test_record_then_detail_shows_download(self, client, child, team_manager, colleague, no_render):
        """Recording puts the event and tasks on the file; the detail page then offers the PDF and no
        more edits."""
        discussion = held(child, team_manager)
        DiscussionAction.objects.create(
            discussion=discussion, action="Home visit", owner=colleague, due=today()
        )
        client.force_login(team_manager)
        url = reverse("discussion_record", args=[child.pk, discussion.pk])
        assert "Management Oversight - Supervision" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302
        discussion.refresh_from_db()
        assert discussion.status == CaseDiscussion.Status.RECORDED
        assert (
            Event.objects.filter(event_type=EventType.MANAGEMENT_OVERSIGHT_SUPERVISION, child=child).count()
            == 1
        )
        assert Task.objects.filter(child=child, assignee=colleague).count() == 1
        html = client.get(reverse("discussion_detail", args=[child.pk, discussion.pk])).content.decode()
        assert "?download=pdf" in html and "Change the record" not in html
        assert client.get(reverse("discussion_edit", args=[child.pk, discussion.pk])).status_code == 404
        assert client.get(reverse("discussion_delete", args=[child.pk, discussion.pk])).status_code == 404
        # Recording again goes back to the record.
        assert client.post(url).status_code == 302
        assert Event.objects.filter(source=f"discussion:{discussion.pk}").count() == 1

    def test_draft_has_no_download(self, client, child, team_manager):
        """No PDF before the record is on the file."""
        discussion = held(child, team_manager)
        client.force_login(team_manager)
        url = reverse("discussion_detail", args=[child.pk, discussion.pk])
        assert client.get(url + "?download=pdf").status_code == 404

    def test_delete_draft(self, client, child, team_manager):
        """Confirm, then the draft is gone and the user is back on the Oversight tab."""
        discussion = held(child, team_manager)
        client.force_login(team_manager)
        url = reverse("discussion_delete", args=[child.pk, discussion.pk])
        assert "Delete the draft case discussion" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "child_oversight", args=[child.pk]
        )
        assert not CaseDiscussion.objects.exists()


class TestDecisions:
    def _post(self, **extra) -> dict:
        now = timezone.localtime() - datetime.timedelta(minutes=10)
        data = {
            "label": OversightDecision.Label.PANEL,
            "panel_name": "MARP",
            "decided_on_0": now.day,
            "decided_on_1": now.month,
            "decided_on_2": now.year,
            "decided_time": now.strftime("%H:%M"),
            "decision": "Refer to MAPPA.",
            "rationale": "Escalating risk.",
            "actions": "CM to refer by Friday.",
        }
        data.update(extra)
        return data

    @override_settings(POLICY_PROFILE="islington")
    def test_form_shows_the_islington_timescale(self, client, child, team_manager):
        """002: 24 hours for a significant decision, otherwise 5 working days."""
        client.force_login(team_manager)
        html = client.get(reverse("decision_create", args=[child.pk])).content.decode()
        assert "within 24 hours for a significant case decision" in html and "5 working days" in html
        assert "who holds oversight" not in html

    @override_settings(POLICY_PROFILE="enfield")
    def test_form_shows_the_enfield_timescale(self, client, child, team_manager):
        """004 §7.1: within 48 hours."""
        client.force_login(team_manager)
        assert "within 48 hours" in client.get(reverse("decision_create", args=[child.pk])).content.decode()

    def test_records_and_shows_the_decision(self, client, child, team_manager):
        """The decision is recorded and its page shows the heading "Management Oversight by MARP"."""
        client.force_login(team_manager)
        response = client.post(reverse("decision_create", args=[child.pk]), self._post())
        decision = OversightDecision.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("decision_detail", args=[child.pk, decision.pk])
        html = client.get(response["Location"]).content.decode()
        assert "Management Oversight by MARP" in html and "Escalating risk." in html
        assert AuditEntry.objects.filter(
            child=child, description=f"Viewed oversight decision {decision.pk}"
        ).exists()

    def test_panel_without_name_keeps_input(self, client, child, team_manager):
        """A panel needs its name; the decision typed stays on the page."""
        client.force_login(team_manager)
        response = client.post(
            reverse("decision_create", args=[child.pk]),
            self._post(panel_name="", decision="Keep this decision"),
        )
        html = response.content.decode()
        assert response.status_code == 200 and "Enter the name of the panel" in html
        assert "Keep this decision" in html
        assert not OversightDecision.objects.exists()

    def test_holder_label_is_not_offered(self, client, child, team_manager):
        """The OOC oversight holder decision has its own page (001 §6.3)."""
        client.force_login(team_manager)
        response = client.post(
            reverse("decision_create", args=[child.pk]), self._post(label="oversight_holder")
        )
        assert (
            response.status_code == 200
            and "Choose the kind of management oversight" in response.content.decode()
        )
