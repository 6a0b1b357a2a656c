"""An import's report: per file, rows read and what they would do (create, update, leave unchanged, skip),
every error with its file, row, column, value and reason, and the children skipped (ADR 0021: an invalid
child is skipped and the others go in; an error in teams, staff or a file's headings stops the import)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field, replace

from core.downloads import csv_cell

from .format import IMPORT_ORDER

REPORT_HEADINGS = ["File", "Row", "Column", "Value", "Reason"]


@dataclass(frozen=True)
class Problem:
    """One error: the file and spreadsheet row (the heading is row 1), the column, the value and why."""

    file: str
    row: int
    column: str
    value: str
    reason: str
    # The row's child, when its file is one of a child's (the child is skipped); blank otherwise.
    case_number: str = ""


@dataclass
class FileCounts:
    """What one file's rows would do."""

    file: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    # Rows not written: their child was skipped, the row had an error, or the import stopped.
    skipped: int = 0


@dataclass
class Report:
    """The whole set's report, in the order the files are imported."""

    files: dict[str, FileCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Case numbers of the children skipped (none of their rows written), in the order found.
    skipped_children: list[str] = field(default_factory=list)
    # Why nothing was imported (an error in teams, staff or a file's headings), or blank.
    stopped: str = ""

    def counts(self, kind: str) -> FileCounts:
        """The counts of one kind's file (made on first use)."""
        name = f"{kind}.csv"
        return self.files.setdefault(kind, FileCounts(file=name))

    def error(self, kind: str, row: int, column: str, value: str, reason: str) -> None:
        """Record an error against a kind's file."""
        self.problems.append(Problem(f"{kind}.csv", row, column, value[:100], reason))
        self.counts(kind).errors += 1

    def child_failed(self, *, case_number: str, row: int, reason: str) -> None:
        """A child whose writing failed part-way (its transaction rolled back): skipped and reported."""
        self.problems.append(Problem("children.csv", row, "", case_number, reason[:200], case_number))
        self.counts("children").errors += 1
        if case_number not in self.skipped_children:
            self.skipped_children.append(case_number)

    def snapshot(self) -> dict[str, FileCounts]:
        """The counts as they are (restored if a child's transaction rolls back)."""
        return {kind: replace(counts) for kind, counts in self.files.items()}

    def restore(self, saved: dict[str, FileCounts]) -> None:
        self.files = saved

    def finish(self) -> None:
        """Each file's skipped rows: those read but neither created, updated nor left unchanged."""
        for c in self.files.values():
            c.skipped = max(0, c.read - c.created - c.updated - c.unchanged)

    @property
    def ok(self) -> bool:
        return not self.problems

    def ordered(self) -> list[FileCounts]:
        """The files in import order (teams first)."""
        return [self.files[name] for name in IMPORT_ORDER if name in self.files]

    @property
    def rows_left_out(self) -> int:
        """Rows with an error that belong to no child (supervision, leave, the board...): left out alone."""
        return len({(p.file, p.row) for p in self.problems if not p.case_number})

    def as_dict(self) -> dict:
        """For storing with the run (ServiceImport.report) and showing on the page."""
        return {
            "files": [asdict(c) for c in self.ordered()],
            "problems": [asdict(p) for p in self.problems],
            "skipped_children": list(self.skipped_children),
            "stopped": self.stopped,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        report = cls()
        for counts in data.get("files", []):
            report.files[counts["file"].removesuffix(".csv")] = FileCounts(**counts)
        report.problems = [Problem(**p) for p in data.get("problems", [])]
        report.skipped_children = list(data.get("skipped_children", []))
        report.stopped = data.get("stopped", "")
        return report

    def errors_csv(self) -> str:
        """The report as CSV: the per-file counts, a blank line, then every error (formula-safe cells)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["File", "Rows read", "Created", "Updated", "Unchanged", "Skipped", "Errors"])
        for c in self.ordered():
            writer.writerow([c.file, c.read, c.created, c.updated, c.unchanged, c.skipped, c.errors])
        writer.writerow([])
        writer.writerow(["Children skipped", len(self.skipped_children)])
        for number in self.skipped_children:
            writer.writerow(["", csv_cell(number)])
        if self.stopped:
            writer.writerow(["Stopped", csv_cell(self.stopped)])
        writer.writerow([])
        writer.writerow(REPORT_HEADINGS)
        for p in self.problems:
            writer.writerow(
                [csv_cell(p.file), p.row, csv_cell(p.column), csv_cell(p.value), csv_cell(p.reason)]
            )
        return out.getvalue()

    def lines(self) -> list[str]:
        """The report as text for the command line."""
        width = max([18, *(len(c.file) for c in self.ordered())])
        out = [
            f"{'File':<{width}} {'Read':>7} {'Create':>7} {'Update':>7} {'Same':>7} {'Skip':>7} {'Errors':>7}"
        ]
        for c in self.ordered():
            out.append(
                f"{c.file:<{width}} {c.read:>7} {c.created:>7} {c.updated:>7} {c.unchanged:>7} {c.skipped:>7}"
                f" {c.errors:>7}"
            )
        for p in self.problems:
            out.append(f"{p.file} row {p.row}, {p.column or '-'} {p.value!r}: {p.reason}")
        if self.skipped_children:
            out.append(f"Children skipped ({len(self.skipped_children)}): {', '.join(self.skipped_children)}")
        if self.stopped:
            out.append(f"Stopped: {self.stopped}")
        return out
