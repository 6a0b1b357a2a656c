"""Checking a set of import files before anything is written: every cell against its column
(onboarding.values), then each row against the others and the records already here (unknown team, a
worker not in staff, a duplicate case number, a programme without its required court date...).

Reads only. Every problem goes in the report. An error in teams, staff or a file's headings stops the
import (everything depends on them); otherwise a child with an error in any of its rows is skipped (listed
in the report) and the rows returned for the import are the other children's (ADR 0021).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field, replace

from cases.models import Child, Team, User

from ..format import BY_NAME, CHILD_KINDS, KINDS, STAFF_KINDS
from ..reader import Sheet
from ..report import Report
from ..values import parse
from .caretaking import CaretakingChecks
from .courts import CourtChecks
from .mappa_history import MappaHistoryChecks
from .outcomes import OutcomeChecks
from .records import RecordChecks
from .rows import Row
from .staff_records import StaffRecordChecks
from .transfers import TransferChecks

__all__ = ["Checked", "Row", "check"]


@dataclass
class Checked:
    """The rows that passed, per kind, with the report so far (errors, rows read)."""

    report: Report
    rows: dict[str, list[Row]] = field(default_factory=dict)
    today: datetime.date | None = None
    # Case numbers of the children skipped: an error in any of their rows (none of them is returned).
    skipped: set[str] = field(default_factory=set)

    @property
    def stopped(self) -> bool:
        """An error in teams, staff or a file's headings: nothing is imported."""
        return bool(self.report.stopped)


class _Checker(
    RecordChecks,
    StaffRecordChecks,
    TransferChecks,
    CaretakingChecks,
    MappaHistoryChecks,
    CourtChecks,
    OutcomeChecks,
):
    def __init__(self, sheets: dict[str, Sheet], today: datetime.date):
        self.sheets = sheets
        self.today = today
        self.report = Report()
        self.rows: dict[str, list[Row]] = {}
        # Each row's case number as written, by (kind, row): which child an error is about.
        self.case_of: dict[tuple[str, int], str] = {}

    # -- the cells --------------------------------------------------------------------------------------
    def cells(self, kind: str) -> list[Row]:
        """Each row's values, checked against its columns; headings checked first."""
        sheet = self.sheets.get(kind)
        if sheet is None:
            return []
        spec = BY_NAME[kind]
        counts = self.report.counts(kind)
        counts.read = len(sheet.rows)
        known = set(spec.headings)
        for heading in sheet.headings:
            if heading and heading not in known:
                self.report.error(kind, 1, heading, heading, "unknown column (docs/import-format.md)")
        missing = {c.name for c in spec.columns if c.required and c.name not in sheet.headings}
        for name in sorted(missing):
            self.report.error(kind, 1, name, "", "required column missing")
        if missing:
            return []
        for heading, total in Counter(sheet.headings).items():
            if heading and total > 1:
                self.report.error(kind, 1, heading, heading, "column given twice")
        good = []
        for number, raw in sheet.rows:
            if "Case number" in known:
                self.case_of[(kind, number)] = (raw.get("Case number") or "").strip()
            values, ok = {}, True
            for column in spec.columns:
                text = raw.get(column.name, "")
                try:
                    values[column.name] = parse(column, text, today=self.today)
                except ValueError as error:
                    self.report.error(kind, number, column.name, text, str(error))
                    ok = False
            if ok:
                good.append(Row(number, values))
        return good

    def fail(self, kind: str, row: Row, column: str, reason: str) -> None:
        value = row[column]
        text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
        self.report.error(kind, row.number, column, text, reason)

    def unique(self, kind: str, rows: list[Row], column: str, what: str) -> list[Row]:
        """Rows whose `column` no earlier row has (compared case-insensitively); later ones are errors."""
        seen: dict[str, int] = {}
        kept = []
        for row in rows:
            key = str(row[column]).lower()
            if key in seen:
                self.fail(kind, row, column, f"duplicate {what}: also on row {seen[key]}")
                continue
            seen[key] = row.number
            kept.append(row)
        return kept

    # -- each kind --------------------------------------------------------------------------------------
    def run(self) -> Checked:
        teams = self.unique("teams", self.cells("teams"), "Team name", "team name")
        self.team_names = {n.lower() for n in Team.objects.values_list("name", flat=True)} | {
            r["Team name"].lower() for r in teams
        }
        self.rows["teams"] = teams
        self.rows["staff"] = self.staff()
        self.rows["children"] = self.children()
        self.programmes_here = self.earlier_programmes()
        for kind in CHILD_KINDS:
            rows = [r for r in self.cells(kind) if self.child_known(kind, r)]
            self.rows[kind] = getattr(self, kind)(rows)
        for kind in STAFF_KINDS:
            self.rows[kind] = getattr(self, kind)(self.cells(kind))
        return Checked(report=self.report, rows=self.rows, today=self.today)

    def staff(self) -> list[Row]:
        rows = self.unique("staff", self.cells("staff"), "Email", "email")
        existing = dict(User.objects.exclude(email="").values_list("username", "email"))
        existing = {u.lower(): e.lower() for u, e in existing.items()}
        self.emails = set(existing.values()) | {r["Email"] for r in rows}
        kept: list[Row] = []
        usernames: dict[str, int] = {}
        for row in rows:
            ok = True
            username = (row["Username"] or row["Email"].split("@")[0]).lower()
            row.values["Username"] = username
            if existing.get(username, row["Email"]) != row["Email"]:
                self.fail("staff", row, "Username", "already used by another member of staff here")
                ok = False
            elif username in usernames:
                self.fail("staff", row, "Username", f"duplicate username: also on row {usernames[username]}")
                ok = False
            usernames.setdefault(username, row.number)
            if row["Team"] and row["Team"].lower() not in self.team_names:
                self.fail("staff", row, "Team", "unknown team: not in teams.csv or here")
                ok = False
            manager = row["Line manager email"]
            if manager and manager not in self.emails:
                self.fail("staff", row, "Line manager email", "line manager not in staff")
                ok = False
            elif manager and manager == row["Email"]:
                self.fail("staff", row, "Line manager email", "nobody is their own line manager")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def children(self) -> list[Row]:
        rows = self.unique("children", self.cells("children"), "Case number", "case number")
        kept = []
        for row in rows:
            if row["Team"].lower() not in self.team_names:
                self.fail("children", row, "Team", "unknown team: not in teams.csv or here")
                continue
            if not self.known_staff("children", row, "Case manager email"):
                continue
            kept.append(row)
        self.case_numbers = set(Child.objects.values_list("case_number", flat=True)) | {
            r["Case number"] for r in kept
        }
        self.file_case_numbers = {r["Case number"] for r in self.sheets_rows("children")}
        return kept

    def sheets_rows(self, kind: str) -> list[Row]:
        sheet = self.sheets.get(kind)
        return [Row(n, v) for n, v in sheet.rows] if sheet else []

    def child_known(self, kind: str, row: Row) -> bool:
        """A row's child is here or in children.csv. A child whose own row had errors is reported there:
        their other rows are left out without a second error."""
        number = row["Case number"]
        if number in self.case_numbers:
            return True
        if number not in self.file_case_numbers:
            self.fail(kind, row, "Case number", "unknown case number: not in children.csv or here")
        return False

    def known_staff(self, kind: str, row: Row, *columns: str) -> bool:
        ok = True
        for column in columns:
            if row[column] and row[column] not in self.emails:
                what = "case manager" if column == "Case manager email" else "worker"
                self.fail(kind, row, column, f"{what} not in staff: not in staff.csv or here")
                ok = False
        return ok


