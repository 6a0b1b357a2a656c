"""The checks of a child's history rows and of supervision: each against the others and the records here."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cases.facts import REQUIRED
from cases.models import Allocation, Assessment, Contact, Programme
from cases.services.programmes import KIND_FIELDS, LENGTH_REQUIRED
from mappa.models import Criterion

from ..models import ImportedRecord
from .rows import Row

# Programme fields and the column that carries each (a field its kind does not take must be blank).
PROGRAMME_FIELDS = {
    "length_months": "Length (months)",
    "court_date": "Court date",
    "panel_date": "Panel date",
    "custody_threshold": "Custody threshold",
    "iss": "ISS",
    "custody_months": "Custody (months)",
    "assessed_for_court": "Assessed for court",
    "release_date": "Release date",
}


class RecordChecks:
    """Mixed into the checker (onboarding.validate), which gives the look-ups and helpers declared here."""

    today: datetime.date
    emails: set[str]
    programmes_here: dict[str, str]
    programme_children: dict[str, str]

    # The checker's own methods (onboarding/validate/__init__.py), named here for the type checker.
    fail: Callable[[str, Row, str, str], None]
    unique: Callable[[str, list[Row], str, str], list[Row]]
    known_staff: Callable[..., bool]

    def levels(self, rows: list[Row]) -> list[Row]:
        seen: dict[tuple, int] = {}
        kept = []
        for row in rows:
            key = (row["Case number"], row["Agreed on"])
            if key in seen:
                self.fail(
                    "levels",
                    row,
                    "Agreed on",
                    f"the child's levels agreed twice that day: also on row {seen[key]}",
                )
                continue
            seen[key] = row.number
            kept.append(row)
        return kept

    def programmes(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("programmes", rows, "Programme ID", "programme ID")
        self.programme_children = {r["Programme ID"]: r["Case number"] for r in rows}
        kept = []
        for row in rows:
            kind, ok = row["Kind"], True
            needed = REQUIRED.get(kind)
            if needed and row[PROGRAMME_FIELDS[needed]] is None:
                label = Programme.Kind(kind).label
                self.fail("programmes", row, PROGRAMME_FIELDS[needed], f"required for a {label.lower()}")
                ok = False
            if kind in LENGTH_REQUIRED and row["Length (months)"] is None:
                self.fail(
                    "programmes", row, "Length (months)", f"required for a {Programme.Kind(kind).label}"
                )
                ok = False
            for name, column in PROGRAMME_FIELDS.items():
                if row[column] and name not in KIND_FIELDS.get(kind, ()):
                    self.fail("programmes", row, column, f"not recorded for a {Programme.Kind(kind).label}")
                    ok = False
            if row["End date"] and row["End date"] < row["Start date"]:
                self.fail("programmes", row, "End date", "before the start date")
                ok = False
            if row["Closure reason"] and not row["End date"]:
                self.fail("programmes", row, "Closure reason", "a closure reason needs an end date")
                ok = False
            if ok:
                kept.append(row)
        return kept

    @staticmethod
    def earlier_programmes() -> dict[str, str]:
        """The case number of each programme an earlier import made, by its old id."""
        made = dict(ImportedRecord.objects.filter(kind="programmes").values_list("external_id", "object_id"))
        children = dict(
            Programme.objects.filter(pk__in=made.values()).values_list("pk", "child__case_number")
        )
        return {ext: children[pk] for ext, pk in made.items() if pk in children}

    def programme_known(self, kind: str, row: Row) -> bool:
        """The programme a row names (if any) is its child's own: in programmes.csv or imported before
        (the product's forms offer only the child's programmes)."""
        ref = row["Programme ID"]
        if not ref:
            return True
        if ref in self.programme_children:
            if self.programme_children[ref] != row["Case number"]:
                self.fail(kind, row, "Programme ID", "a programme of another child")
                return False
            return True
        if ref in self.programmes_here:
            if self.programmes_here[ref] != row["Case number"]:
                self.fail(kind, row, "Programme ID", "a programme of another child")
                return False
            return True
        self.fail(kind, row, "Programme ID", "unknown programme: not in programmes.csv or imported before")
        return False

    def allocations(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("allocations", rows, "Allocation ID", "allocation ID")
        kept: list[Row] = []
        open_cm: dict[str, int] = {}
        for row in rows:
            ok = self.known_staff("allocations", row, "Worker email", "Allocated by email")
            if row["Ended on"] and row["Ended on"] < row["Started on"]:
                self.fail("allocations", row, "Ended on", "before the start date")
                ok = False
            if ok and row["Role"] == Allocation.Role.CASE_MANAGER and not row["Ended on"]:
                if row["Case number"] in open_cm:
                    self.fail(
                        "allocations",
                        row,
                        "Role",
                        f"a second case manager still allocated: also on row {open_cm[row['Case number']]}",
                    )
                    ok = False
                else:
                    open_cm[row["Case number"]] = row.number
            if ok:
                kept.append(row)
        return kept

    def assessments(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("assessments", rows, "Assessment ID", "assessment ID")
        kept = []
        for row in rows:
            ok = self.known_staff(
                "assessments", row, "Author email", "Gatekept by email", "Signed off by email"
            )
            ok = self.programme_known("assessments", row) and ok
            completed = row["Status"] == Assessment.Status.COMPLETED
            if completed and not row["Completed on"]:
                self.fail("assessments", row, "Completed on", "required for a completed assessment")
                ok = False
            if row["Completed on"] and not completed:
                self.fail(
                    "assessments", row, "Completed on", "only a completed assessment has a completion date"
                )
                ok = False
            if row["Gatekept on"] and not row["Gatekept by email"]:
                self.fail("assessments", row, "Gatekept by email", "required with a gatekeeping date")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def plans(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("plans", rows, "Plan ID", "plan ID")
        kept = []
        for row in rows:
            ok = self.known_staff("plans", row, "Author email")
            ok = self.programme_known("plans", row) and ok
            if ok:
                kept.append(row)
        return kept

    def contacts(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("contacts", rows, "Contact ID", "contact ID")
        kept = []
        for row in rows:
            ok = self.known_staff("contacts", row, "Author email", "Worker email")
            ok = self.programme_known("contacts", row) and ok
            appointment = row["Appointment"] is not False
            # 000 App. B: an outcome is recorded once the appointment has been; a failure needs an
            # appointment given to the child and the explanation given.
            if row["Outcome"] != Contact.Outcome.BOOKED and row["Date"] > self.today:
                self.fail("contacts", row, "Date", "a date in the future: only a booked appointment can be")
                ok = False
            if row["Outcome"] in Contact.FAILURES and not appointment:
                self.fail(
                    "contacts", row, "Outcome", "only an appointment given to the child can be a failure"
                )
                ok = False
            if row["Outcome"] in Contact.FAILURES and not (row["Explanation"] or "").strip():
                self.fail(
                    "contacts", row, "Explanation", "required for a failure: the explanation given, or none"
                )
                ok = False
            if ok:
                kept.append(row)
        return kept

    def case_notes(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("case_notes", rows, "Note ID", "note ID")
        return [row for row in rows if self.known_staff("case_notes", row, "Author email")]

    def cmms(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("cmms", rows, "Meeting ID", "meeting ID")
        kept = []
        for row in rows:
            ok = self.known_staff("cmms", row, "Chair email", "Case manager email")
            held = row["Held at"].date()
            for column in ("Actions recorded on", "Minutes completed on", "Minutes sent to MAPPA on"):
                if row[column] and row[column] < held:
                    self.fail("cmms", row, column, "before the meeting was held")
                    ok = False
            if row["Next meeting at"] and row["Next meeting at"] <= row["Held at"]:
                self.fail("cmms", row, "Next meeting at", "not after the meeting")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def case_discussions(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("case_discussions", rows, "Discussion ID", "discussion ID")
        kept = []
        for row in rows:
            ok = self.known_staff("case_discussions", row, "Manager email", "Worker email")
            if row["Recorded on"] and row["Recorded on"] < row["Held on"]:
                self.fail("case_discussions", row, "Recorded on", "before the discussion was held")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def mappa(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("mappa", rows, "MAPPA ID", "MAPPA ID")
        kept = []
        for row in rows:
            ok = self.known_staff("mappa", row, "Recorded by email")
            # 001 §8: each criterion belongs to one category (its label says which).
            if f"(category {row['Category']})" not in Criterion(row["Criterion"]).label:
                self.fail(
                    "mappa", row, "Criterion", f"not a criterion of category {row['Category']} (001 §8)"
                )
                ok = False
            if row["Level"] and not row["Level set on"]:
                self.fail("mappa", row, "Level set on", "required with a level")
                ok = False
            for column in ("Form H sent on", "Level set on", "Ended on"):
                if row[column] and row[column] < row["Identified on"]:
                    self.fail("mappa", row, column, "before the child was identified as eligible")
                    ok = False
            if ok:
                kept.append(row)
        return kept

    def supervision(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("supervision", rows, "Session ID", "session ID")
        kept = []
        for row in rows:
            ok = self.known_staff("supervision", row, "Worker email", "Supervisor email")
            if ok and row["Worker email"] == row["Supervisor email"]:
                self.fail("supervision", row, "Supervisor email", "nobody supervises themselves")
                ok = False
            if ok:
                kept.append(row)
        return kept
