"""Issue 17 in a real browser, with axe-core on every page visited.

- A CMM booked with every mistake at once (1 January 2099, no venue, no standing panel member) shows all
  the errors together; put right, it books; the record's next meeting set later than the rules' due
  date is warned about; the intervention plan section is on the record (000 App. A).
- A combined CSC meeting CSC held last week is recorded after the event, with no YJS notice reason.
- Another team's advanced practitioner, named as the OOC panel AP, signs off an OOCD assessment.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Assessment, Child, Programme, RiskLevel, Role
from cases.services import assessments as assessment_services
from cases.services.core import child_obligations_refresh
from demo.factories import ChildFactory, UserFactory
from meetings.models import Meeting

from .conftest import assert_accessible
from .test_case_work import PASSWORD, fill_date, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)  # Monday 23 November 2026
TODAY = NOW.date()


def _medium_yro_child(north, case_manager, team_manager, **kw) -> Child:
    """A North child on a 12-month YRO from Mon 3 Aug 2026 at Medium: risk review due Mon 19 Oct 2026."""
    start = datetime.date(2026, 8, 3)
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        rosh=RiskLevel.MEDIUM,
        saw=RiskLevel.MEDIUM,
        lor=RiskLevel.MEDIUM,
        **kw,
    )
    Child.history.filter(id=child.pk).update(
        history_date=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    )
    Programme.objects.create(
        child=child, kind=Programme.Kind.YRO, start_date=start, length_months=12, created_by=team_manager
    )
    child_obligations_refresh(child_id=child.pk)
    return child


def test_cmm_booking_errors_at_once_then_the_record(
    live_server, page, case_manager, team_manager, colleague, north
):
    with time_machine.travel(NOW, tick=True):
        child = _medium_yro_child(
            north, case_manager, team_manager, first_name="Jordan", last_name="Bookingerrors"
        )
        sign_in(page, live_server, team_manager.username)
        page.goto(
            f"{live_server.url}/children/{child.pk}/meetings/book/?kind=risk_review&obligation=cmm.risk_review"
        )
        expect(page.get_by_text("A meeting can be booked up to six months ahead")).to_be_visible()

        # Every mistake at once: 2099, no venue, no standing panel member, short notice not at issue.
        fill_date(page, "Date", datetime.date(2099, 1, 1))
        page.get_by_label("Start time").fill("10:00")
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_text("Date of the meeting must be within six months of today")).to_be_visible()
        expect(summary.get_by_text("Enter a venue or an online meeting link")).to_be_visible()
        expect(summary.get_by_text("Choose at least one standing panel member")).to_be_visible()
        assert not Meeting.objects.exists()
        assert_accessible(page)
        shot(page, "issue17-cmm-booking-errors")

        # Put right: a date after the due item's (a warning, not a refusal), a venue, a panel member.
        fill_date(page, "Date", TODAY + datetime.timedelta(days=17))
        page.get_by_label("Venue").fill("North office, room 2")
        page.get_by_role("group", name="Standing panel members").get_by_label(
            "Coralie Colleague", exact=False
        ).check()
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        expect(page.get_by_text("Meeting booked")).to_be_visible()
        expect(
            page.get_by_text("later than “CMM to review RoSH/SaW held” is due", exact=False)
        ).to_be_visible()
        assert_accessible(page)
        meeting = Meeting.objects.get(child=child)
        assert list(meeting.panel_members.all()) == [colleague]

    # The meeting is held on Thu 10 Dec 2026: the next risk review is due 11 weeks on, Thu 25 Feb 2027.
    held_at = datetime.datetime(2026, 12, 10, 15, 0, tzinfo=LONDON)
    with time_machine.travel(held_at, tick=True):
        sign_in(page, live_server, team_manager.username)  # the session from 17 days ago has expired
        page.goto(f"{live_server.url}/children/{child.pk}/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Record that the meeting was held").click()
        fill_date(page, "Date the meeting was held", held_at.date())
        page.get_by_label("Time the meeting started").fill("10:00")
        page.get_by_role("button", name="Save and write the record").click()

        # The record on one page (issue 20): the plan and the next meeting, saved together.
        page.locator(".govuk-task-list").get_by_role(
            "link", name="Current intervention plan and progress or barriers"
        ).click()
        assert_accessible(page)
        page.get_by_label("Details of the current intervention plan").fill(
            "College place kept; evenings are the barrier."
        )
        page.locator(".govuk-task-list").get_by_role(
            "link", name="Date, time and venue of the next meeting"
        ).click()
        expect(page.get_by_text("The rules ask for the child's next review by")).to_be_visible()
        fill_date(page, "Date of the next meeting (if applicable)", datetime.date(2027, 3, 11))
        page.get_by_label("Time of the next meeting").fill("10:00")
        page.get_by_role("button", name="Save", exact=True).click()
        page.goto(f"{live_server.url}/children/{child.pk}/meetings/{meeting.pk}/")
        warning = page.locator("#next-meeting-late")
        expect(warning).to_contain_text("due by 25 February 2027")
        expect(page.get_by_text("College place kept; evenings are the barrier.")).to_be_visible()
        assert_accessible(page)
        shot(page, "issue17-record-next-meeting-late")
        page.get_by_role("link", name="Date, time and venue of the next meeting").click()
        expect(page.locator("#next-meeting-late")).to_be_visible()
        assert_accessible(page)
        shot(page, "issue17-next-meeting-section")


def test_combined_csc_meeting_recorded_after_it_happened(
    live_server, page, case_manager, team_manager, north
):
    with time_machine.travel(NOW, tick=True):
        child = _medium_yro_child(
            north, case_manager, team_manager, first_name="Casey", last_name="Cscmeeting", open_to_csc=True
        )
        sign_in(page, live_server, team_manager.username)
        page.goto(f"{live_server.url}/children/{child.pk}/meetings/")
        page.get_by_role("button", name="Record a combined CSC meeting").click()
        assert_accessible(page)

        # CSC held a core group last Tuesday; first try without the decision or a venue.
        last_week = TODAY - datetime.timedelta(days=6)
        fill_date(page, "Date", last_week)
        page.get_by_label("Start time").fill("14:00")
        page.get_by_label("CSC meeting this is combined with").select_option("core_group")
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary.get_by_text("Choose the decision about the CMM")).to_be_visible()
        expect(summary.get_by_text("Enter a venue or an online meeting link")).to_be_visible()
        expect(summary.get_by_text("must be today or in the future")).to_have_count(0)
        expect(summary.get_by_text("less than two weeks' notice")).to_have_count(0)
        assert_accessible(page)
        shot(page, "issue17-csc-errors")

        page.get_by_label("Venue").fill("Children's Social Care, County Hall")
        page.get_by_label("Combine: TM or AP attends the CSC meeting", exact=False).check()
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        expect(page.get_by_text("Combined CSC meeting recorded")).to_be_visible()
        assert_accessible(page)
        meeting = Meeting.objects.get(child=child)
        assert meeting.is_csc_combined and meeting.short_notice_reason == ""

        page.get_by_role("link", name="Record that the meeting was held").click()
        fill_date(page, "Date the meeting was held", last_week)
        page.get_by_label("Time the meeting started").fill("14:00")
        page.get_by_role("button", name="Save and write the record").click()
        expect(page.get_by_text("Meeting recorded as held")).to_be_visible()
        assert_accessible(page)
        shot(page, "issue17-csc-held")
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD


def test_oocd_signed_off_by_another_teams_panel_ap(live_server, page, case_manager, north, south):
    panel_ap = UserFactory(
        username="panelap", role=Role.ADVANCED_PRACTITIONER, team=south, first_name="Pia", last_name="Panelap"
    )
    panel_ap.set_password(PASSWORD)
    panel_ap.save()
    child = ChildFactory(team=north, case_manager=case_manager, first_name="Olly", last_name="Oocdchild")
    assessment = assessment_services.assessment_create(
        child=child,
        author=case_manager,
        data={"kind": Assessment.Kind.OOCD, "stage": Assessment.Stage.INITIAL, "rosh": RiskLevel.LOW,
              "saw": RiskLevel.MEDIUM, "lor": RiskLevel.LOW, "summary": "For Friday's OOC panel."},
    )  # fmt: skip

    # The case manager names the panel AP from South.
    sign_in(page, live_server, case_manager.username)
    page.goto(f"{live_server.url}/children/{child.pk}/assessments/{assessment.pk}/request-sign-off/")
    page.get_by_label("Who should sign it off?").select_option(
        label="Pia Panelap – Advanced practitioner (Band C), South locality team"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text("Sign-off requested")).to_be_visible()
    sign_out(page)

    # The South AP finds it in their queue, sees only the assessment, and completes it.
    sign_in(page, live_server, panel_ap.username)
    page.goto(f"{live_server.url}/sign-off/")
    assert_accessible(page)
    page.get_by_role("link", name="Out of court disposal assessment", exact=False).first.click()
    expect(page.locator("#panel-grant")).to_be_visible()
    expect(page.get_by_role("navigation", name="Child's record")).to_have_count(0)
    assert_accessible(page)
    shot(page, "issue17-oocd-panel-ap")
    page.get_by_role("button", name="Complete stage").click()
    assert_accessible(page)
    shot(page, "issue17-oocd-complete-form")
    page.get_by_role("group", name="Do you agree with the proposed levels?").get_by_label("Yes").check()
    page.locator("textarea[name=comments]").fill("Gatekept at the OOC panel.")
    page.get_by_role("button", name="Complete stage").click()
    expect(page.get_by_text("Stage completed")).to_be_visible()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED and assessment.completed_by == panel_ap
    # The child's record is not theirs to see.
    response = page.goto(f"{live_server.url}/children/{child.pk}/")
    assert response is not None and response.status == 404
