"""Issue 7 in a real browser, with axe-core on every page visited: an internal transfer between locality
teams (003 §11) from proposal to the three-way meeting.

The case manager proposes a move to South with the §11.2 considerations and the §11.3 home visit and
review assessment; North's team manager endorses it; South's team manager allocates a case manager from the
Transfers home page. The child's header still names North and the original case manager as responsible
(§11.6-§11.7); only when the three-way meeting with the child is recorded does it name South and the new
case manager (§11.8).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Allocation, Gender, RiskLevel, Role
from demo.factories import ChildFactory, UserFactory
from transfers.models import InternalTransfer

from .conftest import assert_accessible
from .test_case_work import fill_date, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_internal_transfer_from_proposal_to_three_way_meeting(
    live_server, page, case_manager, team_manager, north, south
):
    """Responsibility stays with North until the three-way meeting, then switches to South."""
    today = timezone.localdate()
    south_tm = UserFactory(
        username="tm.south", role=Role.TEAM_MANAGER, team=south, first_name="Sue", last_name="Southtm"
    )
    south_cm = UserFactory(
        username="cm.south",
        role=Role.CASE_MANAGER,
        team=south,
        line_manager=south_tm,
        first_name="Sam",
        last_name="Southcm",
    )
    child = ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Jo",
        last_name="Testmover",
        case_number="YJ710001",
        gender_identity=Gender.MALE,
        rosh=RiskLevel.LOW,
        saw=RiskLevel.MEDIUM,
        lor=RiskLevel.LOW,
    )
    Allocation.objects.create(
        child=child, worker=case_manager, started_on=datetime.date(2026, 1, 5), allocated_by=team_manager
    )
    header = page.locator(".moj-identity-bar")
    north_line = f"Responsible: North locality team, {case_manager.get_full_name()}"

    # 1. The case manager proposes the transfer from the child's Transfers tab.
    sign_in(page, live_server, case_manager.username)
    page.goto(f"{live_server.url}/children/{child.pk}/transfers/")
    expect(page.get_by_role("heading", name="Transfers", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Propose a transfer to another locality team").click()
    expect(page.get_by_role("heading", name="Propose a transfer to another locality team")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Locality team to transfer to").select_option(label="South locality team")
    page.get_by_label("New address").fill("12 Meadow Road, Southtown, ST2 4AB")
    page.get_by_label("Long term or permanent").check()
    page.get_by_label("Effect on the child's needs and safety and wellbeing").fill(
        "Settled with grandmother."
    )
    page.get_by_label("Effect on the management of RoSH").fill("RoSH is low; no effect.")
    page.get_by_label("The child's thoughts and feelings about a change of worker").fill(
        "Jo would like a worker nearer the new home."
    )
    fill_date(page, "Home visit confirming the new address (optional)", today)
    fill_date(page, "Review assessment completed (optional)", today)
    page.get_by_role("button", name="Propose the transfer").click()
    expect(
        page.get_by_role("heading", name="Transfer from North locality team to South locality team")
    ).to_be_visible()
    expect(header).to_contain_text(north_line)
    expect(header).to_contain_text("Transfer to South locality team in progress")
    assert_accessible(page)
    shot(page, "transfer-proposed")
    sign_out(page)

    # 2. North's team manager endorses it (003 §11.4).
    sign_in(page, live_server, team_manager.username)
    page.goto(f"{live_server.url}/children/{child.pk}/transfers/")
    page.get_by_role("link", name="Transfer to South locality team in progress").click()
    page.get_by_role("button", name="Endorse or decline the transfer").click()
    assert_accessible(page)
    page.get_by_label("Endorse the transfer").check()
    page.get_by_label("Notes").fill("Agreed: a permanent move.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Endorsed: waiting for the receiving team to allocate")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # 3. South's team manager allocates from the Transfers home page.
    sign_in(page, live_server, south_tm.username)
    page.get_by_role("link", name="Caseload", exact=True).click()  # Transfers sits under Caseload
    page.get_by_role("link", name="Transfers", exact=True).click()
    expect(page.get_by_role("table", name="Incoming: to allocate or to meet")).to_contain_text("YJ710001")
    assert_accessible(page)
    shot(page, "transfers-home")
    page.get_by_role("link", name="YJ710001").click()
    page.get_by_role("button", name="Allocate a case manager").click()
    assert_accessible(page)
    page.get_by_label("New case manager").select_option(value=str(south_cm.pk))
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Allocated: waiting for the three-way meeting")).to_be_visible()
    # Still North's case until the three-way meeting (003 §11.7).
    expect(header).to_contain_text(north_line)
    expect(header).to_contain_text(
        f"North locality team and {case_manager.get_full_name()} remain responsible until the three-way meeting"
    )
    assert_accessible(page)
    shot(page, "transfer-allocated")
    child.refresh_from_db()
    assert (child.team, child.case_manager) == (north, case_manager)
    sign_out(page)

    # 4. The new case manager records the three-way meeting with the child: responsibility moves now.
    sign_in(page, live_server, south_cm.username)
    page.goto(f"{live_server.url}/children/{child.pk}/transfers/")
    expect(header).to_contain_text(north_line)
    page.get_by_role("link", name="Transfer to South locality team in progress").click()
    page.get_by_role("button", name="Record the three-way meeting").click()
    assert_accessible(page)
    fill_date(page, "Date of the three-way meeting", today)
    page.get_by_label("Yes: the meeting took place with the child").check()
    page.get_by_label("Notes (optional)").fill("Contact every Tuesday; ETE referral outstanding.")
    page.get_by_role("button", name="Record the three-way meeting").click()
    expect(page.get_by_text("Transferred at the three-way meeting", exact=True)).to_be_visible()
    expect(header).to_contain_text(f"Responsible: South locality team, {south_cm.get_full_name()}")
    expect(header).not_to_contain_text("in progress")
    assert_accessible(page)
    shot(page, "transfer-completed")

    child.refresh_from_db()
    transfer = InternalTransfer.objects.get(child=child)
    assert transfer.status == InternalTransfer.Status.COMPLETED and transfer.meeting_on == today
    assert (child.team, child.case_manager) == (south, south_cm)
    assert child.obligations.get(code="transfer.three_way_meeting").status == "met"