PEOPLE_FILES = ("teams.csv", "staff.csv")


def _skip_children(checker: _Checker, checked: Checked) -> None:
    """Name each error's child; stop on an error in teams, staff or headings; else skip the children
    with an error and keep only the others' rows."""
    report = checked.report
    report.problems = [
        replace(p, case_number=checker.case_of.get((p.file.removesuffix(".csv"), p.row), ""))
        for p in report.problems
    ]
    stopping = [p for p in report.problems if p.file in PEOPLE_FILES or p.row == 1]
    if stopping:
        report.stopped = (
            f"{len(stopping)} error{'s' if len(stopping) > 1 else ''} in teams, staff or a file's headings: "
            "every child depends on them, so nothing was imported"
        )
        checked.rows = {}
        return
    known = checker.case_numbers | checker.file_case_numbers  # here, or in children.csv
    for problem in report.problems:
        number = problem.case_number
        if number in known and number not in checked.skipped:
            checked.skipped.add(number)
            report.skipped_children.append(number)
    for kind in ("children", *CHILD_KINDS):
        checked.rows[kind] = [
            r for r in checked.rows.get(kind, []) if r["Case number"] not in checked.skipped
        ]


def check(sheets: dict[str, Sheet], *, today: datetime.date) -> Checked:
    """Check every file of the set; nothing is written."""
    checker = _Checker(sheets, today)
    checked = checker.run()
    # Report every file given, in import order, even one with no rows.
    for kind in KINDS:
        if kind.name in sheets:
            checked.report.counts(kind.name)
    _skip_children(checker, checked)
    return checked
