"""Issue 20 in a real browser, at 1280 and 412 px, with axe-core on every page visited.

A team manager runs a straightforward risk-review CMM from booking to minutes sent, writing the whole
CMM Record on one page, and every click is counted (target: at most 12). Then the autosave of drafts:
a draft typed on the one-page record is saved in the background, and when the session has expired the
page says so and the words survive signing in again.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Child, Obligation, Programme, RiskLevel
from cases.services.core import child_obligations_refresh
from core.models import AuditEntry, OutboxMessage
from demo.factories import ChildFactory
from meetings.models import Meeting

from .conftest import assert_accessible
from .test_case_work import PASSWORD, fill_date, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 23 November 2026, mid-afternoon, so a meeting at 10:00 today is in the past.
NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)
TODAY = NOW.date()
WIDTHS = [pytest.param(1280, id="1280px"), pytest.param(412, id="412px")]
MAX_CLICKS = 12


class Clicks:
    """Every link or button the user activates, counted (typing is not a click)."""

    def __init__(self, page):
        self.page, self.names = page, []

    def __call__(self, role: str, name: str, *, within=None) -> None:
        """Click the link or button with this accessible name and wait for the next page."""
        (within or self.page).get_by_role(role, name=name, exact=True).first.click()
        self.names.append(name)
        self.page.wait_for_load_state()


def _medium_child(north, case_manager, team_manager, *, last_name: str) -> Child:
    """A demo-like child on a 12-month YRO whose 11-weekly risk review is overdue."""
    start = datetime.date(2026, 8, 3)  # risk review due 19 Oct 2026 (11 weeks): overdue today
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Riley",
        last_name=last_name,
        rosh=RiskLevel.MEDIUM,
        saw=RiskLevel.MEDIUM,
        lor=RiskLevel.MEDIUM,
    )
    Child.history.filter(id=child.pk).update(
        history_date=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    )
    Programme.objects.create(
        child=child, kind=Programme.Kind.YRO, start_date=start, length_months=12, created_by=team_manager
    )
    child_obligations_refresh(child_id=child.pk)
    return child


def _resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})


RECORD = {
    "Reason for the Case Management Meeting": "11-weekly review of RoSH and SaW.",
    "Details of the current intervention plan": "College place kept; evenings are the barrier.",
    "Current circumstances and new incidents of concern": "Settled at home; no new incidents.",
    "How do the child and their parent or carer view": "Riley says the sessions help.",
    "Risk of Serious Harm (RoSH) assessment": "Risk linked to peers in the evenings.",
    "Safety and Wellbeing (SaW) assessment": "Safe at home; concerns when out late.",
    "Likelihood of Re-offending (LoR)": "Reduced with college engagement.",
    "Risk management plan": "Curfew checks; weekly police liaison.",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_risk_review_from_booking_to_minutes_sent_in_few_clicks(
    live_server, page, case_manager, team_manager, north, width
):
    """Book from the due item, mark held, write the record on one page, finalise, send: ≤ 12 clicks."""
    with time_machine.travel(NOW, tick=True):
        child = _medium_child(north, case_manager, team_manager, last_name=f"Onepage{width}")
        review = child.obligations.get(code="cmm.risk_review")
        assert review.status == Obligation.Status.OVERDUE
        _resize(page, width)
        sign_in(page, live_server, team_manager.username)
        # Counting starts on the child's "What is due", where the overdue review is.
        page.goto(f"{live_server.url}/children/{child.pk}/due/")
        assert_accessible(page)
        click = Clicks(page)

        click("link", review.title)
        assert_accessible(page)
        fill_date(page, "Date", TODAY)
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Venue").fill("North office, room 2")
        page.get_by_label("Why the meeting is booked with less than two weeks' notice").fill(
            "The review is overdue: holding it today with the core panel."
        )
        page.get_by_label("Why no standing panel member is invited").fill("The panel member is on leave")
        click("button", "Book the meeting and send invitations")
        expect(page.get_by_text("Meeting booked")).to_be_visible()
        assert_accessible(page)
        meeting = Meeting.objects.get(child=child)

        # Held: straight from the meeting's page; the form is filled in from the booking and invitations.
        click("button", "Mark as held")
        assert_accessible(page)
        click("button", "Save and write the record")
        expect(page.get_by_role("heading", level=1, name="Write the record")).to_be_visible()
        expect(page.get_by_text("Meeting recorded as held")).to_be_visible()
        assert_accessible(page)

        # The whole record on one page: the progress summary links to each section's fieldset.
        progress = page.locator(".govuk-task-list")
        expect(progress.get_by_role("link", name="Risk management plan")).to_have_attribute(
            "href", f"/children/{child.pk}/meetings/{meeting.pk}/record/#section-plan"
        )
        expect(page.locator("#section-plan")).to_be_visible()
        for label, value in RECORD.items():
            page.get_by_label(label).first.fill(value)
        # The revised levels start at the current ones: nothing to click for a straightforward review.
        expect(
            page.get_by_role("group", name="Revised Risk of Serious Harm (RoSH)").get_by_label(
                "Medium", exact=True
            )
        ).to_be_checked()
        shot(page, f"cmm-one-page-{width}")
        click("button", "Save and check before finalising")
        expect(page.get_by_role("heading", name="Check the record before finalising it")).to_be_visible()
        assert_accessible(page)
        shot(page, f"cmm-one-page-check-{width}")

        click("button", "Finalise the record")
        expect(page.get_by_role("heading", name="Record finalised")).to_be_visible()
        assert_accessible(page)
        click("button", "Send the minutes")
        expect(page.get_by_role("heading", name="Send the minutes")).to_be_visible()
        # The attendees recorded on the held page are chosen already: nothing to tick.
        chosen = page.get_by_role("group", name="Who gets the minutes")
        for person in (team_manager, case_manager):
            expect(chosen.get_by_label(person.get_full_name(), exact=False)).to_be_checked()
        assert_accessible(page)
        shot(page, f"cmm-one-page-send-{width}")
        click("button", "Send the minutes")
        expect(page.get_by_role("heading", name="Minutes queued to send")).to_be_visible()
        assert_accessible(page)
        shot(page, f"cmm-one-page-sent-{width}")

        assert click.names == [
            review.title,
            "Book the meeting and send invitations",
            "Mark as held",
            "Save and write the record",
            "Save and check before finalising",
            "Finalise the record",
            "Send the minutes",
            "Send the minutes",
        ]
        assert len(click.names) <= MAX_CLICKS
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.FINALISED and meeting.minutes_sent_on == TODAY
        assert meeting.risk_management_plan == RECORD["Risk management plan"]
        minutes = OutboxMessage.objects.filter(
            source=f"meeting:{meeting.pk}", description__startswith="Minutes of"
        )
        assert {m.payload["to"][0] for m in minutes} >= {team_manager.email, case_manager.email}


def _autosave_now(page) -> None:
    """Once the page's script is listening (it marks the form ready: the note itself shows from the first
    paint, before the script runs), make it save a second after the next change (~20 s by default)."""
    expect(page.locator("form[data-autosave][data-autosave-ready]")).to_be_attached()
    page.locator("form[data-autosave]").evaluate("form => { form.dataset.autosaveInterval = '1'; }")


@pytest.mark.parametrize("width", WIDTHS)
def test_autosave_keeps_a_draft_and_survives_an_expired_session(
    live_server, page, case_manager, team_manager, north, width
):
    """A draft is saved in the background; signed out mid-way, the words wait in the browser."""
    with time_machine.travel(NOW, tick=True):
        child = _medium_child(north, case_manager, team_manager, last_name=f"Autosave{width}")
        _resize(page, width)
        sign_in(page, live_server, team_manager.username)
        page.goto(f"{live_server.url}/children/{child.pk}/due/")
        page.get_by_role("link", name=child.obligations.get(code="cmm.risk_review").title).click()
        fill_date(page, "Date", TODAY)
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Venue").fill("North office")
        page.get_by_label("Why the meeting is booked with less than two weeks' notice").fill("Overdue")
        page.get_by_label("Why no standing panel member is invited").fill("On leave")
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        page.get_by_role("button", name="Mark as held").click()
        page.get_by_role("button", name="Save and write the record").click()
        meeting = Meeting.objects.get(child=child)
        version = meeting.version
        status = page.locator("#autosave-status")

        # A change is saved in the background, with no click: the status says when, politely.
        _autosave_now(page)
        page.get_by_label("Risk management plan").fill("Weekly curfew checks by the police.")
        expect(status).to_contain_text("Draft saved at ")
        assert_accessible(page)
        shot(page, f"cmm-autosave-saved-{width}")
        meeting.refresh_from_db()
        assert meeting.risk_management_plan == "Weekly curfew checks by the police."
        assert meeting.version == version + 1 and meeting.status == Meeting.Status.HELD
        # Audited as a draft: the changed fields (the revised levels shown preselected, and the plan).
        assert AuditEntry.objects.get(
            object_id=str(meeting.pk), description__startswith="Autosaved a draft of the record: "
        ).description.endswith("revised_lor, revised_rosh, revised_saw, risk_management_plan")

        # The session expires mid-way: the next autosave is refused and the page says so.
        Session.objects.all().delete()
        page.get_by_label("Likelihood of Re-offending (LoR)").fill("Lower since the college place.")
        expect(status).to_contain_text("You have been signed out")
        assert_accessible(page)
        shot(page, f"cmm-autosave-signed-out-{width}")
        meeting.refresh_from_db()
        assert meeting.lor_analysis == ""

        # Signed in again, the page puts the words back; Save keeps them.
        page.get_by_role("link", name="Sign in again").click()
        page.get_by_label("Username").fill(team_manager.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1, name="Write the record")).to_be_visible()
        expect(page.get_by_label("Likelihood of Re-offending (LoR)")).to_have_value(
            "Lower since the college place."
        )
        expect(page.get_by_label("Risk management plan")).to_have_value("Weekly curfew checks by the police.")
        expect(status).to_contain_text("has been put back")
        assert_accessible(page)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Record saved")).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.lor_analysis == "Lower since the college place."
        # Saved, the copy in the browser is forgotten: loading the page again restores nothing.
        page.reload()
        expect(status).to_have_text("")
