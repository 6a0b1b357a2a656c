"""The transfer in, caretaking, host contact and transfer out pages (003 §12, App. A-B): an outsider gets
404 everywhere, who may write, errors that keep the user's input, the App. A layout, the §12.1 prompt and
the §12.2 notice, and a transfer in list whose query count does not grow with the rows."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Child, Role
from core.models import AuditEntry
from demo.factories import UserFactory
from transfers.models import CaretakingAgreement, TransferIn, TransferOut
from transfers.selectors.external import external_panel_context
from transfers.services import external as services

LONDON = ZoneInfo("Europe/London")
D = datetime.date


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 10 Mar 2026 at 14:00 London time."""
    with time_machine.travel(datetime.datetime(2026, 3, 10, 14, 0, tzinfo=LONDON), tick=False):
        yield


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def docs() -> dict:
    """Every App. A document attached."""
    return {code: {"answer": "yes", "reason": ""} for code, _label, _na in TransferIn.DOCUMENTS}


YESTERDAY = D(2026, 3, 9)


def received(user, team, day=YESTERDAY, **override) -> TransferIn:
    """A transfer in through the service."""
    data = {
        "first_name": "Jordan",
        "last_name": "Incomer",
        "date_of_birth": D(2010, 5, 4),
        "home_yjs": "Derbyshire YJS",
        "home_case_id": "DY12345",
        "proposed_address": "1 Test Street, Nottingham NG1 1AA",
        "home_case_manager": "Sam Home",
        "order_type": "Referral Order",
        "offence_details": "Theft.",
    }
    data.update(override)
    return services.transfer_in_create(user=user, team=team, received_on=day, documents=docs(), **data)


def form_post(**extra) -> dict:
    """A complete Transfer In Summary form submission."""
    data = {
        **_date("received_on", D(2026, 3, 9)),
        "first_name": "Riley",
        "last_name": "Newarrival",
        **_date("date_of_birth", D(2010, 7, 1)),
        "home_yjs": "Derbyshire YJS",
        "home_case_id": "DY999",
        "proposed_address": "2 Test Road, Mansfield NG18 1AA",
        "looked_after": "no",
        "csc_advised": "na",
        "home_case_manager": "Sam Home, 01234 567890",
        "order_type": "YRO with supervision",
        "iom": "no",
        "high_risk": "no",
        "mappa_category": "na",
        "mappa_level": "na",
        "home_mappa_agreed": "na",
        "mappa_coordinator_alerted": "na",
        "safeguarding": "no",
        "child_protection_plan": "no",
        "offence_details": "Assault on a stranger.",
    }
    for code, _label, _na in TransferIn.DOCUMENTS:
        data[f"doc_{code}"] = "yes"
    data.update(extra)
    return data


