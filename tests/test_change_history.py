"""Issue 18: change history is kept for every record type that holds case content (django-simple-history),
so what a record said before each change can be shown; and a change names who made it."""

import datetime

import pytest
from django.apps import apps

from transfers.models import HostContact

# Every model holding case content: the child's record, and each app's records about a child or a worker.
WITH_HISTORY = [
    "cases.Child",
    "cases.Programme",
    "cases.Assessment",
    "cases.Plan",
    "cases.Contact",
    "cases.User",
    "meetings.Meeting",
    "supervision.SupervisionSession",
    "supervision.CaseDiscussion",
    "supervision.DiscussionAction",
    "supervision.OversightDecision",
    "supervision.OversightHolder",
    "supervision.ClosureCheck",
    "transfers.InternalTransfer",
    "transfers.TransferIn",
    "transfers.TransferOut",
    "transfers.CaretakingAgreement",
    "transfers.HostContact",
    "courts.CrownCourtTracking",
    "courts.AwaitingHearing",
    "mappa.MappaRecord",
    "mappa.MappaLevel",
]


@pytest.mark.parametrize("label", WITH_HISTORY)
def test_the_record_type_keeps_its_history(label):
    """The model has a history manager (a historical table), so each change is kept."""
    model = apps.get_model(label)
    assert hasattr(model, "history"), label


@pytest.mark.django_db
def test_each_change_is_kept_with_what_it_said(child, team_manager):
    """Two saves of a host contact: both versions are kept, newest first, with what each said."""
    contact = HostContact.objects.create(
        child=child, date=datetime.date(2026, 11, 2), kind="phone", host_worker="A. Host", summary="Seen",
        recorded_by=team_manager,
    )  # fmt: skip
    contact.summary = "Seen at home"
    contact.save()
    assert [h.summary for h in contact.history.all()] == ["Seen at home", "Seen"]
