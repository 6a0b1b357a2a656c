"""Reading the database out in the import format (`manage.py export_service`): the same files an import
takes, so a service's records can be moved, checked or rehearsed (the round trip, ADR 0021).

Records an import made keep the old system's ids (ImportedRecord); others are given `P12`-style ids
from their primary keys, which a later import of the export matches again.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from cases.models import Allocation, Assessment, Child, Contact, Event, Plan, Programme, Team, User
from core.downloads import csv_cell
from mappa.models import MappaLevel, MappaRecord
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionSession

from .format import BY_NAME, KINDS
from .models import ImportedRecord
from .values import LONDON

PREFIX = {
    "programmes": "P",
    "allocations": "A",
    "assessments": "AS",
    "plans": "PL",
    "contacts": "C",
    "case_notes": "N",
    "cmms": "M",
    "case_discussions": "D",
    "mappa": "MP",
    "supervision": "S",
}


def _ids(kind: str) -> dict[int, str]:
    """The old system's id of each record an import made of this kind."""
    return {o: e for e, o in ImportedRecord.objects.filter(kind=kind).values_list("external_id", "object_id")}


def _yes(value) -> str:
    return "" if value is None else "yes" if value else "no"


def _at(value: datetime.datetime | None) -> str:
    return timezone.localtime(value, LONDON).strftime("%Y-%m-%d %H:%M:%S") if value else ""


class _Exporter:
    def __init__(self):
        self.emails = dict(User.objects.exclude(email="").values_list("pk", "email"))
        self.case_numbers = dict(Child.objects.values_list("pk", "case_number"))
        self.teams = dict(Team.objects.values_list("pk", "name"))

    def email(self, pk: int | None) -> str:
        """The email of a member of staff (blank for none, or one with no email)."""
        return self.emails.get(pk, "") if pk else ""

    def ext(self, kind: str):
        known = _ids(kind)
        return lambda pk: known.get(pk) or f"{PREFIX[kind]}{pk}"

    def teams_rows(self) -> Iterator[list]:
        for team in Team.objects.order_by("name"):
            yield [team.name, team.kind]

    def staff_rows(self) -> Iterator[list]:
        for u in User.objects.exclude(email="").order_by("pk"):
            yield [
                u.email,
                u.first_name,
                u.last_name,
                u.username,
                u.role,
                self.teams.get(u.team_id, "") if u.team_id else "",
                self.email(u.line_manager_id),
                u.gender,
                _yes(u.is_active),
                timezone.localdate(u.date_joined, LONDON),
            ]

    def children_rows(self) -> Iterator[list]:
        for c in Child.objects.order_by("pk"):
            yield [
                c.case_number,
                c.first_name,
                c.last_name,
                c.date_of_birth,
                c.gender_identity,
                _yes(c.gender_differs_from_birth),
                c.ethnicity,
                self.teams[c.team_id],
                self.email(c.case_manager_id),
                _yes(c.looked_after),
                _yes(c.open_to_csc),
                _yes(c.is_open),
            ]

    def levels_rows(self) -> Iterator[list]:
        """Each change of agreed levels, as the child's history records them (cases/facts.py reads the
        same history as the `risk_rated` fact: a row when all three are set and differ from the last)."""
        last: dict[int, tuple] = {}
        history = Child.history.order_by("id", "history_date", "history_id").values_list(
            "id", "history_date", "rosh", "saw", "lor"
        )
        for pk, when, *levels in history.iterator(chunk_size=5000):
            levels = tuple(levels)
            if pk in self.case_numbers and all(levels) and levels != last.get(pk):
                yield [self.case_numbers[pk], timezone.localdate(when, LONDON), *levels]
                last[pk] = levels

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
        """Each MAPPA record with its latest level (the level history's earlier settings are not carried)."""
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


def service_export(*, folder: Path) -> dict[str, int]:
    """Write every kind's CSV file into `folder` (made if missing); returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    exporter = _Exporter()
    written = {}
    for kind in KINDS:
        path = folder / kind.filename
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(BY_NAME[kind.name].headings)
            count = 0
            for row in getattr(exporter, f"{kind.name}_rows")():
                writer.writerow([csv_cell(v) for v in row])
                count += 1
        written[kind.filename] = count
    return written