@pytest.fixture
def transfer_in(team_manager, north, django_capture_on_commit_callbacks):
    """A North transfer in, accepted, with its child (and its obligations stored, as after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        t = received(team_manager, north)
        return services.transfer_in_decide(
            transfer_in=t, user=team_manager, decision="accept", decided_on=D(2026, 3, 9)
        )


@pytest.fixture
def agreement(transfer_in, team_manager, case_manager):
    """The caretaking agreement for the accepted transfer in."""
    a, _ = services.caretaking_create(
        child=transfer_in.child,
        user=team_manager,
        case_manager=case_manager,
        transfer_in=transfer_in,
        home_yjs="Derbyshire YJS",
        home_officer="Sam Home",
        starts_on=D(2026, 3, 9),
        contact_frequency="Weekly",
    )
    return a


@pytest.fixture
def transfer_out(child, case_manager):
    """A caretaking request to Leicester City YJS for the North child, sent."""
    return services.transfer_out_create(
        child=child,
        user=case_manager,
        kind=TransferOut.Kind.CARETAKING,
        host_area="Leicester City YJS",
        move_known_on=D(2026, 3, 9),
        requested_on=D(2026, 3, 9),
    )


def child_urls(agreement, transfer_out) -> list[str]:
    """Every child page this module serves."""
    c, o = transfer_out.child_id, transfer_out.pk
    a, ac = agreement.pk, agreement.child_id
    return [
        reverse("caretaking_new", args=[ac]),
        reverse("caretaking_detail", args=[ac, a]),
        reverse("caretaking_review", args=[ac, a]),
        reverse("caretaking_end", args=[ac, a]),
        reverse("host_contact_new", args=[c]),
        reverse("transfer_out_new", args=[c]),
        reverse("transfer_out_detail", args=[c, o]),
        reverse("transfer_out_update", args=[c, o]),
    ]


class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, transfer_in, agreement, transfer_out, outsider):
        """A South case manager reaches no page, GET or POST, and sees nothing in the list."""
        client.force_login(outsider)
        urls = child_urls(agreement, transfer_out) + [
            reverse("transfer_in_new"),
            reverse("transfer_in_detail", args=[transfer_in.pk]),
            reverse("transfer_in_decide", args=[transfer_in.pk]),
            reverse("transfer_in_requirements", args=[transfer_in.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        html = client.get(reverse("transfer_in_list")).content.decode()
        assert "Jordan" not in html and "Record a transfer in summary" not in html

    def test_outside_manager_gets_404_too(self, client, transfer_in, agreement, transfer_out, south):
        """Another team's manager cannot decide or write either."""
        client.force_login(UserFactory(username="south_tm", role=Role.TEAM_MANAGER, team=south))
        for url in child_urls(agreement, transfer_out) + [
            reverse("transfer_in_decide", args=[transfer_in.pk])
        ]:
            assert client.get(url).status_code == 404, url

    def test_colleague_reads_but_cannot_write(self, client, transfer_in, agreement, transfer_out, colleague):
        """A North case manager without the case reads the records; the writing pages are 404."""
        client.force_login(colleague)
        assert client.get(reverse("transfer_in_detail", args=[transfer_in.pk])).status_code == 200
        assert (
            client.get(reverse("caretaking_detail", args=[agreement.child_id, agreement.pk])).status_code
            == 200
        )
        assert (
            client.get(
                reverse("transfer_out_detail", args=[transfer_out.child_id, transfer_out.pk])
            ).status_code
            == 200
        )
        for url in [
            reverse("transfer_in_new"),
            reverse("transfer_in_decide", args=[transfer_in.pk]),
            reverse("caretaking_review", args=[agreement.child_id, agreement.pk]),
            reverse("host_contact_new", args=[transfer_out.child_id]),
            reverse("transfer_out_update", args=[transfer_out.child_id, transfer_out.pk]),
        ]:
            assert client.get(url).status_code == 404, url

    def test_records_of_another_child_are_404(self, client, agreement, transfer_out, team_manager, child):
        """An agreement or move is found only under its own child."""
        client.force_login(team_manager)
        assert client.get(reverse("caretaking_detail", args=[child.pk, agreement.pk])).status_code == 404
        assert (
            client.get(reverse("transfer_out_detail", args=[agreement.child_id, transfer_out.pk])).status_code
            == 404
        )
        assert client.get(reverse("transfer_in_detail", args=["999999"])).status_code == 404


