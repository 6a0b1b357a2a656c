"""Issue 6 in a real browser, with axe-core on every page visited.

A team manager prepares for a case manager's overdue supervision, records it with two case discussions
(001 App. 5), writes the Record of Supervision (000 App. C), finalises it and downloads the PDF. The
worker's next supervision falls due six weeks on (000 §4.1) and both children's case discussion
obligations turn met (000 §4.3), each with a "Management Oversight - Supervision" event (004 §7).
"""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Event, EventType, Obligation, Programme, RiskLevel
from cases.services.core import child_obligations_refresh, event_create, worker_obligations_refresh
from demo.factories import ChildFactory
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession

from .conftest import assert_accessible
from .test_case_work import fill_date, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)  # Monday
TODAY = NOW.date()


def _child(north, case_manager, team_manager, last_name, case_number):
    """A YRO child whose AssetPlus was completed in June: six-weekly case discussions overdue since August."""
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Sam",
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
    event_create(
        child=child,
        author=case_manager,
        event_type=EventType.ASSETPLUS_COMPLETION,
        occurred_on=datetime.date(2026, 6, 19),
        summary="AssetPlus completed and signed off",
    )
    child_obligations_refresh(child_id=child.pk, as_of=TODAY)
    return child


def test_team_manager_records_a_supervision_with_two_case_discussions(
    live_server, page, case_manager, team_manager, north
):
    """Prepare, record, discuss two cases, finalise: the next supervision and the discussions update."""
    with time_machine.travel(NOW, tick=True):
        case_manager.date_joined = timezone.make_aware(datetime.datetime(2026, 8, 3, 9))
        case_manager.save()
        SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=datetime.date(2026, 9, 14),
            method=SupervisionMethod.ONE_TO_ONE,
            status=SupervisionSession.Status.FINALISED,
            finalised_on=datetime.date(2026, 9, 14),
            created_by=team_manager,
        )
        worker_obligations_refresh(worker_id=case_manager.pk, as_of=TODAY)
        overdue = Obligation.objects.get(worker=case_manager, code="supervision.staff", status="overdue")
        assert overdue.due == datetime.date(2026, 10, 26)  # 6 weeks after 14 Sep (000 §4.1)
        first = _child(north, case_manager, team_manager, "Testsupone", "YJ610001")
        second = _child(north, case_manager, team_manager, "Testsuptwo", "YJ610002")
        for child in (first, second):
            assert child.obligations.filter(code="case_discussion.due", status="overdue").exists()

        sign_in(page, live_server, team_manager.username)
        page.get_by_role("link", name="Supervision", exact=True).click()
        expect(page.get_by_role("heading", name="Staff you supervise")).to_be_visible()
        assert_accessible(page)
        shot(page, "supervision-home")

        # Prepare: the supervisee's cases with their levels, due items and last discussion (000 §4.3, 002).
        page.get_by_role(
            "link", name=f"Prepare for the supervision of {case_manager.get_full_name()}"
        ).click()
        expect(page.get_by_text("YJ610001", exact=True)).to_be_visible()
        expect(page.get_by_text("YJ610002", exact=True)).to_be_visible()
        assert_accessible(page)
        shot(page, "supervision-prepare")

        page.get_by_role("button", name="Record this supervision").click()
        assert_accessible(page)
        fill_date(page, "Date of supervision", TODAY)
        page.get_by_label("1:1 in person").check()
        page.get_by_role("button", name="Record the supervision").click()
        expect(page.get_by_role("heading", name="Record of Supervision")).to_be_visible()
        assert_accessible(page)
        shot(page, "supervision-session")

        # The App. C agenda and two Case Discussion Records, all on the record's one page (issue 20).
        page.get_by_label("1. Personal Wellbeing").fill("Back from leave, managing workload well.")
        page.get_by_label("5. Training and Development").fill("AIM3 training booked for January.")
        for number, (child, overview) in enumerate(
            ((first, "Engaging well; ETE place confirmed."), (second, "Missed two sessions.")), start=1
        ):
            if number > 1:
                page.get_by_role("button", name="Add another case discussion").click()
                assert_accessible(page)
            group = page.get_by_role("group", name=f"Case discussion {number}", exact=True)
            group.get_by_label("Child discussed").select_option(str(child.pk))
            group.get_by_label("Case overview / progress of case").fill(overview)
            group.get_by_label("Exit strategy considerations").fill("Plan the move to the youth club offer.")
        fill_date(page, "Date of next supervision", datetime.date(2027, 1, 4))
        page.get_by_label("Place (optional)").fill("North office")
        page.get_by_role("button", name="Save and check the record").click()
        expect(page.get_by_role("heading", name="Check the Record of Supervision")).to_be_visible()
        expect(page.get_by_text("Missed two sessions.")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("button", name="Finalise the record").click()
        expect(page.get_by_text("Finalised").first).to_be_visible()
        assert_accessible(page)
        shot(page, "supervision-finalised")

        with page.expect_download() as download:
            page.get_by_role("link", name="download the Record of Supervision").click()
        text = "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
        )
        assert "Youth Justice Service Record of Supervision" in text
        assert "AIM3 training booked for January." in text and "YJ610001" in text and "YJ610002" in text

        # The next supervision: the overdue one is met late today, the next due six weeks on (4 Jan 2027).
        page.get_by_role("link", name="Supervision", exact=True).click()
        row = page.get_by_role("row").filter(has_text=case_manager.get_full_name())
        expect(row.get_by_text("On track")).to_be_visible()
        expect(row.get_by_role("cell", name="4 Jan 2027", exact=True)).to_be_visible()
        statuses = dict(
            Obligation.objects.filter(worker=case_manager, code="supervision.staff").values_list(
                "due", "status"
            )
        )
        assert statuses[datetime.date(2026, 10, 26)] == "met_late"
        assert statuses[datetime.date(2027, 1, 4)] == "open"

        # Each child's case discussion is met and on the file as "Management Oversight - Supervision".
        for child in (first, second):
            discussion = CaseDiscussion.objects.get(child=child)
            assert discussion.status == CaseDiscussion.Status.RECORDED
            assert Event.objects.filter(
                child=child,
                event_type=EventType.MANAGEMENT_OVERSIGHT_SUPERVISION,
                source=f"discussion:{discussion.pk}",
            ).exists()
            # Due 31 Jul (6 weeks after 19 Jun), met late today; the next falls due 6 weeks on (4 Jan).
            chain = dict(child.obligations.filter(code="case_discussion.due").values_list("due", "status"))
            assert chain == {datetime.date(2026, 7, 31): "met_late", datetime.date(2027, 1, 4): "open"}
        page.goto(f"{live_server.url}/children/{first.pk}/oversight/")
        expect(page.get_by_text("Recorded", exact=True).first).to_be_visible()
        assert_accessible(page)
        shot(page, "supervision-child-oversight")
