"""Issue 5 in a real browser, with axe-core on every page visited.

A team manager books an overdue risk review from the child's "What is due", records it held, writes the
CMM Record (001 App. 4), agrees an action for the case manager, finalises it and downloads the PDF; the
child's CMM obligations turn met and the next review falls due 11 weeks on. The case manager then sees
the action on "My work" and marks it done.
"""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Child, Obligation, Programme, RiskLevel
from cases.services.core import child_obligations_refresh
from core.models import Task
from demo.factories import ChildFactory
from meetings.models import Meeting

from .conftest import assert_accessible
from .test_case_work import fill_date, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 23 November 2026, mid-afternoon, so a meeting at 10:00 today is in the past.
NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)
TODAY = NOW.date()


def test_team_manager_runs_a_risk_review_to_pdf(live_server, page, case_manager, team_manager, north):
    """Book from the due item, record, finalise, download the PDF; obligations met, next review due."""
    with time_machine.travel(NOW, tick=True):
        start = datetime.date(2026, 8, 3)  # risk review due 19 Oct 2026 (11 weeks): overdue today
        child = ChildFactory(
            team=north,
            case_manager=case_manager,
            first_name="Jordan",
            last_name="Testmeeting",
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
        review = child.obligations.get(code="cmm.risk_review")
        assert review.status == Obligation.Status.OVERDUE and review.due == datetime.date(2026, 10, 19)

        sign_in(page, live_server, team_manager.username)
        page.goto(f"{live_server.url}/children/{child.pk}/due/")
        assert_accessible(page)
        page.get_by_role("link", name=review.title).first.click()

        # Booking, from the due item: the type is chosen and the due item named (001 §6.2).
        expect(page.get_by_text(f"Booking for: {review.title}")).to_be_visible()
        assert_accessible(page)
        fill_date(page, "Date", TODAY)
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Venue").fill("North office, room 2")
        page.get_by_label("Why the meeting is booked with less than two weeks' notice").fill(
            "The review is overdue: holding it today with the core panel."
        )
        page.get_by_role("group", name="Invited agency 1 (optional)").get_by_label("Name").fill("PC Example")
        page.get_by_role("group", name="Invited agency 1 (optional)").get_by_label("Agency").fill("Police")
        page.get_by_role("group", name="Invited agency 1 (optional)").get_by_label("Email address").fill(
            "pc.example@example.invalid"
        )
        page.get_by_label("Why no standing panel member is invited").fill("The panel member is on leave")
        page.get_by_label("Reason for the meeting (optional)").fill("11-weekly review of RoSH and SaW")
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        expect(page.get_by_text("Meeting booked")).to_be_visible()
        assert_accessible(page)
        shot(page, "meeting-booked")
        meeting = Meeting.objects.get(child=child)
        assert meeting.for_obligation == "cmm.risk_review"

        # Held, with attendees; then straight on to the record, every section on one page (issue 20).
        page.get_by_role("link", name="Record that the meeting was held").click()
        assert_accessible(page)
        fill_date(page, "Date the meeting was held", TODAY)
        page.get_by_label("Time the meeting started").fill("10:00")
        page.get_by_role("button", name="Save and write the record").click()
        expect(page.get_by_role("heading", level=1, name="Write the record")).to_be_visible()

        # The App. 4 sections, each reached from the progress summary at the top of the page.
        sections = [
            (
                "Current intervention plan and progress or barriers",
                {"Details of the current intervention plan": "College place kept; evenings are the barrier."},
            ),
            (
                "Current circumstances, diversity and updates from other agencies",
                {"Current circumstances": "Settled at home; no new incidents since the assessment."},
            ),
            (
                "The child's and parent/carer's views",
                {"How do the child and their parent or carer view": "Jordan says the sessions help."},
            ),
            (
                "RoSH, SaW and LoR assessment, and strengths",
                {
                    "Risk of Serious Harm (RoSH) assessment": "Risk linked to peers in the evenings.",
                    "Safety and Wellbeing (SaW) assessment": "Safe at home; concerns when out late.",
                    "Likelihood of Re-offending (LoR)": "Reduced with college engagement.",
                },
            ),
            ("Risk management plan", {"Risk management plan": "Curfew checks; weekly police liaison."}),
        ]
        for title, fields in sections:
            page.locator(".govuk-task-list").get_by_role("link", name=title).click()
            for label, value in fields.items():
                page.get_by_label(label).first.fill(value)
        page.locator(".govuk-task-list").get_by_role("link", name="Revised risk levels").click()
        page.get_by_role("group", name="Revised Risk of Serious Harm (RoSH)").get_by_label(
            "High", exact=True
        ).check()
        assert_accessible(page)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Record saved")).to_be_visible()

        # An action for the case manager, recorded on the child's file (the 48-hour rule).
        page.locator(".govuk-task-list").get_by_role("link", name="Agreed actions").click()
        page.get_by_label("Action").first.fill("Refer to the substance misuse worker")
        page.get_by_label("By whom: a colleague").select_option(str(case_manager.pk))
        fill_date(page, "By when", TODAY + datetime.timedelta(days=7))
        page.get_by_role("button", name="Add the action").click()
        expect(
            page.get_by_role("cell", name="Refer to the substance misuse worker", exact=True)
        ).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Record the actions on the child's file").click()

        # Finalise: the record is complete, then the PDF.
        page.goto(f"{live_server.url}/children/{child.pk}/meetings/{meeting.pk}/")
        expect(page.get_by_text("Recorded on the child's file")).to_be_visible()
        page.get_by_role("link", name="Finalise the record").click()
        assert_accessible(page)
        shot(page, "meeting-finalise")
        page.get_by_role("button", name="Finalise the record").click()
        expect(page.get_by_role("heading", name="Record finalised")).to_be_visible()
        assert_accessible(page)
        # "The record is ready as a PDF: download the record", or, while the worker is still producing
        # it, "ready to download in a moment": either link gives the PDF (rendered there and then if
        # need be).
        with page.expect_download() as download:
            page.locator("main a[href$='/record.pdf']").first.click()
        pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert "Case Management Meeting (CMM) Record" in text
        assert "Refer to the substance misuse worker" in text
        assert "OFFICIAL-SENSITIVE" in text

        # The child's obligations: the overdue review met (late), the actions and minutes met, the
        # revised level now the child's, and the next review 11 weeks after the meeting (000 §1.3).
        child.refresh_from_db()
        assert child.rosh == RiskLevel.HIGH
        page.goto(f"{live_server.url}/children/{child.pk}/due/")
        assert_accessible(page)
        shot(page, "meeting-due-after")
        statuses = {(o.code, o.due, o.status) for o in child.obligations.all()}
        assert ("cmm.risk_review", datetime.date(2026, 10, 19), "met_late") in statuses
        assert ("cmm.risk_review", datetime.date(2027, 2, 8), "open") in statuses
        assert {("cmm.actions_recorded", "met"), ("cmm.minutes", "met")} <= {(c, s) for c, _, s in statuses}
        expect(page.get_by_text("8 Feb 2027")).to_be_visible()
        sign_out(page)

        # The case manager sees the action on "My work" and marks it done.
        sign_in(page, live_server, case_manager.username)
        task_rows = page.get_by_role("row").filter(has_text="Refer to the substance misuse worker")
        expect(task_rows).to_have_count(1)
        assert_accessible(page)
        shot(page, "meeting-my-work")
        task_rows.get_by_role("button", name="Mark as done").click()
        expect(task_rows).to_have_count(0)
        assert Task.objects.get(child=child).done_on == TODAY
