"""The rows of a child's history and of supervision, in the import format."""

from __future__ import annotations

from collections.abc import Iterator

from cases.models import Allocation, Assessment, Contact, Event, Plan, Programme
from mappa.models import MappaLevel, MappaRecord
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionSession

from .base import BaseExporter, _at, _yes


class RecordsExporter(BaseExporter):
    def programmes_rows(self) -> Iterator[list]:
        ext = self.ext("programmes")
        self.programme_ext = ext
        for p in Programme.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(p.pk),
                self.case_numbers[p.child_id],
                p.kind,
                p.start_date,
                p.length_months,
                p.end_date,
                p.court_date,
                p.panel_date,
                _yes(p.custody_threshold) if p.custody_threshold else "",
                _yes(p.iss) if p.iss else "",
                p.custody_months,
                _yes(p.assessed_for_court) if p.assessed_for_court else "",
                p.release_date,
                p.closure_reason,
            ]

    def programme(self, pk: int | None) -> str:
        return self.programme_ext(pk) if pk else ""

    def allocations_rows(self) -> Iterator[list]:
        ext = self.ext("allocations")
        for a in Allocation.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(a.pk),
                self.case_numbers[a.child_id],
                self.email(a.worker_id),
                a.role,
                a.started_on,
                a.ended_on,
                self.email(a.allocated_by_id),
                _at(a.created_at),
            ]

    def assessments_rows(self) -> Iterator[list]:
        ext = self.ext("assessments")
        for a in Assessment.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(a.pk),
                self.case_numbers[a.child_id],
                a.kind,
                a.stage,
                a.status,
                self.email(a.author_id),
                a.rosh,
                a.saw,
                a.lor,
                self.email(a.gatekept_by_id),
                a.gatekept_on,
                self.email(a.completed_by_id),
                a.completed_on if a.status == Assessment.Status.COMPLETED else None,
                _yes(a.levels_agreed),
                self.programme(a.programme_id),
            ]

    def plans_rows(self) -> Iterator[list]:
        ext = self.ext("plans")
        for p in Plan.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(p.pk),
                self.case_numbers[p.child_id],
                p.kind,
                _yes(p.is_review),
                p.completed_on,
                p.objectives,
                p.next_review,
                self.email(p.author_id),
                self.programme(p.programme_id),
            ]

    def contacts_rows(self) -> Iterator[list]:
        ext = self.ext("contacts")
        for c in Contact.objects.order_by("pk").iterator(chunk_size=5000):
            yield [
                ext(c.pk),
                self.case_numbers[c.child_id],
                c.kind,
                _yes(c.is_appointment),
                c.date,
                c.time.strftime("%H:%M") if c.time else "",
                c.outcome,
                c.explanation,
                self.email(c.worker_id),
                self.email(c.author_id),
                self.programme(c.programme_id),
            ]

    def case_notes_rows(self) -> Iterator[list]:
        """Case notes as written (not the entries the product writes for its own records, nor versions
        a correction replaced)."""
        ext = self.ext("case_notes")
        notes = Event.objects.filter(is_current=True, source="").order_by("pk")
        for e in notes.iterator(chunk_size=5000):
            yield [
                ext(e.pk),
                self.case_numbers[e.child_id],
                e.event_type,
                e.occurred_on,
                e.summary,
                e.details,
                self.email(e.author_id),
            ]

    def cmms_rows(self) -> Iterator[list]:
        """Meetings held (a booked or cancelled one states nothing yet: meetings/facts.py)."""
        ext = self.ext("cmms")
        held = Meeting.objects.filter(
            status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], held_at__isnull=False
        ).order_by("pk")
        for m in held.iterator(chunk_size=2000):
            yield [
                ext(m.pk),
                self.case_numbers[m.child_id],
                m.kind,
                _at(m.held_at),
                self.email(m.chair_id),
                self.email(m.case_manager_id),
                m.csc_meeting_type,
                m.actions_recorded_on,
                m.finalised_on,
                m.mappa_minutes_sent_on,
                _at(m.next_meeting_at),
            ]

    def case_discussions_rows(self) -> Iterator[list]:
        ext = self.ext("case_discussions")
        for d in CaseDiscussion.objects.order_by("pk").iterator(chunk_size=2000):
            recorded = d.recorded_on if d.status == CaseDiscussion.Status.RECORDED else None
            yield [
                ext(d.pk),
                self.case_numbers[d.child_id],
                d.kind,
                d.held_on,
                _at(d.held_at),
                self.email(d.manager_id),
                self.email(d.worker_id),
                _yes(d.significant),
                recorded,
            ]

    def mappa_rows(self) -> Iterator[list]:
        """Each MAPPA record with its latest level (every level set is in mappa_levels.csv)."""
        ext = self.ext("mappa")
        latest: dict[int, tuple] = {}
        for record_id, level, set_on in MappaLevel.objects.order_by("set_on", "pk").values_list(
            "record_id", "level", "set_on"
        ):
            latest[record_id] = (level, set_on)
        for m in MappaRecord.objects.order_by("pk"):
            level, set_on = latest.get(m.pk, (None, None))
            yield [
                ext(m.pk),
                self.case_numbers[m.child_id],
                m.category,
                m.criterion,
                m.identified_on,
                m.form_h_sent_on,
                level,
                set_on,
                m.ended_on,
                self.email(m.recorded_by_id),
            ]

    def supervision_rows(self) -> Iterator[list]:
        ext = self.ext("supervision")
        for s in SupervisionSession.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(s.pk),
                self.email(s.supervisee_id),
                self.email(s.supervisor_id),
                s.held_on,
                s.method,
                s.status,
                s.next_date,
            ]
