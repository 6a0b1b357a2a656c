"""Writing a child's KPI facts (accommodation to victims) and the management board's meetings (issue 21,
ADR 0022), matched on the old system's ids like the other records (ADR 0021).

The fields are those outcomes/services.py `record_create` and `board_meeting_record` set (a board meeting
with one attendance row per statutory partner; seniority and data only where the partner attended). As
with programmes and the other history, no timeline entry is made: the records are imported history. Once a
child's rows are written, the child's KPI snapshots are refreshed in the child's transaction, as the
outcomes services and the programme signal do (outcomes.snapshots.snapshots_refresh): programmes are
bulk-written here, so no signal takes them.
"""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history

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
from outcomes.snapshots import snapshots_refresh

from ...format.outcomes import PARTNER_NAMES, attendance_column, data_column
from ...models import ImportedRecord
from ...validate import Checked, Row
from .base import BaseWriter


def _ids(kind: str, refs: set[str]) -> dict[str, int]:
    """The primary key of each record an import made of this kind, by its old id (only those asked)."""
    if not refs:
        return {}
    return dict(
        ImportedRecord.objects.filter(kind=kind, external_id__in=refs).values_list("external_id", "object_id")
    )


class OutcomesWriter(BaseWriter):
    """A child's KPI facts, the child's snapshots, and the board's meetings."""

    def __init__(self, checked: Checked, **kwargs):
        super().__init__(checked, **kwargs)
        self.today: datetime.date | None = checked.today

    def child(self, rows: dict[str, list[Row]]) -> None:
        """The child's rows (every file's), then the KPI snapshots of every child whose records changed."""
        super().child(rows)
        if self.touched:
            snapshots_refresh(child_ids=self.touched, today=self.today)

    def _common(self, row: Row) -> dict | None:
        """The fields every KPI fact has: the child, who recorded it and the notes."""
        child = self.child_pk.get(row["Case number"])
        recorded_by = self.staff_pk(row["Recorded by email"])
        if child is None or recorded_by is None:
            return None
        return {"child_id": child, "recorded_by_id": recorded_by, "notes": row["Notes"] or ""}

    def _dated(self, row: Row, start: str = "From") -> dict | None:
        common = self._common(row)
        if common is None:
            return None
        return {**common, "from_date": row[start], "to_date": row["Until"]}

    def _recorded_at(self, kind: str, model) -> None:
        """Each record's time of entry as the old system had it (`Recorded at`; auto_now_add gives the
        import's time on insert): a KPI snapshot is complete from the day its last fact was entered."""
        stamped = {r[self.key(kind)]: r["Recorded at"] for r in self.rows.get(kind, []) if r["Recorded at"]}
        ids = _ids(kind, set(stamped))
        records = model.objects.in_bulk(list(ids.values()))
        moved = []
        for ext, at in stamped.items():
            record = records.get(ids.get(ext))
            if record is not None and record.created_at != at:
                record.created_at = at
                moved.append(record)
                self._touch(record)
        model.objects.bulk_update(moved, ["created_at"], batch_size=500)

    def _write(self, kind: str, model, build) -> None:
        self._by_external_id(kind, model, build, history=True)
        self._recorded_at(kind, model)

    def accommodation(self) -> None:
        def build(row: Row) -> dict | None:
            values = self._dated(row)
            return values and {**values, "kind": row["Type"], "suitable": row["Suitable"]}

        self._write("accommodation", Accommodation, build)

    def education(self) -> None:
        def build(row: Row) -> dict | None:
            values = self._dated(row)
            return values and {
                **values,
                "provision": row["Provision"],
                "hours_offered": row["Hours offered"],
                "hours_attended": row["Hours attended"],
                "suitable": row["Suitable"],
            }

        self._write("education", Education, build)

    def special_needs(self) -> None:
        def build(row: Row) -> dict | None:
            values = self._dated(row)
            return values and {
                **values,
                "identified": row["Identified"] is not False,
                "need": row["Need"] or "",
                "plan": row["Plan"],
                "plan_academic_year": row["Plan academic year"] or "",
            }

        self._write("special_needs", SpecialNeed, build)

    def health_needs(self) -> None:
        def build(row: Row) -> dict | None:
            values = self._dated(row, "Screened on")
            return values and {
                **values,
                "area": row["Area"],
                "need_identified": row["Need identified"],
                "intervention": row["Intervention"] or "",
                "offered_on": row["Offered on"],
                "attending": row["Attending"],
            }

        self._write("health_needs", HealthNeed, build)

    def wider_services(self) -> None:
        def build(row: Row) -> dict | None:
            values = self._dated(row)
            return values and {**values, "kind": row["Service"]}

        self._write("wider_services", WiderService, build)

    def _programmes(self, kind: str) -> dict[str, int]:
        return _ids("programmes", {r["Programme ID"] for r in self.rows.get(kind, []) if r["Programme ID"]})

    def offences(self) -> None:
        programmes = self._programmes("offences")

        def build(row: Row) -> dict | None:
            values = self._common(row)
            return values and {
                **values,
                "programme_id": programmes.get(row["Programme ID"]) if row["Programme ID"] else None,
                "committed_on": row["Committed on"],
                "proven_on": row["Proven on"],
                "description": row["Offence"],
                "category": row["Category"],
                "gravity": int(row["Gravity"]),
                "serious_violence": bool(row["Serious violence"]),
            }

        self._write("offences", Offence, build)

    def victim_contacts(self) -> None:
        rows = self.rows.get("victim_contacts", [])
        programmes = self._programmes("victim_contacts")
        offences = _ids("offences", {r["Offence ID"] for r in rows if r["Offence ID"]})

        def build(row: Row) -> dict | None:
            values = self._common(row)
            return values and {
                **values,
                "programme_id": programmes.get(row["Programme ID"]) if row["Programme ID"] else None,
                "offence_id": offences.get(row["Offence ID"]) if row["Offence ID"] else None,
                "reference": row["Victim reference"],
                "kind": row["Victim kind"] or VictimContact.Kind.PERSON,
                "identified_on": row["Identified on"],
                "consented": row["Consented"],
                "views_sought": bool(row["Views sought"]),
                "information_given": bool(row["Information given"]),
                "rj_offered": bool(row["RJ offered"]),
                "rj_taken_part": bool(row["RJ taken part"]),
            }

        self._write("victim_contacts", VictimContact, build)

    def board_meetings(self) -> None:
        """Each meeting, then its five partners' attendance (a row each, as `_board_attendance` keeps)."""
        kind = "board_meetings"
        rows = self.rows.get(kind, [])
        before = _ids(kind, {r["Board meeting ID"] for r in rows})

        def build(row: Row) -> dict | None:
            recorded_by = self.staff_pk(row["Recorded by email"])
            if recorded_by is None:
                return None
            return {"held_on": row["Held on"], "notes": row["Notes"] or "", "recorded_by_id": recorded_by}

        # The meetings here whose own fields change (the others may change in attendance alone).
        existing = BoardMeeting.objects.in_bulk(list(before.values()))
        fields_change = set()
        for row in rows:
            obj, values = existing.get(before.get(row["Board meeting ID"])), build(row)
            if obj is not None and values and any(getattr(obj, k) != v for k, v in values.items()):
                fields_change.add(row["Board meeting ID"])
        self._by_external_id(kind, BoardMeeting, build, history=True)
        meetings = _ids(kind, {r["Board meeting ID"] for r in rows})
        have = {
            (a.meeting_id, a.partner): a
            for a in BoardAttendance.objects.filter(meeting_id__in=meetings.values())
        }
        new, changed, moved = [], [], set()
        for row in rows:
            meeting = meetings.get(row["Board meeting ID"])
            if meeting is None:
                continue
            for partner in PARTNER_NAMES:
                answer = row[attendance_column(partner)]
                attended = answer != "absent"
                values = {
                    "attended": attended,
                    "senior": answer == "senior",
                    "contributed_data": attended and bool(row[data_column(partner)]),
                }
                current = have.get((meeting, partner))
                if current is None:
                    new.append(BoardAttendance(meeting_id=meeting, partner=partner, **values))
                    continue
                names = [name for name, value in values.items() if getattr(current, name) != value]
                if names:
                    for name in names:
                        setattr(current, name, values[name])
                    changed.append(current)
                    moved.add(row["Board meeting ID"])
        bulk_create_with_history(
            new, BoardAttendance, batch_size=500, default_user=self.by, default_date=self.now
        )
        BoardAttendance.objects.bulk_update(
            changed, ["attended", "senior", "contributed_data"], batch_size=500
        )
        # A meeting whose attendance alone changed is an updated meeting, not an unchanged one.
        extra = len((moved & set(before)) - fields_change)
        self.count(kind, updated=extra, unchanged=-extra)
