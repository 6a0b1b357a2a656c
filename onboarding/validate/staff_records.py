"""The checks of agreed supervision frequencies, leave and its cover, management oversight decisions and
OOC oversight holders, mirroring the product's own forms and services (002 Frequency, 003 §7, 004 §7,
001 §6.3-§6.4)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cases.models import MANAGER_ROLES, Leave, Programme
from supervision.models import OversightDecision
from supervision.selectors.oocd import OVERSIGHT_KINDS

from ..models import ImportedRecord
from .held import covers_here, decision_labels, decisions_held, staff_roles
from .rows import Row

# A programme a holder row names: its child's case number, kind, start date and end date (None while it runs).
ProgrammeFacts = tuple[str, str, datetime.date, datetime.date | None]


def _imported(kind: str, ids: set[str]) -> dict[str, int]:
    """The record each of these old ids made in an earlier import of this kind, by old id."""
    if not ids:
        return {}
    return dict(
        ImportedRecord.objects.filter(kind=kind, external_id__in=ids).values_list("external_id", "object_id")
    )


def _overlaps(start: datetime.date, end: datetime.date | None, other: tuple) -> bool:
    """Two periods of leave share a day (a blank end: still away)."""
    other_start, other_end = other
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


class StaffRecordChecks:
    """Mixed into the checker (onboarding.validate), which gives the look-ups and helpers declared here."""

    today: datetime.date
    emails: set[str]
    rows: dict[str, list[Row]]
    # Set by the earlier kind's check (each kind's method runs even when its file is not given).
    decision_children: dict[str, str]
    leave_rows: dict[str, tuple[str, str]]

    # The checker's own methods (onboarding/validate/__init__.py), named here for the type checker.
    fail: Callable[[str, Row, str, str], None]
    unique: Callable[[str, list[Row], str, str], list[Row]]
    known_staff: Callable[..., bool]
    child_known: Callable[[str, Row], bool]

    # -- per child ----------------------------------------------------------------------------------------
    def oversight_decisions(self, rows: list[Row]) -> list[Row]:
        """004 §7: a panel's decision names its panel; a decision is recorded on or after the day it was
        made (supervision.services.discussions.oversight)."""
        rows = self.unique("oversight_decisions", rows, "Decision ID", "decision ID")
        kept = []
        for row in rows:
            ok = self.known_staff("oversight_decisions", row, "Manager email")
            panel = row["Panel name"]
            if row["Label"] == OversightDecision.Label.PANEL and not panel:
                self.fail(
                    "oversight_decisions", row, "Panel name", "required for a panel's decision (004 §7)"
                )
                ok = False
            elif panel and row["Label"] != OversightDecision.Label.PANEL:
                self.fail("oversight_decisions", row, "Panel name", "only a panel's decision names a panel")
                ok = False
            if row["Recorded on"] and row["Recorded on"] < row["Decided at"].date():
                self.fail("oversight_decisions", row, "Recorded on", "before the decision was made")
                ok = False
            if ok:
                kept.append(row)
        self.decision_children = {r["Decision ID"]: r["Case number"] for r in kept}
        return kept

    def _holder_programmes(self, rows: list[Row]) -> dict[str, ProgrammeFacts]:
        """The programmes the rows name, from programmes.csv or an earlier import."""
        found: dict[str, ProgrammeFacts] = {
            r["Programme ID"]: (r["Case number"], r["Kind"], r["Start date"], r["End date"])
            for r in self.rows.get("programmes", [])
        }
        earlier = _imported("programmes", {r["Programme ID"] for r in rows} - set(found))
        by_pk = {pk: ext for ext, pk in earlier.items()}
        for pk, number, kind, start, end in Programme.objects.filter(pk__in=by_pk).values_list(
            "pk", "child__case_number", "kind", "start_date", "end_date"
        ):
            found[by_pk[pk]] = (number, kind, start, end)
        return found

    def _holder_decisions(self, rows: list[Row]) -> dict[str, str]:
        """The case number of each decision the rows name, from oversight_decisions.csv or an earlier import."""
        found = dict(self.decision_children)
        earlier = _imported(
            "oversight_decisions", {r["Decision ID"] for r in rows if r["Decision ID"]} - set(found)
        )
        by_pk = {pk: ext for ext, pk in earlier.items()}
        for pk, number in OversightDecision.objects.filter(pk__in=by_pk).values_list(
            "pk", "child__case_number"
        ):
            found[by_pk[pk]] = number
        return found

    def _one_holder_per_decision(self, row: Row, held: dict[str, str], named: dict[str, int]) -> bool:
        """A decision is behind one holder (OversightHolder.decision is one-to-one: oversight_holder_set
        records a decision for each holder, 001 §6.3)."""
        ref = row["Decision ID"]
        if not ref:
            return True
        if ref in named:
            self.fail(
                "oversight_holders",
                row,
                "Decision ID",
                f"already the decision behind the holder on row {named[ref]}: each holder has its own decision",
            )
            return False
        named[ref] = row.number
        if ref in held and held[ref] != row["Holder ID"]:
            self.fail(
                "oversight_holders",
                row,
                "Decision ID",
                "already the decision behind another holder here: each holder has its own decision",
            )
            return False
        return True

    def oversight_holders(self, rows: list[Row]) -> list[Row]:
        """001 §6.3-§6.4: oversight is held of the child's OOC or My Future programme, from a day on or after
        it started, each holder with its own decision (supervision.services.oocd.oversight_holder_set)."""
        rows = self.unique("oversight_holders", rows, "Holder ID", "holder ID")
        programmes = self._holder_programmes(rows)
        decisions = self._holder_decisions(rows)
        held = decisions_held(rows)
        labels = decision_labels(self.rows.get("oversight_decisions", []), rows)
        roles = staff_roles(self.rows.get("staff", []), {r["Holder email"] for r in rows})
        named: dict[str, int] = {}
        kept = []
        for row in rows:
            ok = self.known_staff("oversight_holders", row, "Holder email")
            programme = programmes.get(row["Programme ID"])
            if programme is None:
                self.fail(
                    "oversight_holders",
                    row,
                    "Programme ID",
                    "unknown programme: not in programmes.csv or imported before",
                )
                ok = False
            elif programme[0] != row["Case number"]:
                self.fail("oversight_holders", row, "Programme ID", "a programme of another child")
                ok = False
            elif programme[1] not in OVERSIGHT_KINDS:
                self.fail(
                    "oversight_holders",
                    row,
                    "Programme ID",
                    "not an out-of-court or My Future programme: only those have oversight to hold (001 §6.3)",
                )
                ok = False
            elif row["From date"] < programme[2]:
                self.fail("oversight_holders", row, "From date", "before the programme started")
                ok = False
            elif programme[3] and row["From date"] > programme[3]:
                self.fail("oversight_holders", row, "From date", "after the programme ended")
                ok = False
            if ok and roles.get(row["Holder email"]) not in MANAGER_ROLES:
                self.fail(
                    "oversight_holders",
                    row,
                    "Holder email",
                    "not a team manager or advanced practitioner: only they hold oversight (001 §6.3)",
                )
                ok = False
            ref = row["Decision ID"]
            if ref and ref not in decisions:
                self.fail(
                    "oversight_holders",
                    row,
                    "Decision ID",
                    "unknown decision: not in oversight_decisions.csv or imported before",
                )
                ok = False
            elif ref and decisions[ref] != row["Case number"]:
                self.fail("oversight_holders", row, "Decision ID", "a decision about another child")
                ok = False
            elif ref and labels.get(ref) != OversightDecision.Label.OVERSIGHT_HOLDER:
                self.fail(
                    "oversight_holders",
                    row,
                    "Decision ID",
                    "not a decision on who holds oversight: a holder's decision has the label oversight_holder",
                )
                ok = False
            elif ok and not self._one_holder_per_decision(row, held, named):
                ok = False
            if ok:
                kept.append(row)
        return kept

    # -- per worker -----------------------------------------------------------------------------------------
    def supervision_frequencies(self, rows: list[Row]) -> list[Row]:
        """002 Frequency: agreed by someone other than the worker (the product asks for someone above
        them in the supervision chain; the import takes the old system's record), one a day per worker."""
        rows = self.unique("supervision_frequencies", rows, "Frequency ID", "frequency ID")
        kept: list[Row] = []
        seen: dict[tuple, int] = {}
        for row in rows:
            ok = self.known_staff("supervision_frequencies", row, "Worker email", "Set by email")
            if ok and row["Set by email"] == row["Worker email"]:
                self.fail(
                    "supervision_frequencies",
                    row,
                    "Set by email",
                    "nobody agrees their own supervision frequency",
                )
                ok = False
            key = (row["Worker email"], row["From date"])
            if ok and key in seen:
                self.fail(
                    "supervision_frequencies",
                    row,
                    "From date",
                    f"the worker's frequency agreed twice from that day: also on row {seen[key]}",
                )
                ok = False
            if ok:
                seen[key] = row.number
                kept.append(row)
        return kept

    def _leave_here(self, rows: list[Row]) -> dict[str, list[tuple]]:
        """Each worker's leave already here that these rows do not make or update: (start, end) by email."""
        ours = set(_imported("leave", {r["Leave ID"] for r in rows}).values())
        here: dict[str, list[tuple]] = {}
        workers = {r["Worker email"] for r in rows}
        for email, start, end in (
            Leave.objects.filter(worker__email__in=workers)
            .exclude(pk__in=ours)
            .values_list("worker__email", "start_date", "end_date")
        ):
            here.setdefault(email.lower(), []).append((start, end))
        return here

    def _leave_dates_ok(self, row: Row) -> bool:
        """003 §7: planned leave has its last day; unplanned leave has started, and its follow-ups are after."""
        ok, planned = True, row["Kind"] == Leave.Kind.PLANNED
        start, end = row["Start date"], row["End date"]
        if end and end < start:
            self.fail("leave", row, "End date", "the last day of leave must be on or after the first day")
            ok = False
        if planned and end is None:
            self.fail("leave", row, "End date", "required for planned leave: its last day")
            ok = False
        if not planned and start > self.today:
            self.fail(
                "leave", row, "Start date", f"unplanned leave has already started: not after {self.today}"
            )
            ok = False
        if not planned and end and end > self.today:
            self.fail(
                "leave",
                row,
                "End date",
                "an unplanned absence ends once the worker is back: not in the future",
            )
            ok = False
        for column in ("Cases reviewed on", "Reallocation considered on"):
            if row[column] and planned:
                self.fail(
                    "leave", row, column, "only unplanned leave has the manager's follow-ups (003 §7.2)"
                )
                ok = False
            elif row[column] and row[column] < start:
                self.fail("leave", row, column, "before the leave started")
                ok = False
        decision = row["Reallocation decision"]
        if row["Reallocation considered on"] and not decision:
            self.fail(
                "leave", row, "Reallocation decision", "required with the date reallocation was considered"
            )
            ok = False
        if decision and not row["Reallocation considered on"]:
            self.fail("leave", row, "Reallocation considered on", "required with a reallocation decision")
            ok = False
        return ok

    def leave(self, rows: list[Row]) -> list[Row]:
        """003 §7: a worker's periods of leave do not overlap (cases.services.leave)."""
        rows = self.unique("leave", rows, "Leave ID", "leave ID")
        here = self._leave_here(rows)
        kept: list[Row] = []
        taken: dict[str, list[tuple[tuple, int]]] = {}
        for row in rows:
            ok = self.known_staff("leave", row, "Worker email", "Recorded by email")
            ok = self._leave_dates_ok(row) and ok
            email, period = row["Worker email"], (row["Start date"], row["End date"])
            if ok:
                clash = next((n for other, n in taken.get(email, []) if _overlaps(*period, other)), None)
                if clash is not None:
                    self.fail("leave", row, "Start date", f"overlaps the worker's leave on row {clash}")
                    ok = False
                elif any(_overlaps(*period, other) for other in here.get(email, [])):
                    self.fail(
                        "leave", row, "Start date", "overlaps leave already recorded here for the worker"
                    )
                    ok = False
            if ok:
                taken.setdefault(email, []).append((period, row.number))
                kept.append(row)
        self.leave_rows = {r["Leave ID"]: (r["Worker email"], r["Kind"]) for r in kept}
        return kept

    def _cover_leave(self, rows: list[Row]) -> dict[str, tuple[str, str]]:
        """The worker's email and the kind of each leave the rows name, from leave.csv or an earlier import."""
        found = dict(self.leave_rows)
        earlier = _imported("leave", {r["Leave ID"] for r in rows} - set(found))
        by_pk = {pk: ext for ext, pk in earlier.items()}
        for pk, email, kind in Leave.objects.filter(pk__in=by_pk).values_list("pk", "worker__email", "kind"):
            found[by_pk[pk]] = (email.lower(), kind)
        return found

    def leave_cover(self, rows: list[Row]) -> list[Row]:
        """003 §7.1: planned leave names who leads on each case, someone other than the worker away; a case
        has one cover in a leave (LeaveCover's constraint)."""
        rows = [
            r
            for r in self.unique("leave_cover", rows, "Cover ID", "cover ID")
            if self.child_known("leave_cover", r)
        ]
        leave = self._cover_leave(rows)
        here = covers_here(rows)
        kept: list[Row] = []
        seen: dict[tuple, int] = {}
        for row in rows:
            ok = self.known_staff("leave_cover", row, "Cover worker email")
            away = leave.get(row["Leave ID"])
            if away is None:
                self.fail(
                    "leave_cover", row, "Leave ID", "unknown leave: not in leave.csv or imported before"
                )
                ok = False
            elif away[1] != Leave.Kind.PLANNED:
                self.fail("leave_cover", row, "Leave ID", "only planned leave has named cover (003 §7.1)")
                ok = False
            elif away[0] == row["Cover worker email"]:
                self.fail(
                    "leave_cover",
                    row,
                    "Cover worker email",
                    "the worker on leave cannot cover their own cases",
                )
                ok = False
            key = (row["Leave ID"], row["Case number"])
            if ok and key in seen:
                self.fail(
                    "leave_cover",
                    row,
                    "Case number",
                    f"the case covered twice in this leave: also on row {seen[key]}",
                )
                ok = False
            elif ok and here.get(key, row["Cover ID"]) != row["Cover ID"]:
                self.fail(
                    "leave_cover",
                    row,
                    "Case number",
                    "the case already has cover in this leave here, under another cover ID",
                )
                ok = False
            if ok:
                seen[key] = row.number
                kept.append(row)
        return kept
