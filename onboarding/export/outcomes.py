"""The rows of a child's KPI facts and of the management board, in the import format (issue 21): every
record, each dated record its own row (its history as rows), with the time it was recorded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from outcomes.models import (
    Accommodation,
    BoardAttendance,
    BoardMeeting,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)

from ..format.outcomes import PARTNER_NAMES
from .base import BaseExporter, _at, _yes


def _attendance(row: BoardAttendance | None) -> str:
    if row is None or not row.attended:
        return "absent"
    return "senior" if row.senior else "attended"


def _hours(value) -> str:
    """Hours as a person writes them: 20, 14.5 (never 20.0)."""
    return "" if value is None else f"{value.normalize():f}"


class OutcomesExporter(BaseExporter):
    def _dated(self, model, fields) -> Iterator[list]:
        """Each record of a dated kind: id, case number, its own fields, dates, notes and who recorded it."""
        kind = {
            Accommodation: "accommodation",
            Education: "education",
            SpecialNeed: "special_needs",
            HealthNeed: "health_needs",
            WiderService: "wider_services",
        }[model]
        ext = self.ext(kind)
        for r in model.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(r.pk),
                self.case_numbers[r.child_id],
                *fields(r),
                r.notes,
                self.email(r.recorded_by_id),
                _at(r.created_at),
            ]

    def accommodation_rows(self) -> Iterator[list]:
        return self._dated(Accommodation, lambda r: [r.kind, _yes(r.suitable), r.from_date, r.to_date])

    def education_rows(self) -> Iterator[list]:
        return self._dated(
            Education,
            lambda r: [
                r.provision,
                _hours(r.hours_offered),
                _hours(r.hours_attended),
                _yes(r.suitable),
                r.from_date,
                r.to_date,
            ],
        )

    def special_needs_rows(self) -> Iterator[list]:
        return self._dated(
            SpecialNeed,
            lambda r: [_yes(r.identified), r.need, r.plan, r.plan_academic_year, r.from_date, r.to_date],
        )

    def health_needs_rows(self) -> Iterator[list]:
        return self._dated(
            HealthNeed,
            lambda r: [
                r.area,
                r.from_date,
                _yes(r.need_identified),
                r.intervention,
                r.offered_on,
                _yes(r.attending),
                r.to_date,
            ],
        )

    def wider_services_rows(self) -> Iterator[list]:
        return self._dated(WiderService, lambda r: [r.kind, r.from_date, r.to_date])

    def _programme_id(self):
        ext = self.ext("programmes")
        return lambda pk: ext(pk) if pk else ""

    def offences_rows(self) -> Iterator[list]:
        ext, programme = self.ext("offences"), self._programme_id()
        for o in Offence.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(o.pk),
                self.case_numbers[o.child_id],
                o.description,
                o.category,
                o.gravity,
                _yes(o.serious_violence),
                o.committed_on,
                o.proven_on,
                programme(o.programme_id),
                o.notes,
                self.email(o.recorded_by_id),
                _at(o.created_at),
            ]

    def victim_contacts_rows(self) -> Iterator[list]:
        ext, offence, programme = self.ext("victim_contacts"), self.ext("offences"), self._programme_id()
        for v in VictimContact.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(v.pk),
                self.case_numbers[v.child_id],
                v.reference,
                v.kind,
                v.identified_on,
                offence(v.offence_id) if v.offence_id else "",
                _yes(v.consented),
                _yes(v.views_sought),
                _yes(v.information_given),
                _yes(v.rj_offered),
                _yes(v.rj_taken_part),
                programme(v.programme_id),
                v.notes,
                self.email(v.recorded_by_id),
                _at(v.created_at),
            ]

    def board_meetings_rows(self) -> Iterator[list]:
        """A row per meeting, with each statutory partner's attendance and data (a partner with no row
        recorded did not attend)."""
        ext = self.ext("board_meetings")
        attendance: dict[int, dict[str, BoardAttendance]] = defaultdict(dict)
        for a in BoardAttendance.objects.all():
            attendance[a.meeting_id][a.partner] = a
        for m in BoardMeeting.objects.order_by("held_on", "pk"):
            partners = attendance.get(m.pk, {})
            cells = []
            for partner in PARTNER_NAMES:
                row = partners.get(partner)
                cells += [_attendance(row), _yes(bool(row and row.attended and row.contributed_data))]
            yield [ext(m.pk), m.held_on, *cells, m.notes, self.email(m.recorded_by_id)]
