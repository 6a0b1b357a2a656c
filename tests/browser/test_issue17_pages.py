"""Issue 17 in the browser, with axe-core on every page and its error states: MAPPA eligibility (category
2 custody), Form H outstanding on the tab, My work and notifications, the register's next meeting due, the
MAPPA level 1 chair agreement on the booking, the Magistrates' screening of a child already on a programme,
the transfer in's levels for a high risk of harm, a transfer waiting on the receiving team's manager, and a
caretaking review after the first reached from What is due. Screenshots when SCREENSHOT_DIR is set."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Programme, RiskLevel, Role
from cases.services.core import child_obligations_refresh
from courts.models import AwaitingHearing
from demo.factories import ChildFactory, UserFactory
from mappa.models import MappaRecord
from transfers.models import CaretakingAgreement, TransferIn
from transfers.services import external as external_services
from transfers.services import internal as internal_services

from .conftest import assert_accessible
from .test_case_work import PASSWORD, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(page, url, name):
    page.goto(url)
    assert_accessible(page)
    shot(page, name)


def _submit(page, button, name, *, errors=True):
    page.get_by_role("button", name=button).first.click()
    page.wait_for_load_state()
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    shot(page, name)


def _switch(page, live_server, user):
    page.context.clear_cookies()
    user.set_password(PASSWORD)
    user.save()
    sign_in(page, live_server, user.username)


def test_mappa_pages(live_server, page, north, team_manager, case_manager):
    """Eligibility refused for short custody, then recorded; Form H outstanding everywhere it shows; a
    level 1 meeting booked by an AP chair only with the agreement recorded; the register."""
    ap = UserFactory(username="ap.north", role=Role.ADVANCED_PRACTITIONER, team=north, password=PASSWORD)
    child = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=RiskLevel.LOW)
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, live_server, team_manager.username)
    _visit(page, f"{base}/children/{child.pk}/mappa/new/", "17-mappa-new")
    page.locator('input[name="criterion"][value="sch15_custody"]').check()
    page.locator('input[name="custody_months"]').fill("8")
    page.locator('input[name="offence"]').fill("Robbery (Schedule 15)")
    page.locator('input[name="identified_on_0"]').fill(str(today.day))
    page.locator('input[name="identified_on_1"]').fill(str(today.month))
    page.locator('input[name="identified_on_2"]').fill(str(today.year))
    page.locator('input[name="level"][value="1"]').check()
    _submit(page, "Record MAPPA eligibility", "17-mappa-new-short-custody")
    expect(page.locator(".govuk-error-summary")).to_contain_text("8 months does not qualify")
    page.locator('input[name="custody_months"]').fill("24")
    _submit(page, "Record MAPPA eligibility", "17-mappa-tab-form-h-outstanding", errors=False)
    expect(page.locator("#form-h-outstanding")).to_contain_text("Form H outstanding")
    record = MappaRecord.objects.get(child=child)
    _visit(page, f"{base}/my-work/", "17-my-work-form-h-waiting")
    expect(page.locator("#waiting-for-you")).to_contain_text("Send MAPPA Form H")
    _visit(page, f"{base}/notifications/", "17-notifications-waiting")
    expect(page.locator("table")).to_contain_text("Waiting for you")
    _visit(page, f"{base}/mappa/", "17-register")
    expect(page.locator("#register")).to_contain_text("Next due:")
    # The booking: an AP in the chair needs the service's agreement recorded (001 §8).
    _visit(
        page,
        f"{base}/children/{child.pk}/meetings/book/?kind=mappa_level_1&obligation=mappa.meeting",
        "17-book",
    )
    day = today + datetime.timedelta(days=21)
    page.locator('input[name="date_0"]').fill(str(day.day))
    page.locator('input[name="date_1"]').fill(str(day.month))
    page.locator('input[name="date_2"]').fill(str(day.year))
    page.locator('input[name="time"]').fill("10:00")
    page.locator('input[name="venue"]').fill("YJS office, room 2")
    page.locator('select[name="chair"]').select_option(str(ap.pk))
    _submit(page, "Book the meeting and send invitations", "17-book-chair-agreement-missing")
    expect(page.locator(".govuk-error-summary")).to_contain_text("record who in the service agreed")
    page.locator('textarea[name="chair_agreement"]').fill(
        "Agreed with the service manager on the phone today: the team manager is on leave"
    )
    _submit(page, "Book the meeting and send invitations", "17-meeting-chair-agreement", errors=False)
    expect(page.locator("#chair-agreement")).to_contain_text("team manager is on leave")
    # Form H recorded: no longer outstanding.
    _visit(page, f"{base}/children/{child.pk}/mappa/{record.pk}/form-h/", "17-form-h")
    _submit(page, "Record Form H sent", "17-mappa-tab-form-h-sent", errors=False)
    expect(page.locator("#form-h-outstanding")).to_have_count(0)


def test_court_and_transfer_pages(live_server, page, north, south, team_manager, case_manager):
    """The screening of a child already on a programme; the transfer in form's levels and MAPPA answers;
    its page with the Band B check; a transfer waiting on the receiving TM; a second caretaking review."""
    base = live_server.url
    child = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.LOW)
    Programme.objects.create(child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2026, 9, 7))
    today = timezone.localdate()
    hearing = AwaitingHearing.objects.create(
        child=child, hearing_on=today + datetime.timedelta(days=60), offence="Theft", listed_on=today,
        created_by=team_manager,
    )  # fmt: skip
    sign_in(page, live_server, team_manager.username)
    _visit(page, f"{base}/court/awaiting/{hearing.pk}/screen/", "17-screen-already-on-programme")
    expect(page.locator("#already-on-programme")).to_contain_text("is already on a programme")
    page.locator('input[name="adjournment_over_six_weeks"][value="yes"]').check()
    page.locator('input[name="risk_to_others"][value="no"]').check()
    page.locator('input[name="no_other_agencies"][value="yes"]').check()
    page.locator('input[name="decision"][value="offer"]').check()
    _submit(page, "Save the screening", "17-screen-offer-refused")
    expect(page.locator(".govuk-error-summary")).to_contain_text("second, parallel programme")
    _visit(page, f"{base}/court/", "17-court-home")
    # The transfer in: "High or very high risk of harm: Yes" asks for the levels.
    _visit(page, f"{base}/transfers/in/new/", "17-transfer-in-new")
    page.locator('input[name="high_risk"][value="yes"]').check()
    page.locator('input[name="mappa_category"][value="na"]').check()
    page.locator('input[name="home_mappa_agreed"][value="yes"]').check()
    _submit(page, "Record the transfer in summary", "17-transfer-in-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("rate RoSH (High or Very High)")
    expect(page.locator(".govuk-error-summary")).to_contain_text("home MAPPA meeting agreed the move is N/A")
    documents = {code: {"answer": "yes", "reason": ""} for code, _l, _n in TransferIn.DOCUMENTS}
    documents["lac"] = documents["sen"] = {"answer": "na", "reason": ""}
    t = external_services.transfer_in_create(
        user=team_manager, team=north, received_on=today, documents=documents, first_name="Riley",
        last_name="Newarrival", date_of_birth=datetime.date(2010, 7, 1), home_yjs="Derbyshire YJS",
        home_case_id="DY9", proposed_address="2 Test Road", home_case_manager="Sam Home", order_type="YRO",
        offence_details="Robbery.", high_risk=True, high_risk_details="Knife carrying", rosh="very_high",
        saw="medium", lor="high",
    )  # fmt: skip
    _visit(page, f"{base}/transfers/in/{t.pk}/", "17-transfer-in-detail")
    expect(page.locator("#transfer-in-levels")).to_contain_text("Band B")
    # An internal transfer endorsed: waiting on the receiving team's manager.
    south_tm = UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)
    transfer = internal_services.internal_transfer_propose(
        child=child, user=case_manager, to_team=south, new_address="1 New Street", move_term="long",
        saw_effect="None.", rosh_effect="None.", child_views="Happy to move.", home_visit_on=today,
        review_assessment_on=today,
    )  # fmt: skip
    internal_services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
    _switch(page, live_server, south_tm)
    _visit(page, f"{base}/my-work/", "17-my-work-transfer-waiting")
    expect(page.locator("#waiting-for-you")).to_contain_text("Allocate the case transferred from")
    page.locator("#waiting-for-you a").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    shot(page, "17-transfer-allocate-from-my-work")
    assert f"/internal/{transfer.pk}/allocate/" in page.url


def test_a_caretaking_review_after_the_first(live_server, page, north, team_manager, case_manager):
    """The second caretaking review is due three months after the first and its link on What is due opens
    the agreement's review page."""
    base = live_server.url
    child = ChildFactory(team=north, case_manager=case_manager)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=150)
    agreement = CaretakingAgreement.objects.create(
        child=child, case_manager=case_manager, home_yjs="Derbyshire YJS", home_officer="Sam Home",
        starts_on=start, review_on=start + datetime.timedelta(days=80), created_by=team_manager,
    )  # fmt: skip
    external_services.caretaking_review(
        agreement=agreement, user=team_manager, reviewed_on=start + datetime.timedelta(days=75),
        notes="Reviewed with the home YJS: going well",
    )  # fmt: skip
    child_obligations_refresh(child_id=child.pk)
    rows = list(child.obligations.filter(code="caretaking.review").order_by("position"))
    assert len(rows) == 2 and rows[1].is_outstanding
    sign_in(page, live_server, team_manager.username)
    _visit(page, f"{base}/children/{child.pk}/due/", "17-what-is-due-caretaking")
    page.locator(f'a[href="/children/{child.pk}/caretaking/review/"]').first.click()
    page.wait_for_load_state()
    assert f"/caretaking/{agreement.pk}/review/" in page.url
    assert_accessible(page)
    shot(page, "17-caretaking-second-review")
    _submit(page, "Record the review", "17-caretaking-review-errors", errors=True)
