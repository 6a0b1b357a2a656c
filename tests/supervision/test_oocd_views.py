"""Out-of-court and My Future oversight pages (001 §6.3, §6.4): who holds oversight, closure checks, the
reviewer's list, the panel on the Oversight tab and the closure gate on the programme-closing page."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Programme, Role
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from supervision.models import ClosureCheck, OversightHolder
from supervision.selectors import oocd as selectors
from supervision.services import oocd as services

K = Programme.Kind


@pytest.fixture
def ap(north):
    """North's advanced practitioner."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)


@pytest.fixture
def support(north):
    """North's business support worker."""
    return UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=north)


@pytest.fixture
def ooc(child):
    """An open OOC with intervention, started a month ago."""
    return ProgrammeFactory(
        child=child,
        kind=K.OOCD_INTERVENTION,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        length_months=None,
    )


@pytest.fixture
def check(child, ooc, ap, case_manager):
    """Closure checks requested by the case manager."""
    return services.closure_check_request(
        child=child, programme=ooc, user=case_manager, note="Ready to close"
    )


def _holder_data(programme, holder, reason="TM best placed: risk rose to High") -> dict:
    """POST data for the holder form: a decision an hour ago."""
    at = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    return {
        "programme": str(programme.pk),
        "holder": str(holder.pk),
        "decided_on_0": str(at.day),
        "decided_on_1": str(at.month),
        "decided_on_2": str(at.year),
        "decided_time": at.strftime("%H:%M"),
        "significant": "yes",
        "reason": reason,
    }


ALL = list(selectors.CLOSURE_CHECKS)


