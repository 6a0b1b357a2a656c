"""Transfer records as facts (transfers/facts.py): host contacts count, withdrawn and rejected ask nothing."""

import datetime

import pytest

from cases.models import Obligation
from cases.services.core import child_obligations_refresh
from transfers.facts import transfer_facts
from transfers.models import HostContact, InternalTransfer, TransferIn

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_host_contact_is_a_contact(child, team_manager):
    """003 §12.8: the host YJS's contacts are logged against the child and count as contact."""
    HostContact.objects.create(
        child=child,
        date=D(2026, 11, 2),
        kind="phone",
        host_worker="A. Host",
        summary="Seen",
        recorded_by=team_manager,
    )
    assert {"type": "contact", "date": "2026-11-02", "kind": "phone"} in transfer_facts(child=child)
    child_obligations_refresh(child_id=child.pk, as_of=D(2026, 11, 20))


def test_a_withdrawn_transfer_states_nothing(child, team_manager, south):
    """A withdrawn internal transfer no longer asks the receiving team to allocate (003 §11.4)."""
    InternalTransfer.objects.create(
        child=child,
        status=InternalTransfer.Status.WITHDRAWN,
        from_team=child.team,
        to_team=south,
        proposed_by=team_manager,
        proposed_on=D(2026, 11, 2),
        endorsed_on=D(2026, 11, 3),
    )
    assert transfer_facts(child=child) == []
    child_obligations_refresh(child_id=child.pk, as_of=D(2026, 11, 20))
    assert not Obligation.objects.filter(child=child, code="transfer.allocate").exists()


def test_a_rejected_transfer_in_needs_no_confirmation(child, team_manager):
    """003 §12.4: a rejected request is communicated with reasons; no supervision requirements follow."""
    TransferIn.objects.create(
        child=child,
        team=child.team,
        status=TransferIn.Status.REJECTED,
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
    assert transfer_facts(child=child) == []
