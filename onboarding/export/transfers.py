"""The rows of transfers, caretaking, MAPPA levels and register shares, in the import format."""

from __future__ import annotations

from collections.abc import Iterator

from mappa.models import MappaLevel, RegisterShare
from transfers.models import CaretakingAgreement, InternalTransfer, TransferIn, TransferOut

from .base import BaseExporter, _yes


def _list(codes) -> str:
    return "; ".join(codes or [])


def _documents(documents: dict, answer: str) -> str:
    """The App. A documents with this answer, each missing one with its reason after a colon."""
    items = []
    for code, _label, _na in TransferIn.DOCUMENTS:
        entry = (documents or {}).get(code) or {}
        if entry.get("answer") == answer:
            reason = (entry.get("reason") or "").replace(";", ",").strip()
            items.append(f"{code}: {reason}" if reason else code)
    return "; ".join(items)


def _flag(value: bool) -> str:
    """A yes/no that is only worth saying when yes."""
    return "yes" if value else ""


class TransfersExporter(BaseExporter):
    def team(self, pk: int | None) -> str:
        return self.teams.get(pk, "") if pk else ""

    def mappa_levels_rows(self) -> Iterator[list]:
        """Every level set, oldest first (mappa.csv also carries the latest as the current level)."""
        ext, mappa = self.ext("mappa_levels"), self.ext("mappa")
        levels = MappaLevel.objects.select_related("record").order_by("set_on", "pk")
        for level in levels.iterator(chunk_size=2000):
            yield [
                ext(level.pk),
                self.case_numbers[level.record.child_id],
                mappa(level.record_id),
                level.level,
                level.set_on,
                level.reason,
                self.email(level.set_by_id),
            ]

    def internal_transfers_rows(self) -> Iterator[list]:
        ext = self.ext("internal_transfers")
        for t in InternalTransfer.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(t.pk),
                self.case_numbers[t.child_id],
                t.status,
                self.team(t.from_team_id),
                self.team(t.to_team_id),
                self.email(t.from_case_manager_id),
                self.email(t.proposed_by_id),
                t.proposed_on,
                t.new_address,
                t.move_term,
                t.time_left,
                t.saw_effect,
                t.rosh_effect,
                t.continuity,
                t.detriment,
                t.child_views,
                t.home_visit_on,
                t.review_assessment_on,
                t.mappa_endorsed_on,
                t.escalated_on,
                t.escalation_reason,
                self.email(t.endorsed_by_id),
                t.endorsed_on,
                t.decision_notes,
                self.email(t.to_case_manager_id),
                self.email(t.allocated_by_id),
                t.allocated_on,
                t.meeting_on,
                t.meeting_notes,
                _yes(t.enforcement_pending),
                t.enforcement_notes,
                t.closed_reason,
            ]

    def transfers_in_rows(self) -> Iterator[list]:
        """Transfers in with a child's record (one whose record was erased cannot be named)."""
        ext = self.ext("transfers_in")
        for t in TransferIn.objects.filter(child__isnull=False).order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(t.pk),
                self.case_numbers[t.child_id or 0],
                self.team(t.team_id),
                t.status,
                t.received_on,
                t.first_name,
                t.last_name,
                t.date_of_birth,
                t.home_yjs,
                t.home_case_id,
                t.proposed_address,
                t.living_with,
                t.living_with_relationship,
                t.parental_responsibility_name,
                t.parental_responsibility_address,
                t.social_worker,
                t.csc_advised,
                t.home_case_manager,
                t.order_type,
                t.order_start,
                t.order_length,
                _yes(t.iom),
                _yes(t.high_risk),
                t.high_risk_details,
                t.rosh,
                t.saw,
                t.lor,
                t.mappa_category,
                t.mappa_level,
                t.home_mappa_agreed,
                t.mappa_coordinator_alerted,
                _yes(t.safeguarding),
                t.safeguarding_details,
                _yes(t.child_protection_plan),
                t.child_protection_details,
                _yes(t.looked_after),
                t.offence_details,
                t.order_summary,
                _documents(t.documents, TransferIn.YesNoNa.NO),
                _documents(t.documents, TransferIn.YesNoNa.NA),
                t.missing_reasons,
                self.email(t.decided_by_id),
                t.decided_on,
                t.decision_reasons,
                t.communicated_on,
                t.requirements,
                t.requirements_confirmed_on,
                self.email(t.recorded_by_id),
            ]

    def caretaking_rows(self) -> Iterator[list]:
        ext, transfer_in = self.ext("caretaking"), self.ext("transfers_in")
        named = set(TransferIn.objects.filter(child__isnull=False).values_list("pk", flat=True))
        for a in CaretakingAgreement.objects.order_by("pk").iterator(chunk_size=2000):
            reviews = sorted(
                {*(a.review_dates or []), *([a.reviewed_on.isoformat()] if a.reviewed_on else [])}
            )
            yield [
                ext(a.pk),
                self.case_numbers[a.child_id],
                transfer_in(a.transfer_in_id) if a.transfer_in_id in named else "",
                a.status,
                self.email(a.case_manager_id),
                a.home_yjs,
                a.home_officer,
                a.starts_on,
                _list(a.our_responsibilities),
                a.our_other,
                _list(a.home_responsibilities),
                a.home_other,
                a.contact_frequency,
                a.review_on,
                _list(reviews),
                a.review_notes,
                a.host_signed_name,
                a.host_signed_role,
                a.host_signed_on,
                a.home_signed_name,
                a.home_signed_role,
                a.home_signed_on,
                a.ended_on,
                self.email(a.created_by_id),
            ]

    def transfers_out_rows(self) -> Iterator[list]:
        ext = self.ext("transfers_out")
        for t in TransferOut.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(t.pk),
                self.case_numbers[t.child_id],
                t.status,
                t.kind,
                t.host_area,
                t.host_contact,
                t.move_known_on,
                t.new_address,
                t.assetplus_updated_on,
                t.yot_request_on,
                t.requested_on,
                _yes(t.parenting_order),
                _flag(t.parenting_simultaneous) if t.parenting_order else "",
                _list(t.parenting_documents) if t.parenting_order else "",
                t.responsibilities,
                t.outcome_on,
                t.outcome_notes,
                self.email(t.requested_by_id),
            ]

    def register_shares_rows(self) -> Iterator[list]:
        ext = self.ext("register_shares")
        for s in RegisterShare.objects.order_by("quarter"):
            yield [ext(s.pk), s.quarter, s.shared_on, self.email(s.shared_by_id), s.rows]