@pytest.mark.django_db
class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, outsider, child, ooc, ap, check):
        """Someone outside the child's team gets 404 on every page, GET and POST, and sees no request."""
        client.force_login(outsider)
        urls = [
            reverse("oversight_holder_set", args=[child.pk]),
            reverse("closure_check_request", args=[child.pk]),
            reverse("closure_check_review", args=[child.pk, check.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"decision": "approve", "checks": ALL}).status_code == 404, url
        response = client.get(reverse("closure_checks_mine"))
        assert response.status_code == 200 and child.case_number not in response.content.decode()
        check.refresh_from_db()
        assert check.status == ClosureCheck.Status.REQUESTED and not OversightHolder.objects.exists()

    def test_case_manager_cannot_decide_or_review(self, client, case_manager, child, ooc, check):
        """The case manager may ask for the checks but not decide oversight nor review them: 404."""
        client.force_login(case_manager)
        holder_url = reverse("oversight_holder_set", args=[child.pk])
        review_url = reverse("closure_check_review", args=[child.pk, check.pk])
        assert client.get(holder_url).status_code == 404
        assert client.get(review_url).status_code == 404
        assert client.post(review_url, {"decision": "approve", "checks": ALL}).status_code == 404
        check.refresh_from_db()
        assert check.status == ClosureCheck.Status.REQUESTED

    def test_no_open_ooc_is_404(self, client, team_manager, north):
        """A child with no open OOC or My Future programme has no oversight holder or closure pages."""
        other = ChildFactory(team=north)
        ProgrammeFactory(child=other, kind=K.YRO)
        client.force_login(team_manager)
        assert client.get(reverse("oversight_holder_set", args=[other.pk])).status_code == 404
        assert client.get(reverse("closure_check_request", args=[other.pk])).status_code == 404

    def test_other_childs_check_is_404(self, client, ap, child, check, north):
        """A closure check is reached only under its own child."""
        other = ChildFactory(team=north)
        client.force_login(ap)
        assert client.get(reverse("closure_check_review", args=[other.pk, check.pk])).status_code == 404
        assert client.get(reverse("closure_check_review", args=[child.pk, 999999])).status_code == 404


@pytest.mark.django_db
class TestHolderView:
    def test_tm_records_who_holds_oversight(self, client, team_manager, ap, child, ooc):
        """A TM records that they hold oversight; the GET is audited and the decision saved."""
        client.force_login(team_manager)
        url = reverse("oversight_holder_set", args=[child.pk])
        page = client.get(url).content.decode()
        assert "default (locality AP)" in page and "Who holds oversight" in page
        assert AuditEntry.objects.filter(user=team_manager, action="view", child=child).exists()
        response = client.post(url, _holder_data(ooc, team_manager))
        assert response.status_code == 302 and response["Location"] == reverse(
            "child_oversight", args=[child.pk]
        )
        assert selectors.oversight_holder_current(child).holder == team_manager

    def test_error_summary_keeps_input(self, client, ap, child, ooc, team_manager):
        """A missing reason re-renders with the error summary and what was typed."""
        client.force_login(ap)
        data = _holder_data(ooc, team_manager, reason="")
        response = client.post(reverse("oversight_holder_set", args=[child.pk]), data)
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content and "<title>Error:" in content
        assert "Enter the reason for the decision" in content
        assert f'value="{data["decided_time"]}"' in content
        assert not OversightHolder.objects.exists()

    def test_holder_outside_the_team_refused(self, client, ap, child, ooc, case_manager):
        """A case manager is not offered as holder; posting one is a form error, not a 500."""
        client.force_login(ap)
        response = client.post(
            reverse("oversight_holder_set", args=[child.pk]), _holder_data(ooc, case_manager)
        )
        assert response.status_code == 200
        assert "Choose a team manager or advanced practitioner" in response.content.decode()


@pytest.mark.django_db
class TestClosureViews:
    def test_case_manager_requests_then_duplicate_is_a_form_error(self, client, case_manager, ap, child, ooc):
        """The worker asks for the checks; asking again is shown as an error (not a 500)."""
        client.force_login(case_manager)
        url = reverse("closure_check_request", args=[child.pk])
        assert client.get(url).status_code == 200
        data = {"programme": str(ooc.pk), "note": "Intervention ended"}
        assert client.post(url, data).status_code == 302
        assert Task.objects.filter(assignee=ap, source__startswith="closure-check:").exists()
        response = client.post(url, data)
        assert response.status_code == 200
        assert "already been requested" in response.content.decode()
        assert ClosureCheck.objects.count() == 1

    def test_approve_with_missing_checks_keeps_input(self, client, ap, child, check):
        """Approving with checks unticked names them, and keeps the ticks and note typed."""
        client.force_login(ap)
        url = reverse("closure_check_review", args=[child.pk, check.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url, {"checks": ["delivered", "plan_completed"], "decision": "approve", "note": "All good so far"}
        )
        content = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in content
        assert "Not yet done:" in content and "exit and transition planning in place" in content
        assert "All good so far" in content and 'href="#id_checks_1"' in content
        check.refresh_from_db()
        assert check.status == ClosureCheck.Status.REQUESTED

    def test_return_needs_a_note(self, client, ap, child, check):
        """Returning without a note is an error on the note."""
        client.force_login(ap)
        response = client.post(
            reverse("closure_check_review", args=[child.pk, check.pk]), {"decision": "return", "note": ""}
        )
        assert response.status_code == 200
        assert "Enter a note saying what is still needed" in response.content.decode()

    def test_approve_then_read_only(self, client, team_manager, support, child, check):
        """A TM of the team approves; business support gets the task; the page is then read-only."""
        client.force_login(team_manager)
        url = reverse("closure_check_review", args=[child.pk, check.pk])
        response = client.post(url, {"checks": ALL, "decision": "approve", "note": ""})
        assert response.status_code == 302
        assert Task.objects.filter(assignee=support, title__startswith="Close ").exists()
        page = client.get(url)
        assert page.status_code == 200 and "Checked: business support may close" in page.content.decode()
        assert client.post(url, {"checks": ALL, "decision": "approve"}).status_code == 404

    def test_mine_query_count_constant(self, client, ap, north, case_manager):
        """The reviewer's list runs the same number of queries for 2 requests as for 6."""
        client.force_login(ap)

        def add(n):
            for _ in range(n):
                kid = ChildFactory(team=north, case_manager=case_manager)
                programme = ProgrammeFactory(child=kid, kind=K.OOCD_YCC, length_months=None)
                services.closure_check_request(child=kid, programme=programme, user=case_manager, note="")

        def count():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("closure_checks_mine"))
            assert response.status_code == 200
            return len(ctx.captured_queries), response.content.decode()

        add(2)
        few, page = count()
        assert page.count("review the closure checks") == 2
        add(4)
        many, page = count()
        assert page.count("review the closure checks") == 6
        assert few == many


@pytest.mark.django_db
class TestPanelAndGate:
    def test_panel_on_the_oversight_tab(self, client, team_manager, ap, child, ooc):
        """The Oversight tab shows who holds oversight (the default) and the manager's links."""
        services.oversight_prompt_for_child(child=child, reason="further offence recorded", user=team_manager)
        client.force_login(team_manager)
        content = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
        assert "Out-of-court and My Future oversight" in content
        assert "default (locality AP)" in content and "Change who holds oversight" in content
        assert reverse("oversight_holder_set", args=[child.pk]) in content
        assert "Ask the AP for closure checks" in content
        assert "further offence recorded" in content

    def test_panel_links_the_decision_and_review(self, client, ap, team_manager, child, ooc, check):
        """After a decision the panel links it; with a request waiting, the reviewer sees the link."""
        record = services.oversight_holder_set(
            child=child,
            programme=ooc,
            holder=ap,
            decided_at=timezone.now() - datetime.timedelta(hours=2),
            reason="AP keeps it",
            significant=False,
            user=team_manager,
        )
        client.force_login(ap)
        content = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
        assert reverse("decision_detail", args=[child.pk, record.decision.pk]) in content
        assert reverse("closure_check_review", args=[child.pk, check.pk]) in content
        assert "Review closure checks" in content

    def test_case_manager_sees_no_manager_links(self, case_manager, child, ooc, check):
        """The case manager sees the status but neither change nor review links."""
        context = selectors.oocd_panel_context(child=child, user=case_manager)
        html = render_to_string("supervision/_oocd_panel.html", {"child": child, **context})
        assert "Requested by the worker" in html
        assert "Change who holds oversight" not in html and "Review closure checks" not in html

    def test_no_panel_for_other_children(self, team_manager, north):
        """A child on a statutory order gets an empty context and nothing rendered."""
        other = ChildFactory(team=north)
        ProgrammeFactory(child=other, kind=K.YRO)
        assert selectors.oocd_panel_context(child=other, user=team_manager) == {}
        assert render_to_string("supervision/_oocd_panel.html", {"child": other}).strip() == ""

    def test_closing_page_shows_the_gate_as_a_form_error(self, client, case_manager, child, ooc):
        """Closing a completed OOC without approved checks re-renders with the error, not a 500."""
        client.force_login(case_manager)
        today = timezone.localdate()
        response = client.post(
            reverse("programme_close", args=[child.pk, ooc.pk]),
            {
                "end_date_0": str(today.day),
                "end_date_1": str(today.month),
                "end_date_2": str(today.year),
                "closure_reason": "completed",
                "closure_notes": "",
            },
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "The AP must complete the closure checks before this case is closed (001 §6.3)." in content
        assert "[&#x27;The AP must" not in content  # the message, not a list's repr
        ooc.refresh_from_db()
        assert ooc.end_date is None
