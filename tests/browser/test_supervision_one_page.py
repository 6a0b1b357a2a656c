"""Issue 20: a Record of Supervision with two case discussions, from the supervisor's home to the
finalised record, in few clicks, at 1280 px and at 412 px (a phone), with axe-core on every page.

Every click (and select) the supervisor makes is counted; typing is not. The count is asserted exactly,
so a step added to the journey shows here, and against the issue's aim of at most 12.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Programme, RiskLevel
from demo.factories import ChildFactory
from supervision.models import CaseDiscussion, SupervisionSession

from .conftest import CSP_LISTENER, assert_accessible
from .test_case_work import fill_date, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)  # Monday
AIM = 12  # issue 20: "in at most 12 clicks"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


class Clicks:
    """The supervisor's clicks, counted as they are made."""

    def __init__(self):
        self.count = 0
        self.steps: list[str] = []

    def __call__(self, locator, step: str) -> None:
        locator.click()
        self.count += 1
        self.steps.append(step)

    def select(self, locator, value: str, step: str) -> None:
        """Choosing from a select is a click (to open it) and a choice: counted as one."""
        locator.select_option(value)
        self.count += 1
        self.steps.append(step)


def _child(north, case_manager, team_manager, first_name, last_name, case_number):
    """One of the supervisee's open YRO cases."""
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name=first_name,
        last_name=last_name,
        case_number=case_number,
        rosh=RiskLevel.MEDIUM,
        saw=RiskLevel.LOW,
        lor=RiskLevel.MEDIUM,
    )
    Programme.objects.create(
        child=child,
        kind=Programme.Kind.YRO,
        start_date=datetime.date(2026, 6, 1),
        length_months=12,
        created_by=team_manager,
    )
    return child


def _script_ready(page) -> None:
    """Wait for the page's autosave script to listen (it marks the form): typed before, a field can be
    overwritten when the script puts back the draft it kept."""
    expect(page.locator("form[data-autosave][data-autosave-ready]")).to_be_attached()


def _checked(page, name: str, *, wide: bool, fits: bool = True) -> None:
    """axe-core on the page; at phone width nothing wider than the screen (the record's own pages: the
    home pages' wide tables scroll in their own box, as tests/browser/test_phone_layout.py checks); a
    screenshot."""
    assert_accessible(page)
    if not wide and fits:
        assert page.evaluate(OVERFLOW) <= 0, f"{page.url} scrolls sideways at 412 px"
    shot(page, f"supervision-one-page-{name}-{'1280' if wide else '412'}")


@pytest.mark.parametrize("width", [1280, 412])
def test_record_of_supervision_with_two_case_discussions_in_few_clicks(
    live_server, browser, width, case_manager, team_manager, north
):
    """Team dashboard → Supervision → Record → one page with both case discussions → check → finalised."""
    wide = width > 600
    # A window 412 px wide. Not Chromium's mobile emulation: the supervision home's table is still wider
    # than a phone until the wide tables scroll in their own box, and the emulation then zooms the
    # page out, which puts Playwright's clicks beside the links.
    context = browser.new_context(viewport={"width": width, "height": 900 if wide else 915})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    clicks = Clicks()
    with time_machine.travel(NOW, tick=True):
        case_manager.date_joined = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
        case_manager.save()
        first = _child(north, case_manager, team_manager, "Sam", "Onepageone", "YJ620001")
        second = _child(north, case_manager, team_manager, "Kai", "Onepagetwo", "YJ620002")

        sign_in(page, live_server, team_manager.username)  # the supervisor's home: the Team dashboard
        _checked(page, "home", wide=wide, fits=False)
        if not wide:
            clicks(page.get_by_role("button", name="Menu"), "open the menu")
        clicks(page.get_by_role("link", name="Supervision", exact=True), "Supervision")
        expect(page.get_by_role("heading", name="Staff you supervise")).to_be_visible()
        _checked(page, "supervision-home", wide=wide, fits=False)

        clicks(
            page.get_by_role("link", name=f"Record a supervision of {case_manager.get_full_name()}"),
            "Record",
        )
        _checked(page, "record-a-supervision", wide=wide)
        # Today, 1:1 in person and the supervisor are already chosen.
        clicks(page.get_by_role("button", name="Record the supervision"), "Record the supervision")
        expect(page.get_by_role("heading", name="Record of Supervision")).to_be_visible()
        _checked(page, "record", wide=wide)

        page.get_by_label("1. Personal Wellbeing").fill("Managing the caseload well after the move.")
        page.get_by_label("2. Matters Arising/Actions from Previous Supervision").fill("Mileage claims done.")
        page.get_by_label("5. Training and Development").fill("AIM3 training booked for January.")
        group = page.get_by_role("group", name="Case discussion 1", exact=True)
        clicks.select(group.get_by_label("Child discussed"), str(first.pk), "child 1")
        group.get_by_label("Case overview / progress of case").fill("Engaging well; ETE place confirmed.")
        clicks(page.get_by_role("button", name="Add another case discussion"), "Add another case discussion")
        group = page.get_by_role("group", name="Case discussion 2", exact=True)
        expect(group.get_by_label("Child discussed")).to_be_focused()
        expect(page.get_by_label("1. Personal Wellbeing")).to_have_value(
            "Managing the caseload well after the move."
        )
        _checked(page, "record-add-another", wide=wide)
        clicks.select(group.get_by_label("Child discussed"), str(second.pk), "child 2")
        group.get_by_label("Exit strategy considerations").fill("Plan the move to the youth club offer.")
        fill_date(page, "Date of next supervision", datetime.date(2026, 12, 21))
        page.get_by_label("Place (optional)").fill("North office")
        clicks(page.get_by_role("button", name="Save and check the record"), "Save and check the record")

        expect(page.get_by_role("heading", name="Check the Record of Supervision")).to_be_visible()
        expect(page.get_by_text("Engaging well; ETE place confirmed.")).to_be_visible()
        expect(page.get_by_text("Plan the move to the youth club offer.")).to_be_visible()
        _checked(page, "check", wide=wide)
        clicks(page.get_by_role("button", name="Finalise the record"), "Finalise the record")
        expect(page.get_by_role("heading", name="Record of Supervision finalised")).to_be_visible()
        _checked(page, "finalised", wide=wide)

    session = SupervisionSession.objects.get(supervisee=case_manager)
    assert session.is_finalised and session.training_development == "AIM3 training booked for January."
    assert session.next_date == datetime.date(2026, 12, 21)
    discussions = CaseDiscussion.objects.filter(session=session).order_by("child__case_number")
    assert [(d.child_id, d.status) for d in discussions] == [(first.pk, "recorded"), (second.pk, "recorded")]
    print(f"\nRecord of Supervision at {width} px: {clicks.count} clicks: {', '.join(clicks.steps)}")
    assert clicks.count == (8 if wide else 9) <= AIM
    context.close()


