"""Edges found in review: exports outside the service, who sees a child in transfer, repeated reviews."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Role
from demo.factories import ChildFactory, UserFactory
from mappa.models import Criterion
from mappa.services import records as mappa_services
from transfers.models import CaretakingAgreement, InternalTransfer, TransferIn
from transfers.services import external as external_services

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_register_spreadsheet_never_carries_a_formula_or_a_control_character(client, north, team_manager):
    """A name typed as a formula stays text; a control character is dropped rather than failing the export."""
    for first, last in (('=HYPERLINK("http://x","c")', "Formula"), ("Al\x1bex", "Control")):
        child = ChildFactory(team=north, first_name=first, last_name=last)
        mappa_services.mappa_record_create(
            child=child,
            user=team_manager,
            criterion=Criterion.OTHER_DANGEROUS,
            offence="Robbery",
            identified_on=D(2026, 10, 1),
            level=1,
        )
    client.force_login(team_manager)
    response = client.get(reverse("mappa_export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any("Alex" in str(cell.value) for cell in cells)


def test_only_the_receiving_managers_see_a_proposed_transfer(
    client, north, south, team_manager, case_manager
):
    """003 §11.4: the receiving TM/AP see the child to allocate; their students and business support do not."""
    child = ChildFactory(team=north, case_manager=case_manager)
    receiving_tm = UserFactory(username="tm.s", role=Role.TEAM_MANAGER, team=south)
    student = UserFactory(username="st.s", role=Role.STUDENT, team=south, line_manager=receiving_tm)
    InternalTransfer.objects.create(
        child=child, from_team=north, to_team=south, proposed_by=case_manager, proposed_on=D(2026, 11, 2)
    )
    url = reverse("child_detail", args=[child.pk])
    client.force_login(receiving_tm)
    assert client.get(url).status_code == 200
    client.force_login(student)
    assert client.get(url).status_code == 404


def test_a_second_caretaking_review_does_not_make_the_first_late(north, team_manager, case_manager):
    """caretaking.review is met by the first review; a later one is recorded without moving it."""
    child = ChildFactory(team=north, case_manager=case_manager)
    agreement = CaretakingAgreement.objects.create(
        child=child,
        case_manager=case_manager,
        home_yjs="Elsewhere YJS",
        home_officer="A. Officer",
        starts_on=D(2026, 1, 5),
        review_on=D(2026, 4, 3),
        created_by=team_manager,
    )
    for day in (D(2026, 3, 2), D(2026, 6, 1)):
        external_services.caretaking_review(
            agreement=agreement, user=team_manager, reviewed_on=day, notes="Reviewed with the home YJS"
        )
        agreement.refresh_from_db()
    assert agreement.reviewed_on == D(2026, 3, 2)


def test_a_summary_follows_its_child_once_the_child_exists(client, north, south, team_manager):
    """The Transfer In Summary names the child's safeguarding and offences: it is read with the child."""
    child = ChildFactory(team=south)
    summary = TransferIn.objects.create(
        child=child,
        team=north,
        received_on=D(2026, 11, 2),
        first_name="Ray",
        last_name="Example",
        date_of_birth=D(2010, 1, 1),
        home_yjs="Elsewhere YJS",
        home_case_id="E1",
        proposed_address="1 Example Street",
        order_type="YRO",
        offence_details="Theft",
        recorded_by=team_manager,
    )
    student = UserFactory(username="st.n", role=Role.STUDENT, team=north, line_manager=team_manager)
    client.force_login(student)
    assert client.get(reverse("transfer_in_detail", args=[summary.pk])).status_code == 404
