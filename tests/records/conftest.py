"""Fixtures for subject access exports: a child with a corrected case note naming another child and a
member of staff's email address, a MAPPA record, and an export made by the service manager."""

import datetime

import pytest
from django.utils import timezone

from cases.services.core import event_correct
from demo.factories import ChildFactory, EventFactory
from mappa.models import Criterion
from mappa.services.records import mappa_record_create
from records.services import subject_access_render, subject_access_request


@pytest.fixture
def other_child(south):
    """Another child (South's), named in the first child's case note."""
    return ChildFactory(team=south, first_name="Quillon", last_name="Otherchild")


@pytest.fixture
def record(child, case_manager, colleague, other_child, team_manager):
    """The child's record: a case note corrected once (its first version names the other child by case
    number, the correction by name and gives a colleague's email), and a MAPPA record."""
    first = EventFactory(
        child=child,
        author=case_manager,
        summary="Met at the youth centre",
        details=f"Was with {other_child.case_number} at the youth centre.",
    )
    corrected = event_correct(
        event=first,
        author=case_manager,
        event_type=first.event_type,
        occurred_on=first.occurred_on,
        summary="Met at the youth centre",
        details=(
            f"Was with {other_child.first_name} {other_child.last_name} at the youth centre. "
            f"Contact {colleague.email} or 0115 496 0123 to rearrange."
        ),
        reason="Named the wrong way",
    )
    mappa_record_create(
        child=child,
        user=team_manager,
        criterion=Criterion.REGISTERED_SEXUAL_OFFENDER,
        offence="An offence",
        identified_on=timezone.localdate() - datetime.timedelta(days=3),
        level=1,
    )
    return corrected


def make_export(*, child, user, reference="SAR-0001"):
    """Ask for an export and render it (as the outbox's handler does)."""
    asked = subject_access_request(
        user=user,
        child=child,
        requester="The child",
        reference=reference,
        received_on=timezone.localdate(),
        reason="The child asked for their whole record; identity checked in person.",
    )
    return subject_access_render(export_id=asked.pk)


@pytest.fixture
def export(record, child, service_manager):
    """An export of the child's record by the service manager, rendered."""
    return make_export(child=child, user=service_manager)
