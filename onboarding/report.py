"""An import's report: per file, rows read and what they would do (create, update, leave unchanged), and
every error with its file, row, column, value and reason."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from core.downloads import csv_cell

from .format import KINDS

REPORT_HEADINGS = ["File", "Row", "Column", "Value", "Reason"]


@dataclass(frozen=True)
class Problem:
    """One error: the file and spreadsheet row (the heading is row 1), the column, the value and why."""

    file: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class FileCounts:
    """What one file's rows would do."""

    file: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


@dataclass
class Report:
    """The whole set's report, in the order the files are imported."""

    files: dict[str, FileCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self, kind: str) -> FileCounts:
        """The counts of one kind's file (made on first use)."""
        name = f"{kind}.csv"
        return self.files.setdefault(kind, FileCounts(file=name))

    def error(self, kind: str, row: int, column: str, value: str, reason: str) -> None:
        """Record an error against a kind's file."""
        self.problems.append(Problem(f"{kind}.csv", row, column, value[:100], reason))
        self.counts(kind).errors += 1

    @property
    def ok(self) -> bool:
        return not self.problems

    def ordered(self) -> list[FileCounts]:
        """The files in import order (teams first)."""
        return [self.files[k.name] for k in KINDS if k.name in self.files]

    def as_dict(self) -> dict:
        """For storing with the run (ServiceImport.report) and showing on the page."""
        return {"files": [asdict(c) for c in self.ordered()], "problems": [asdict(p) for p in self.problems]}

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        report = cls()
        for counts in data.get("files", []):
            report.files[counts["file"].removesuffix(".csv")] = FileCounts(**counts)
        report.problems = [Problem(**p) for p in data.get("problems", [])]
        return report

    def errors_csv(self) -> str:
        """The report as CSV: the per-file counts, a blank line, then every error (formula-safe cells)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["File", "Rows read", "Created", "Updated", "Unchanged", "Errors"])
        for c in self.ordered():
            writer.writerow([c.file, c.read, c.created, c.updated, c.unchanged, c.errors])
        writer.writerow([])
        writer.writerow(REPORT_HEADINGS)
        for p in self.problems:
            writer.writerow(
                [csv_cell(p.file), p.row, csv_cell(p.column), csv_cell(p.value), csv_cell(p.reason)]
            )
        return out.getvalue()

    def lines(self) -> list[str]:
        """The report as text for the command line."""
        out = [f"{'File':<18} {'Read':>7} {'Create':>7} {'Update':>7} {'Same':>7} {'Errors':>7}"]
        for c in self.ordered():
            out.append(
                f"{c.file:<18} {c.read:>7} {c.created:>7} {c.updated:>7} {c.unchanged:>7} {c.errors:>7}"
            )
        for p in self.problems:
            out.append(f"{p.file} row {p.row}, {p.column or '-'} {p.value!r}: {p.reason}")
        return out
