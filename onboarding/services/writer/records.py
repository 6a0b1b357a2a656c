"""Writing the children's history, matched on the old system's ids: programmes, allocations, assessments,
plans, contacts, case notes, CMMs, case discussions, MAPPA status and supervision (ADR 0021)."""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history

from cases.models import Allocation, Assessment, Contact, Event, Plan, Programme
from mappa.models import MappaLevel, MappaRecord
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionSession

from ...models import ImportedRecord
from ...validate import Row
from .base import BaseWriter


class RecordsWriter(BaseWriter):
    """A child's history (programmes to MAPPA) and supervision."""

    def programme_pk(self, ext: str | None) -> int | None:
        return self.programme_by_ext.get(ext) if ext else None

    def programmes(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None:
                return None
            return {
                "child_id": child,
                "kind": row["Kind"],
                "start_date": row["Start date"],
                "length_months": row["Length (months)"],
                "end_date": row["End date"],
                "court_date": row["Court date"],
                "panel_date": row["Panel date"],
                "custody_threshold": bool(row["Custody threshold"]),
                "iss": bool(row["ISS"]),
                "custody_months": row["Custody (months)"],
                "assessed_for_court": bool(row["Assessed for court"]),
                "release_date": row["Release date"],
                "closure_reason": row["Closure reason"] or "",
            }

        self._by_external_id("programmes", Programme, build, history=True)
        refs = self.programme_refs
        self.programme_by_ext = (
            dict(
                ImportedRecord.objects.filter(kind="programmes", external_id__in=refs).values_list(
                    "external_id", "object_id"
                )
            )
            if refs
            else {}
        )

    def allocations(self) -> None:
        stamped: dict[str, datetime.datetime] = {}

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            worker = self.staff_pk(row["Worker email"])
            allocated_by = self.staff_pk(row["Allocated by email"]) or worker
            if child is None or worker is None:
                return None
            if row["Allocated at"]:
                stamped[row["Allocation ID"]] = row["Allocated at"]
            return {
                "child_id": child,
                "worker_id": worker,
                "role": row["Role"],
                "started_on": row["Started on"],
                "ended_on": row["Ended on"],
                "allocated_by_id": allocated_by,
                "reason": f"Imported from {self.source}"[:200],
            }

        self._by_external_id("allocations", Allocation, build, history=False, create_only=("reason",))
        # The time of an allocation places the 48-hour rules (cases/facts.py): kept as the old system had it.
        if stamped:
            ids = dict(
                ImportedRecord.objects.filter(kind="allocations", external_id__in=stamped).values_list(
                    "external_id", "object_id"
                )
            )
            rows = Allocation.objects.in_bulk(list(ids.values()))
            moved = []
            for ext, at in stamped.items():
                allocation = rows.get(ids.get(ext))
                if allocation is not None and allocation.created_at != at:
                    allocation.created_at = at
                    moved.append(allocation)
            Allocation.objects.bulk_update(moved, ["created_at"], batch_size=500)

    def assessments(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "stage": row["Stage"],
                "status": row["Status"],
                "author_id": self.staff_pk(row["Author email"]),
                "rosh": row["RoSH"] or "",
                "saw": row["SaW"] or "",
                "lor": row["LoR"] or "",
                "gatekept_by_id": self.staff_pk(row["Gatekept by email"]),
                "gatekept_on": row["Gatekept on"],
                "completed_by_id": self.staff_pk(row["Signed off by email"]),
                "completed_on": row["Completed on"],
                "levels_agreed": row["Levels agreed"],
            }

        self._by_external_id("assessments", Assessment, build, history=True)

    def plans(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "is_review": bool(row["Review"]),
                "completed_on": row["Completed on"],
                "objectives": row["Objectives"],
                "next_review": row["Next review"],
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("plans", Plan, build, history=True)

    def contacts(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "is_appointment": row["Appointment"] is not False,
                "date": row["Date"],
                "time": row["Time"],
                "outcome": row["Outcome"],
                "explanation": row["Explanation"] or "",
                "worker_id": self.staff_pk(row["Worker email"]),
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("contacts", Contact, build, history=True)

    def case_notes(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            # Imported as read-only history: a note, never a record's own entry (source stays blank, so
            # the types that state a fact still meet their obligations: cases/facts.py EVENT_FACTS).
            return {
                "child_id": child,
                "event_type": row["Type"],
                "occurred_on": row["Date"],
                "summary": row["Summary"],
                "details": row["Details"] or "",
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("case_notes", Event, build, history=False)

    def cmms(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            chair = self.staff_pk(row["Chair email"])
            if child is None or chair is None:
                return None
            finalised = row["Minutes completed on"]
            return {
                "child_id": child,
                "kind": row["Reason"],
                "status": Meeting.Status.FINALISED if finalised else Meeting.Status.HELD,
                "starts_at": row["Held at"],
                "held_at": row["Held at"],
                "chair_id": chair,
                "case_manager_id": self.staff_pk(row["Case manager email"]) or chair,
                "booked_by_id": chair,
                "csc_meeting_type": row["CSC meeting type"] or "",
                "actions_recorded_on": row["Actions recorded on"],
                "finalised_on": finalised,
                "finalised_by_id": chair if finalised else None,
                "mappa_minutes_sent_on": row["Minutes sent to MAPPA on"],
                "next_meeting_at": row["Next meeting at"],
            }

        self._by_external_id("cmms", Meeting, build, history=True)

    def case_discussions(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            manager = self.staff_pk(row["Manager email"])
            worker = self.staff_pk(row["Worker email"])
            if child is None or manager is None or worker is None:
                return None
            recorded = row["Recorded on"]
            return {
                "child_id": child,
                "kind": row["Kind"],
                "held_on": row["Held on"],
                "held_at": row["Held at"],
                "manager_id": manager,
                "worker_id": worker,
                "significant": bool(row["Significant"]),
                "status": CaseDiscussion.Status.RECORDED if recorded else CaseDiscussion.Status.DRAFT,
                "recorded_on": recorded,
                "recorded_by_id": manager if recorded else None,
                "created_by_id": manager,
            }

        self._by_external_id("case_discussions", CaseDiscussion, build, history=True)

    def mappa(self) -> None:
        levels: dict[str, tuple] = {}

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            level = int(row["Level"]) if row["Level"] else None
            if level:
                levels[row["MAPPA ID"]] = (level, row["Level set on"], recorded_by)
            return {
                "child_id": child,
                "category": int(row["Category"]),
                "criterion": row["Criterion"],
                "identified_on": row["Identified on"],
                "form_h_sent_on": row["Form H sent on"],
                "current_level": level,
                "ended_on": row["Ended on"],
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("mappa", MappaRecord, build, history=True)
        # The current level as a level set on its day (001 §8: each setting is kept as history).
        ids = dict(
            ImportedRecord.objects.filter(kind="mappa", external_id__in=levels).values_list(
                "external_id", "object_id"
            )
        )
        have = set(
            MappaLevel.objects.filter(record_id__in=ids.values()).values_list("record_id", "level", "set_on")
        )
        new = []
        for ext, (level, set_on, by) in levels.items():
            record = ids.get(ext)
            if record is not None and (record, level, set_on) not in have:
                new.append(MappaLevel(record_id=record, level=level, set_on=set_on, set_by_id=by))
        bulk_create_with_history(new, MappaLevel, batch_size=500, default_user=self.by, default_date=self.now)
        self.touched.update(
            MappaRecord.objects.filter(pk__in=[n.record_id for n in new]).values_list("child_id", flat=True)
        )

    def supervision(self) -> None:
        def build(row: Row) -> dict | None:
            worker = self.staff_pk(row["Worker email"])
            supervisor = self.staff_pk(row["Supervisor email"])
            if worker is None or supervisor is None:
                return None
            status = row["Status"] or SupervisionSession.Status.FINALISED
            return {
                "supervisee_id": worker,
                "supervisor_id": supervisor,
                "held_on": row["Held on"],
                "method": row["Method"],
                "status": status,
                "next_date": row["Next supervision on"],
                "created_by_id": supervisor,
                "finalised_on": row["Held on"] if status == SupervisionSession.Status.FINALISED else None,
                "finalised_by_id": supervisor if status == SupervisionSession.Status.FINALISED else None,
            }

        self._by_external_id("supervision", SupervisionSession, build, history=True)