class TestTransferInPages:
    def test_new_summary_opens_the_child(
        self, client, team_manager, north, django_capture_on_commit_callbacks
    ):
        """The TM records App. A; the child opens in North; the detail page lays it out."""
        client.force_login(team_manager)
        assert client.get(reverse("transfer_in_new")).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("transfer_in_new"), form_post())
        transfer_in = TransferIn.objects.get()
        assert response.status_code == 302 and response.url == reverse(
            "transfer_in_detail", args=[transfer_in.pk]
        )
        assert transfer_in.child.team == north and transfer_in.child.full_name == "Riley Newarrival"
        html = client.get(response.url).content.decode()
        assert "Transfer in summary (App. A)" in html and "Pre-Sentence Report" in html
        assert "Due by 11 March 2026" in html and "Accept, stay or reject" in html
        assert AuditEntry.objects.filter(child=transfer_in.child, description__startswith="Viewed").exists()

    def test_missing_document_without_reason_keeps_the_input(self, client, team_manager):
        """A "No" without a reason: the error summary, the user's answers kept, nothing saved."""
        client.force_login(team_manager)
        response = client.post(
            reverse("transfer_in_new"), form_post(doc_psr="no", doc_summary="na", first_name="Keptname")
        )
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Give the reason “Pre-Sentence Report” is missing" in html
        assert 'value="Keptname"' in html and 'href="#id_doc_psr_1"' in html
        assert not TransferIn.objects.exists() and not Child.objects.filter(first_name="Keptname").exists()

    def test_na_refused_where_not_allowed(self, client, team_manager):
        """The summary itself cannot be N/A: the choice is not offered and is refused."""
        client.force_login(team_manager)
        html = client.get(reverse("transfer_in_new")).content.decode()
        assert 'name="doc_summary" type="radio" value="na"' not in html
        response = client.post(reverse("transfer_in_new"), form_post(doc_summary="na"))
        assert response.status_code == 200 and not TransferIn.objects.exists()

    def test_case_manager_cannot_record(self, client, case_manager):
        """Recording is for the TM/AP or business support."""
        client.force_login(case_manager)
        assert client.get(reverse("transfer_in_new")).status_code == 404

    def test_reject_without_reasons_shows_errors_then_closes(self, client, team_manager, north):
        """003 §12.4: reasons and the date communicated are required; a rejection closes the child."""
        t = received(team_manager, north)
        client.force_login(team_manager)
        url = reverse("transfer_in_decide", args=[t.pk])
        response = client.post(url, {"decision": "reject", "reasons": ""})
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Give the reasons for the stay or rejection" in html
        assert "Enter the date the reasons were communicated to the home YJS" in html
        assert re.search(r'value="reject"\s+checked', html)
        response = client.post(
            url, {"decision": "reject", "reasons": "Out of area", **_date("communicated_on", D(2026, 3, 10))}
        )
        assert response.status_code == 302
        t.refresh_from_db()
        assert t.status == TransferIn.Status.REJECTED and not t.child.is_open

    def test_accept_leads_to_the_caretaking_agreement(self, client, team_manager, case_manager, north):
        """Acceptance redirects to the App. B form, prefilled from the summary; saving it allocates."""
        t = received(team_manager, north)
        t.child.rosh = t.child.saw = "low"
        t.child.save()
        client.force_login(team_manager)
        response = client.post(reverse("transfer_in_decide", args=[t.pk]), {"decision": "accept"})
        assert response.status_code == 302 and response.url == reverse("caretaking_new", args=[t.child_id])
        html = client.get(response.url).content.decode()
        assert 'value="Derbyshire YJS"' in html
        data = {
            "case_manager": case_manager.pk,
            "home_yjs": "Derbyshire YJS",
            "home_officer": "Sam Home",
            **_date("starts_on", D(2026, 3, 10)),
            "our_responsibilities": ["assessments"],
            "home_responsibilities": ["psr"],
            "contact_frequency": "Weekly",
            **_date("review_on", D(2026, 6, 11)),
        }
        response = client.post(response.url, data)
        html = response.content.decode()
        assert response.status_code == 200 and "no later than three months on: 10 June 2026" in html
        assert 'value="Sam Home"' in html
        data.update(_date("review_on", D(2026, 6, 10)))
        response = client.post(reverse("caretaking_new", args=[t.child_id]), data)
        agreement = CaretakingAgreement.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("caretaking_detail", args=[t.child_id, agreement.pk])
        assert agreement.transfer_in == t and agreement.review_on == D(2026, 6, 10)
        assert Child.objects.get(pk=t.child_id).case_manager == case_manager

    def test_requirements_page(self, client, transfer_in, team_manager):
        """The supervision requirements are recorded against the transfer."""
        client.force_login(team_manager)
        url = reverse("transfer_in_requirements", args=[transfer_in.pk])
        assert "due by Wednesday 11 March 2026" in client.get(url).content.decode()
        response = client.post(url, {"requirements": "", **_date("confirmed_on", D(2026, 3, 11))})
        html = response.content.decode()
        assert "Enter the supervision requirements" in html and "must be today or in the past" in html
        response = client.post(url, {"requirements": "Weekly", **_date("confirmed_on", D(2026, 3, 10))})
        assert response.status_code == 302
        transfer_in.refresh_from_db()
        assert transfer_in.requirements_confirmed_on == D(2026, 3, 10)


