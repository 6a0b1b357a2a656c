"""Erasure (retention/, UK GDPR Art. 17): the import's rows about an erased child. Its ImportedRecord
rows (the old system's ids of its records, and its own case number) are deleted, and every stored run
report's rows naming its case number are removed, with it from the list of children skipped."""

from __future__ import annotations

from cases.models import Allocation, Assessment, Child, Contact, Event, LeaveCover, Plan, Programme
from core.erasure import Owned
from courts.models import AwaitingHearing, CrownCourtTracking
from mappa.models import MappaLevel, MappaRecord
from meetings.models import BailApplication, FurtherOffence, Meeting
from outcomes.models import (
    Accommodation,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)
from supervision.models import CaseDiscussion, OversightDecision, OversightHolder
from transfers.models import CaretakingAgreement, InternalTransfer, TransferIn, TransferOut

from .models import ImportedRecord, ServiceImport

# The model each kind of ImportedRecord points at (a child's records).
KIND_MODELS = {
    "children": Child,
    "programmes": Programme,
    "allocations": Allocation,
    "assessments": Assessment,
    "plans": Plan,
    "contacts": Contact,
    "case_notes": Event,
    "cmms": Meeting,
    "case_discussions": CaseDiscussion,
    "mappa": MappaRecord,
    "mappa_levels": MappaLevel,
    "internal_transfers": InternalTransfer,
    "transfers_in": TransferIn,
    "caretaking": CaretakingAgreement,
    "transfers_out": TransferOut,
    "oversight_decisions": OversightDecision,
    "oversight_holders": OversightHolder,
    "leave_cover": LeaveCover,
    "crown_court": CrownCourtTracking,
    "hearings_awaited": AwaitingHearing,
    "further_offences": FurtherOffence,
    "bail_applications": BailApplication,
    "accommodation": Accommodation,
    "education": Education,
    "special_needs": SpecialNeed,
    "health_needs": HealthNeed,
    "wider_services": WiderService,
    "offences": Offence,
    "victim_contacts": VictimContact,
}
CHUNK = 500


def _scrub(report: dict, numbers: set[str]) -> dict | None:
    """The report without the rows naming these case numbers, or None if it names none."""
    problems = report.get("problems", [])
    kept = [p for p in problems if p.get("case_number") not in numbers and p.get("value") not in numbers]
    skipped = [n for n in report.get("skipped_children", []) if n not in numbers]
    if len(kept) == len(problems) and len(skipped) == len(report.get("skipped_children", [])):
        return None
    return {**report, "problems": kept, "skipped_children": skipped}


def erase_imported(*, child_id: int, owned: Owned) -> int:
    """Delete the erased child's ImportedRecord rows and its rows in stored reports; how many rows went."""
    numbers = set(
        ImportedRecord.objects.filter(kind="children", object_id=child_id).values_list(
            "external_id", flat=True
        )
    )
    deleted = 0
    for kind, model in KIND_MODELS.items():
        pks = sorted({child_id} if model is Child else set(owned.get(model, ())))
        for start in range(0, len(pks), CHUNK):
            deleted += ImportedRecord.objects.filter(
                kind=kind, object_id__in=pks[start : start + CHUNK]
            ).delete()[0]
    if numbers:
        for run in ServiceImport.objects.exclude(report={}).only("pk", "report").iterator():
            scrubbed = _scrub(run.report or {}, numbers)
            if scrubbed is not None:
                ServiceImport.objects.filter(pk=run.pk).update(report=scrubbed)
    return deleted