def test_enter_in_a_text_input_saves_and_checks_the_record(live_server, page, case_manager, team_manager):
    """Enter in a one-line input sends the page's default button, "Save and check the record", not
    "Add another case discussion" (the first button a person sees in the form)."""
    with time_machine.travel(NOW, tick=True):
        session = SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=NOW.date(),
            method="one_to_one",
            created_by=team_manager,
        )
        sign_in(page, live_server, team_manager.username)
        page.goto(f"{live_server.url}/supervision/sessions/{session.pk}/edit/")
        _script_ready(page)
        page.get_by_label("8. AOB").fill("Fire drill on Friday.")
        fill_date(page, "Date of next supervision", datetime.date(2026, 12, 21))
        page.get_by_label("Place (optional)").fill("North office")
        page.get_by_label("Place (optional)").press("Enter")
        expect(page.get_by_role("heading", name="Check the Record of Supervision")).to_be_visible()
        assert_accessible(page)
    session.refresh_from_db()
    assert session.aob == "Fire drill on Friday." and session.next_place == "North office"


def test_every_error_on_the_page_in_one_summary(live_server, page, case_manager, team_manager, north):
    """A case discussion with no child, another saying nothing and a next date before the supervision:
    one GOV.UK error summary lists all three, its links reach the inputs, axe-core finds nothing."""
    with time_machine.travel(NOW, tick=True):
        child = _child(north, case_manager, team_manager, "Ari", "Errorcase", "YJ620009")
        session = SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=NOW.date(),
            method="one_to_one",
            created_by=team_manager,
        )
        sign_in(page, live_server, team_manager.username)
        page.goto(f"{live_server.url}/supervision/sessions/{session.pk}/edit/")
        _script_ready(page)
        group = page.get_by_role("group", name="Case discussion 1", exact=True)
        group.get_by_label("Case overview / progress of case").fill("Written before choosing the child")
        page.get_by_role("button", name="Add another case discussion").click()
        _script_ready(page)
        page.get_by_role("group", name="Case discussion 2", exact=True).get_by_label(
            "Child discussed"
        ).select_option(str(child.pk))
        fill_date(page, "Date of next supervision", datetime.date(2026, 11, 1))
        page.get_by_role("button", name="Save and check the record").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(3)
        _checked(page, "errors", wide=True)
        summary.get_by_role(
            "link", name="Case discussion 1: Choose the child this case discussion is about"
        ).click()
        expect(
            page.get_by_role("group", name="Case discussion 1", exact=True).get_by_label("Child discussed")
        ).to_be_focused()
        expect(page.get_by_text("Written before choosing the child")).to_be_visible()
    assert not CaseDiscussion.objects.exists()