class TestTransferInList:
    def test_team_scope_filter_and_constant_queries(
        self, client, team_manager, north, south, service_manager
    ):
        """North's manager sees North's transfers, filtered by status; 2 or 6 rows cost the same."""
        south_tm = UserFactory(username="south_tm", role=Role.TEAM_MANAGER, team=south)
        received(south_tm, south, first_name="Southern")
        client.force_login(team_manager)
        url = reverse("transfer_in_list")

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(2):
            received(team_manager, north)
        few = count()
        for _ in range(4):
            t = received(team_manager, north)
        services.transfer_in_decide(transfer_in=t, user=team_manager, decision="accept")
        assert count() == few
        html = client.get(url).content.decode()
        assert "Southern" not in html and "6 transfers in" in html
        html = client.get(url + "?status=accepted").content.decode()
        assert "1 transfer in" in html
        client.force_login(service_manager)
        assert "7 transfers in" in client.get(url).content.decode()


class TestCaretakingPages:
    def test_presumption_prompt_after_three_months(self, client, team_manager, case_manager, north):
        """003 §12.1: from three months' residence the detail page prompts full transfer, with the action."""
        t = received(team_manager, north, D(2025, 12, 1))
        t = services.transfer_in_decide(
            transfer_in=t, user=team_manager, decision="accept", decided_on=D(2025, 12, 1)
        )
        a, _ = services.caretaking_create(
            child=t.child,
            user=team_manager,
            case_manager=case_manager,
            transfer_in=t,
            home_yjs="Derbyshire YJS",
            home_officer="Sam",
            starts_on=D(2025, 12, 8),
            contact_frequency="Weekly",
        )
        client.force_login(team_manager)
        html = client.get(reverse("caretaking_detail", args=[t.child_id, a.pk])).content.decode()
        assert "Presumption of full transfer: the child has lived here for three months" in html
        assert reverse("caretaking_end", args=[t.child_id, a.pk]) + "?outcome=full_transfer" in html
        panel = render_to_string(
            "transfers/_external_panel.html",
            {"child": t.child, **external_panel_context(child=t.child, user=team_manager)},
        )
        assert "Presumption of full transfer" in panel and "End caretaking as a full transfer" in panel
        response = client.post(
            reverse("caretaking_end", args=[t.child_id, a.pk]),
            {"outcome": "full_transfer", **_date("ended_on", D(2026, 3, 10)), "notes": "Settled"},
        )
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.status == CaretakingAgreement.Status.FULL_TRANSFER

    def test_no_prompt_before_three_months(self, client, agreement, team_manager):
        """Caretaking since yesterday: no prompt."""
        client.force_login(team_manager)
        html = client.get(
            reverse("caretaking_detail", args=[agreement.child_id, agreement.pk])
        ).content.decode()
        assert "Presumption of full transfer" not in html and "Record a review" in html

    def test_looked_after_notice_and_no_prompt(self, client, team_manager, case_manager, north):
        """003 §12.2: the LAC notice, no prompt after three months, and full transfer not offered."""
        t = received(team_manager, north, D(2025, 10, 1), looked_after=True)
        t = services.transfer_in_decide(
            transfer_in=t, user=team_manager, decision="accept", decided_on=D(2025, 10, 1)
        )
        a, _ = services.caretaking_create(
            child=t.child,
            user=team_manager,
            case_manager=case_manager,
            transfer_in=t,
            home_yjs="Derbyshire YJS",
            home_officer="Sam",
            starts_on=D(2025, 10, 1),
            contact_frequency="Weekly",
        )
        client.force_login(team_manager)
        html = client.get(reverse("caretaking_detail", args=[t.child_id, a.pk])).content.decode()
        assert "case management responsibility stays with the home YOT" in html
        assert "Presumption of full transfer" not in html
        html = client.get(
            reverse("caretaking_end", args=[t.child_id, a.pk]) + "?outcome=full_transfer"
        ).content.decode()
        assert 'value="full_transfer"' not in html

    def test_review_errors_keep_input(self, client, agreement, team_manager):
        """A next review more than three months on is refused; the notes are kept."""
        client.force_login(team_manager)
        url = reverse("caretaking_review", args=[agreement.child_id, agreement.pk])
        response = client.post(
            url,
            {
                **_date("reviewed_on", D(2026, 3, 10)),
                "notes": "Kept notes",
                **_date("next_review_on", D(2026, 6, 11)),
            },
        )
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html and "Kept notes" in html
        response = client.post(url, {**_date("reviewed_on", D(2026, 3, 10)), "notes": "Fine"})
        assert response.status_code == 302
        agreement.refresh_from_db()
        assert agreement.review_on == D(2026, 6, 10)


