"""Issue 4 journeys in a real browser, with axe-core on every page visited.

A case manager records a YRO and sees its due dates, starts the AssetPlus stage and requests sign-off;
the team manager signs it off from the queue and the obligation turns met. A team manager cannot
confirm allocating a girl to a male case manager without a rationale (003 §2.2).
"""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Allocation, Assessment, Gender, Obligation, RiskLevel, Role
from cases.rules.calendar import get_calendar
from demo.factories import ChildFactory, UserFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR")
PASSWORD = "correct-horse-battery"


def shot(page, name):
    """Save a screenshot when SCREENSHOT_DIR is set, so a person can look at the pages."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username):
    """Sign in through the form and land on the role's home page (My work, team or compliance dashboard)."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def fill_date(page, group_label, day):
    """Fill a GOV.UK date input (day, month, year boxes) inside the fieldset with this legend."""
    group = page.get_by_role("group", name=group_label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_yro_assessment_sign_off(live_server, page, case_manager, team_manager, north):
    """Record a YRO, see its due dates, request sign-off of the AssetPlus stage, sign it off from the queue."""
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Robin",
        last_name="Journeytest",
        rosh=RiskLevel.MEDIUM,
        saw=RiskLevel.LOW,
        lor=RiskLevel.MEDIUM,
    )
    today = datetime.date.today()
    sentenced = get_calendar().subtract_working_days(today, 2)
    sign_in(page, live_server, "cm")
    assert_accessible(page)
    shot(page, "10-my-work")

    page.goto(f"{live_server.url}/children/{child.pk}/programmes/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a programme").click()
    page.get_by_label("Youth Rehabilitation Order").check()
    fill_date(page, "Start date", sentenced)
    page.get_by_label("Length of the order in months").fill("12")
    assert_accessible(page)
    shot(page, "11-programme-form")
    page.get_by_role("button", name="Add programme").click()

    # The due dates are the rules module's: 13 and 15 working days after sentence (001 §6 table).
    page.wait_for_url(f"{live_server.url}/children/{child.pk}/due/")
    gatekeep = get_calendar().add_working_days(sentenced, 13)
    due = get_calendar().add_working_days(sentenced, 15)
    expect(page.get_by_role("row", name="AssetPlus assessment gatekept")).to_contain_text(
        gatekeep.strftime("%-d %b %Y")
    )
    expect(page.get_by_role("row", name="AssetPlus assessment completed")).to_contain_text(
        due.strftime("%-d %b %Y")
    )
    assert_accessible(page)
    shot(page, "12-what-is-due")

    # Start the AssetPlus initial stage with proposed levels and the RoSH framework as an aid.
    page.get_by_role("link", name="Assessments", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start an assessment stage").click()
    page.get_by_role("group", name="Type of assessment").get_by_label("AssetPlus").check()
    page.get_by_label("Stage").select_option("initial")
    page.get_by_label("Proposed RoSH level").select_option("medium")
    page.get_by_label("Proposed SaW level").select_option("low")
    page.get_by_label("Proposed LoR level").select_option("medium")
    page.get_by_label("RoSH rationale").fill(
        "Fictional: harm to peers in a group; protective family support."
    )
    page.get_by_label("SaW rationale").fill("Fictional: settled at home and school.")
    page.get_by_label("LoR rationale").fill("Fictional: two previous outcomes.")
    assert_accessible(page)
    shot(page, "13-assessment-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="AssetPlus: Initial assessment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Request sign-off").click()
    assert_accessible(page)
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.locator(".govuk-tag", has_text="Waiting for sign-off").first).to_be_visible()
    shot(page, "14-assessment-requested")
    sign_out(page)

    # The team manager sees it waiting on their home page and signs it off from the queue.
    sign_in(page, live_server, "tm")
    page.get_by_role("link", name="My work", exact=True).click()  # Sign-off sits under My work
    page.get_by_role("link", name="Sign-off", exact=True).click()
    assert_accessible(page)
    shot(page, "15-sign-off-queue")
    page.get_by_role("link", name="Robin Journeytest").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Complete stage").click()
    page.get_by_role("group", name="Do you agree with the proposed levels?").get_by_label("Yes").check()
    page.get_by_label("Comments on the stage").fill("Agree Medium RoSH; CMM to be booked within 11 weeks.")
    assert_accessible(page)
    shot(page, "16-complete-stage")
    page.get_by_role("button", name="Complete stage").click()
    expect(page.locator(".govuk-tag", has_text="Completed").first).to_be_visible()
    assert_accessible(page)

    assessment = Assessment.objects.get(child=child)
    assert assessment.status == Assessment.Status.COMPLETED and assessment.completed_by == team_manager
    met = Obligation.objects.get(child=child, code="assetplus.due")
    assert met.status == "met" and met.met_on == today
    assert child.events.filter(source=f"assessment:{assessment.pk}").exists()


def test_girl_to_male_case_manager_needs_rationale(live_server, page, team_manager, north):
    """003 §2.2: the allocation cannot be confirmed without a rationale recorded after consulting the child."""
    girl = ChildFactory(
        team=north,
        case_manager=None,
        first_name="Sam",
        last_name="Allocationtest",
        gender_identity=Gender.FEMALE,
    )
    girl.rosh = girl.saw = RiskLevel.LOW
    girl.save()
    male = UserFactory(
        username="cm.male",
        first_name="Jordan",
        last_name="Workerexample",
        role=Role.CASE_MANAGER,
        team=north,
        gender=Gender.MALE,
        line_manager=team_manager,
    )
    sign_in(page, live_server, "tm")
    page.goto(f"{live_server.url}/children/{girl.pk}/allocation/")
    assert_accessible(page)
    page.get_by_role("button", name="Allocate or reallocate").click()
    page.get_by_label("Worker", exact=True).select_option(str(male.pk))
    page.get_by_role("group", name="Role").get_by_label("Case manager").check()
    page.get_by_label("Reason for the allocation").fill("Fictional: new Referral Order, North locality.")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the allocation against policy")).to_be_visible()
    assert_accessible(page)
    shot(page, "17-allocation-checks")

    page.get_by_role("button", name="Confirm allocation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("consult")
    assert_accessible(page)
    shot(page, "18-allocation-rationale-missing")
    assert not Allocation.objects.filter(child=girl).exists()

    page.locator("textarea").first.fill(
        "Fictional: Sam asked for Jordan, who worked with her before; agreed with her."
    )
    page.get_by_role("button", name="Confirm allocation").click()
    expect(page.get_by_role("heading", name="Who holds this case")).to_be_visible()
    assert_accessible(page)
    allocation = Allocation.objects.get(child=girl)
    assert allocation.worker == male
    assert any(c.get("rationale") for c in allocation.checks)
