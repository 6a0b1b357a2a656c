"""Writing agreed supervision frequencies, leave and its cover (staff's own records, after the children)
and management oversight decisions and OOC oversight holders (in each child's transaction), matched on
the old system's ids (ADR 0021). Each builds what the product's own service builds: the decision's entry
on the child's timeline (supervision.services.discussions.oversight), the cover's (cases.services.leave),
and a worker marked absent while an unplanned absence is open (003 §7.2)."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Child, Event, EventType, Leave, LeaveCover, User
from supervision.models import OversightDecision, OversightHolder, SupervisionFrequency
from supervision.services.discussions.oversight import LABEL_EVENT_TYPES

from ...models import ImportedRecord
from ...validate import Row
from .base import BaseWriter


def _imported(kind: str, ids: set[str]) -> dict[str, int]:
    """The record each old id made, by old id (only those asked for)."""
    if not ids:
        return {}
    return dict(
        ImportedRecord.objects.filter(kind=kind, external_id__in=ids).values_list("external_id", "object_id")
    )


def _decision_details(item: OversightDecision, manager: str) -> str:
    """The timeline entry's text, as the oversight form's service writes it: when and by whom, then the
    decision, its rationale and actions."""
    details = [f"Decision made {timezone.localtime(item.decided_at):%-d %B %Y at %H:%M} by {manager}."]
    if item.significant:
        details.append("Significant case decision or urgent matter.")
    details.append(f"Decision and case direction:\n{item.decision}")
    if item.rationale:
        details.append(f"Rationale:\n{item.rationale}")
    if item.actions:
        details.append(f"Actions:\n{item.actions}")
    return "\n\n".join(details)


# What a decision's timeline entry shows: a change to one of these is a new version of the entry.
EVENT_FIELDS = ("event_type", "occurred_on", "summary", "details")


def _decision_event(item: OversightDecision) -> Event:
    """The decision's entry on the child's timeline, as the oversight form's service writes it (004 §7)."""
    first = next((line.strip() for line in item.decision.splitlines() if line.strip()), "")
    return Event(
        child_id=item.child_id,
        author_id=item.manager_id,
        event_type=LABEL_EVENT_TYPES.get(item.label, EventType.MANAGEMENT_OVERSIGHT),
        occurred_on=timezone.localdate(item.decided_at),
        summary=(f"{item.heading}: {first}" if first else item.heading)[:200],
        details=_decision_details(item, str(item.manager)),
        source=f"oversight:{item.pk}",
    )