class TestTransferOutPages:
    def test_new_move_and_update_to_transferred(self, client, child, case_manager):
        """The case manager records the move and its checklist; TRANSFERRED closes the record."""
        client.force_login(case_manager)
        url = reverse("transfer_out_new", args=[child.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url, {"kind": "transfer", "host_area": "", **_date("move_known_on", D(2026, 3, 11))}
        )
        html = response.content.decode()
        assert response.status_code == 200 and "Enter the host YJS area" in html
        assert "Date the move was known must be today or in the past" in html
        response = client.post(
            url,
            {
                "kind": "transfer",
                "host_area": "Leicester City YJS",
                **_date("move_known_on", D(2026, 3, 9)),
                **_date("assetplus_updated_on", D(2026, 3, 9)),
                **_date("requested_on", D(2026, 3, 10)),
            },
        )
        out = TransferOut.objects.get()
        assert response.status_code == 302 and out.status == TransferOut.Status.REQUESTED
        html = client.get(response.url).content.decode()
        assert "AssetPlus fully updated" in html and "Sent 10 March 2026" in html
        response = client.post(
            reverse("transfer_out_update", args=[child.pk, out.pk]),
            {
                "status": "transferred",
                **_date("requested_on", D(2026, 3, 10)),
                **_date("outcome_on", D(2026, 3, 10)),
            },
        )
        assert response.status_code == 302
        child.refresh_from_db()
        assert not child.is_open
        assert client.get(reverse("transfer_out_update", args=[child.pk, out.pk])).status_code == 404

    def test_a_stale_update_keeps_both_texts(self, client, transfer_out, case_manager, team_manager):
        """The case manager and the team manager update the same move: the second, from a stale form, sees
        their notes and the notes now saved, and nothing is overwritten (ADR 0009)."""
        url = reverse("transfer_out_update", args=[transfer_out.child_id, transfer_out.pk])
        post = {"status": "requested", **_date("requested_on", D(2026, 3, 9)), "version": "1"}
        client.force_login(case_manager)
        assert client.post(url, {**post, "outcome_notes": "Host area phoned back"}).status_code == 302
        client.force_login(team_manager)
        response = client.post(url, {**post, "outcome_notes": "Chased by email"})
        html = response.content.decode()
        assert response.status_code == 200 and "Someone else saved this record after you opened it" in html
        assert "Chased by email</textarea>" in html and "Host area phoned back</dd>" in html
        transfer_out.refresh_from_db()
        assert transfer_out.outcome_notes == "Host area phoned back" and transfer_out.version == 2

    def test_parenting_documents_error_keeps_input(self, client, child, case_manager):
        """003 §12.11: TRANSFERRED with a parenting order but missing documents is refused, input kept."""
        out = services.transfer_out_create(
            child=child,
            user=case_manager,
            kind="transfer",
            host_area="Leicester City YJS",
            move_known_on=D(2026, 3, 9),
            requested_on=D(2026, 3, 9),
            parenting_order=True,
        )
        client.force_login(case_manager)
        response = client.post(
            reverse("transfer_out_update", args=[child.pk, out.pk]),
            {
                "status": "transferred",
                **_date("requested_on", D(2026, 3, 9)),
                **_date("outcome_on", D(2026, 3, 10)),
                "outcome_notes": "Kept note",
                "parenting_order": "on",
                "parenting_documents": ["summary"],
            },
        )
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Provide every parenting order document first" in html and "Kept note" in html
        out.refresh_from_db()
        assert out.status == TransferOut.Status.REQUESTED

    def test_host_contact_page(self, client, transfer_out, case_manager):
        """003 §12.8: the host's contact is logged and listed on the move."""
        client.force_login(case_manager)
        url = reverse("host_contact_new", args=[transfer_out.child_id])
        response = client.post(
            url, {**_date("date", D(2026, 3, 10)), "kind": "phone", "host_worker": "", "summary": "Kept"}
        )
        html = response.content.decode()
        assert response.status_code == 200 and "Enter the host YJS worker" in html and "Kept" in html
        assert transfer_out.host_contacts.count() == 0

    def test_panel_lists_moves_and_buttons(self, child, transfer_out, case_manager):
        """The panel shows the move with its checklist and the host contact button."""
        html = render_to_string(
            "transfers/_external_panel.html",
            {"child": child, **external_panel_context(child=child, user=case_manager)},
        )
        assert "Caretaking by the host area to Leicester City YJS" in html
        assert "Done 9 Mar 2026" in html and reverse("host_contact_new", args=[child.pk]) in html
        assert reverse("transfer_out_update", args=[child.pk, transfer_out.pk]) in html


class TestCaretakingAllocationFailure:
    def test_a_failed_allocation_is_never_reported_as_success(
        self, client, team_manager, case_manager, north
    ):
        """Issue 17: a very high RoSH child for a Band A worker needs the allocation checks, so the
        agreement is saved but they are not made the case manager: an "Important" banner says so, with no
        green "Success"; the agreement's page keeps saying it until they are allocated."""
        t = received(team_manager, north)
        client.force_login(team_manager)
        # Followed, so its own "accepted" banner is shown (and used up) before the agreement is saved.
        client.post(reverse("transfer_in_decide", args=[t.pk]), {"decision": "accept"}, follow=True)
        child = Child.objects.get(pk=t.child_id)
        child.rosh = "very_high"
        child.save()
        data = {
            "case_manager": case_manager.pk,
            "home_yjs": "Derbyshire YJS",
            "home_officer": "Sam Home",
            **_date("starts_on", D(2026, 3, 10)),
            "our_responsibilities": ["assessments"],
            "home_responsibilities": ["psr"],
            "contact_frequency": "Weekly",
            **_date("review_on", D(2026, 6, 10)),
        }
        response = client.post(reverse("caretaking_new", args=[child.pk]), data, follow=True)
        html = response.content.decode()
        agreement = CaretakingAgreement.objects.get(child=child)
        assert Child.objects.get(pk=child.pk).case_manager is None
        assert "govuk-notification-banner--success" not in html and ">Success<" not in html
        assert ">Important<" in html
        assert f"Caretaking agreement recorded, but {case_manager} is not the case manager" in html
        assert 'id="case-manager-not-allocated"' in html
        assert reverse("child_allocation", args=[child.pk]) in html
        page = client.get(reverse("caretaking_detail", args=[child.pk, agreement.pk])).content.decode()
        assert 'id="case-manager-not-allocated"' in page

    def test_a_successful_allocation_is_a_success(self, client, team_manager, case_manager, north):
        t = received(team_manager, north)
        t.child.rosh = t.child.saw = "low"
        t.child.save()
        client.force_login(team_manager)
        client.post(reverse("transfer_in_decide", args=[t.pk]), {"decision": "accept"})
        data = {
            "case_manager": case_manager.pk,
            "home_yjs": "Derbyshire YJS",
            "home_officer": "Sam Home",
            **_date("starts_on", D(2026, 3, 10)),
            "our_responsibilities": ["assessments"],
            "home_responsibilities": ["psr"],
            "contact_frequency": "Weekly",
            **_date("review_on", D(2026, 6, 10)),
        }
        html = client.post(reverse("caretaking_new", args=[t.child_id]), data, follow=True).content.decode()
        assert "govuk-notification-banner--success" in html and "Caretaking agreement recorded" in html
        assert 'id="case-manager-not-allocated"' not in html
