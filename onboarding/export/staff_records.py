"""The rows of agreed supervision frequencies, leave and its cover, management oversight decisions and OOC
oversight holders, in the import format: every record of each kind, so the round trip carries them."""

from __future__ import annotations

from collections.abc import Iterator

from cases.models import Leave, LeaveCover
from supervision.models import OversightDecision, OversightHolder, SupervisionFrequency

from .base import BaseExporter, _at, _yes


class StaffRecordsExporter(BaseExporter):
    def oversight_decisions_rows(self) -> Iterator[list]:
        ext = self.ext("oversight_decisions")
        for d in OversightDecision.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(d.pk),
                self.case_numbers[d.child_id],
                d.label,
                d.panel_name,
                self.email(d.manager_id),
                _at(d.decided_at),
                _yes(d.significant),
                d.decision,
                d.rationale,
                d.actions,
                d.recorded_on,
            ]

    def oversight_holders_rows(self) -> Iterator[list]:
        ext, programme, decision = (
            self.ext("oversight_holders"),
            self.ext("programmes"),
            self.ext("oversight_decisions"),
        )
        for h in OversightHolder.objects.order_by("pk"):
            yield [
                ext(h.pk),
                self.case_numbers[h.child_id],
                programme(h.programme_id),
                self.email(h.holder_id),
                h.from_date,
                decision(h.decision_id) if h.decision_id else "",
            ]

    def supervision_frequencies_rows(self) -> Iterator[list]:
        ext = self.ext("supervision_frequencies")
        for f in SupervisionFrequency.objects.order_by("pk"):
            yield [
                ext(f.pk),
                self.email(f.worker_id),
                f.weeks,
                f.from_date,
                f.reason,
                self.email(f.set_by_id),
            ]

    def leave_rows(self) -> Iterator[list]:
        ext = self.ext("leave")
        for item in Leave.objects.order_by("pk"):
            yield [
                ext(item.pk),
                self.email(item.worker_id),
                item.kind,
                item.start_date,
                item.end_date,
                self.email(item.recorded_by_id),
                item.notes,
                item.cases_reviewed_on,
                item.reallocation_considered_on,
                item.reallocation_decision,
            ]

    def leave_cover_rows(self) -> Iterator[list]:
        ext, leave = self.ext("leave_cover"), self.ext("leave")
        for c in LeaveCover.objects.order_by("pk"):
            yield [
                ext(c.pk),
                leave(c.leave_id),
                self.case_numbers[c.child_id],
                self.email(c.cover_worker_id),
                c.arrangements,
            ]
