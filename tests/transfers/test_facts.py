"""Transfer records as facts (transfers/facts.py): host contacts count, withdrawn and rejected ask nothing."""

import datetime

import pytest

from cases.models import Obligation
from cases.services.core import child_obligations_refresh
from transfers.facts import transfer_facts
from transfers.models import CaretakingAgreement, HostContact, InternalTransfer, TransferIn

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


def _agreement(child, user, **kw):
    """A caretaking agreement from Monday 2 March 2026, first review by 1 June 2026 (003 App. B)."""
    values = {
        "child": child,
        "case_manager": user,
        "home_yjs": "Home YJS",
        "home_officer": "A. Officer",
        "starts_on": D(2026, 3, 2),
        "review_on": D(2026, 6, 1),
        "created_by": user,
    }
    values.update(kw)
    return CaretakingAgreement.objects.create(**values)


def _reviews(child, as_of):
    """The child's caretaking.review obligations as (due, status), in order."""
    child_obligations_refresh(child_id=child.pk, as_of=as_of)
    return [
        (o.due, o.status)
        for o in Obligation.objects.filter(child=child, code="caretaking.review").order_by("due")
    ]


def test_every_caretaking_review_is_a_fact_and_the_review_recurs(child, team_manager):
    """Revision 2 (003 §12.1): the review recurs every 3 months until caretaking ends. Two reviews
    recorded (29 May and 27 August 2026) meet the first two; the third is due 3 months after the second
    (27 November 2026, a Friday) and is overdue on 4 December."""
    _agreement(
        child,
        team_manager,
        reviewed_on=D(2026, 5, 29),
        review_dates=["2026-05-29", "2026-08-27"],
        review_on=D(2026, 11, 27),
    )
    facts = transfer_facts(child=child)
    assert [f["date"] for f in facts if f["type"] == "caretaking_reviewed"] == ["2026-05-29", "2026-08-27"]
    reviews = _reviews(child, D(2026, 12, 4))
    assert [status for _, status in reviews[:2]] == [Obligation.Status.MET, Obligation.Status.MET]
    assert reviews[2] == (D(2026, 11, 27), Obligation.Status.OVERDUE)


def test_caretaking_ended_stops_the_reviews(child, team_manager):
    """Caretaking ended (full transfer) on 1 September 2026: `caretaking_ended` is stated, and no review
    falls due after it (revision 2)."""
    _agreement(
        child,
        team_manager,
        reviewed_on=D(2026, 5, 29),
        review_dates=["2026-05-29"],
        review_on=D(2026, 8, 28),
        ended_on=D(2026, 9, 1),
        status=CaretakingAgreement.Status.FULL_TRANSFER,
    )
    assert {"type": "caretaking_ended", "date": "2026-09-01"} in transfer_facts(child=child)
    reviews = _reviews(child, D(2026, 12, 4))
    assert all(due <= D(2026, 9, 1) for due, _ in reviews)
    assert Obligation.Status.OVERDUE not in {status for due, status in reviews if due > D(2026, 9, 1)}