class StaffRecordsWriter(BaseWriter):
    """Oversight decisions and holders (a child's rows); supervision frequencies, leave and cover (staff's)."""

    # -- per child ----------------------------------------------------------------------------------------
    def oversight_decisions(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            manager = self.staff_pk(row["Manager email"])
            if child is None or manager is None:
                return None
            decided = row["Decided at"]
            return {
                "child_id": child,
                "label": row["Label"],
                "panel_name": row["Panel name"] or "",
                "manager_id": manager,
                "decided_at": decided,
                "significant": bool(row["Significant"]),
                "decision": row["Decision"],
                "rationale": row["Rationale"] or "",
                "actions": row["Actions"] or "",
                "recorded_on": row["Recorded on"] or timezone.localdate(decided),
            }

        self._by_external_id("oversight_decisions", OversightDecision, build, history=True)
        self._decision_events()

    def _decision_events(self) -> None:
        """Each decision's entry on the timeline (source "oversight:<pk>": its facts come from the decision,
        cases/facts.py): made for a decision without one; for a corrected decision, a new version that
        keeps the old one, as a correction does (events are never edited in place)."""
        ids = _imported(
            "oversight_decisions", {r["Decision ID"] for r in self.rows.get("oversight_decisions", [])}
        )
        items = OversightDecision.objects.filter(pk__in=ids.values()).select_related("manager", "event")
        pairs: list[tuple[OversightDecision, Event]] = []
        superseded: list[Event] = []
        for item in items:
            entry, old = _decision_event(item), item.event
            if old is not None:
                if all(getattr(old, f) == getattr(entry, f) for f in EVENT_FIELDS):
                    continue
                old.is_current = False
                superseded.append(old)
                entry.corrects_id = old.pk
                entry.correction_reason = f"Corrected by the import from {self.source}"[:200]
            pairs.append((item, entry))
        Event.objects.bulk_update(superseded, ["is_current"], batch_size=500)
        Event.objects.bulk_create([entry for _, entry in pairs], batch_size=500)
        for item, entry in pairs:
            item.event_id = entry.pk
        OversightDecision.objects.bulk_update([item for item, _ in pairs], ["event"], batch_size=500)

    def oversight_holders(self) -> None:
        rows = self.rows.get("oversight_holders", [])
        programmes = _imported("programmes", {r["Programme ID"] for r in rows})
        decisions = _imported("oversight_decisions", {r["Decision ID"] for r in rows if r["Decision ID"]})

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            holder = self.staff_pk(row["Holder email"])
            programme = programmes.get(row["Programme ID"])
            if child is None or holder is None or programme is None:
                return None
            return {
                "child_id": child,
                "programme_id": programme,
                "holder_id": holder,
                "from_date": row["From date"],
                "decision_id": decisions.get(row["Decision ID"]) if row["Decision ID"] else None,
            }

        self._by_external_id("oversight_holders", OversightHolder, build, history=True)

    # -- per worker -----------------------------------------------------------------------------------------
    def supervision_frequencies(self) -> None:
        def build(row: Row) -> dict | None:
            worker = self.staff_pk(row["Worker email"])
            set_by = self.staff_pk(row["Set by email"])
            if worker is None or set_by is None:
                return None
            return {
                "worker_id": worker,
                "weeks": int(row["Weeks"]),
                "from_date": row["From date"],
                "reason": row["Reason"],
                "set_by_id": set_by,
            }

        self._by_external_id("supervision_frequencies", SupervisionFrequency, build, history=False)
        self._note_workers("supervision_frequencies")

    def leave(self) -> None:
        def build(row: Row) -> dict | None:
            worker = self.staff_pk(row["Worker email"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if worker is None or recorded_by is None:
                return None
            return {
                "worker_id": worker,
                "kind": row["Kind"],
                "start_date": row["Start date"],
                "end_date": row["End date"],
                "notes": row["Notes"] or "",
                "recorded_by_id": recorded_by,
                "cases_reviewed_on": row["Cases reviewed on"],
                "reallocation_considered_on": row["Reallocation considered on"],
                "reallocation_decision": row["Reallocation decision"] or "",
            }

        self._by_external_id("leave", Leave, build, history=False)
        self._note_workers("leave")
        self._mark_absent()

    def _note_workers(self, kind: str) -> None:
        """The workers of these rows: their own obligations are worked out again after the import."""
        for row in self.rows.get(kind, []):
            pk = self.staff_pk(row["Worker email"])
            if pk is not None:
                self.workers.add(pk)

    def _mark_absent(self) -> None:
        """A worker with unplanned leave in the file is absent while any of their leave is open, as recording
        the absence and the return does (cases.services.leave)."""
        unplanned: set[int] = {
            pk
            for r in self.rows.get("leave", [])
            if r["Kind"] == Leave.Kind.UNPLANNED and (pk := self.staff_pk(r["Worker email"])) is not None
        }
        away = set(
            Leave.objects.filter(worker_id__in=unplanned, end_date__isnull=True).values_list(
                "worker_id", flat=True
            )
        )
        User.objects.filter(pk__in=away, is_absent=False).update(is_absent=True)
        User.objects.filter(pk__in=unplanned - away, is_absent=True).update(is_absent=False)

    def leave_cover(self) -> None:
        rows = self.rows.get("leave_cover", [])
        leave = _imported("leave", {r["Leave ID"] for r in rows})
        skipped = set(self.report.skipped_children)
        children = dict(
            Child.objects.filter(case_number__in={r["Case number"] for r in rows} - skipped).values_list(
                "case_number", "pk"
            )
        )

        def build(row: Row) -> dict | None:
            child = children.get(row["Case number"])
            cover = self.staff_pk(row["Cover worker email"])
            leave_id = leave.get(row["Leave ID"])
            if child is None or cover is None or leave_id is None:
                return None
            return {
                "leave_id": leave_id,
                "child_id": child,
                "cover_worker_id": cover,
                "arrangements": row["Arrangements"],
            }

        self._by_external_id("leave_cover", LeaveCover, build, history=False)
        self._cover_events(list(getattr(self, "created_objects", [])) if rows else [])

    def _cover_events(self, covers: list[LeaveCover]) -> None:
        """Each new cover's entry on the child's timeline (source "leave:<pk>"), as recording planned leave
        writes it (003 §7.1): dated the first day of leave, or the day of the import for leave to come."""
        if not covers:
            return
        leave = Leave.objects.in_bulk({c.leave_id for c in covers})
        names = {
            u.pk: str(u)
            for u in User.objects.filter(
                pk__in={c.cover_worker_id for c in covers} | {item.worker_id for item in leave.values()}
            )
        }
        today = timezone.localdate(self.now)
        events = []
        for cover in covers:
            item = leave[cover.leave_id]
            worker, covering = names[item.worker_id], names[cover.cover_worker_id]
            until = f"{item.end_date:%-d %b %Y}" if item.end_date else "their return"
            events.append(
                Event(
                    child_id=cover.child_id,
                    author_id=item.recorded_by_id,
                    event_type=EventType.LEAVE_COVER,
                    occurred_on=min(item.start_date, today),
                    summary=f"{covering} leads on this case while {worker} is on leave "
                    f"({item.start_date:%-d %b %Y} to {until})"[:200],
                    details=f"Cover worker: {covering}\nAnticipated interventions and arrangements: "
                    f"{cover.arrangements}",
                    source=f"leave:{item.pk}",
                )
            )
        Event.objects.bulk_create(events, batch_size=500)
