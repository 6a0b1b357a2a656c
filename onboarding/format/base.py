"""The import format's building blocks: value types, a column, a kind of file (docs/import-format.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.models import RiskLevel

# Value types a column may have (docs/import-format.md, "Values").
TEXT, DATE, DATETIME, TIME, YESNO, NUMBER, CHOICE, EMAIL = (
    "text",
    "date",
    "date and time",
    "time",
    "yes/no",
    "whole number",
    "choice",
    "email",
)


@dataclass(frozen=True)
class Column:
    """One column of a file: its heading, whether it must have a value, its type and what it feeds."""

    name: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    example: str = ""
    notes: str = ""
    max_length: int | None = None
    # A date that records something that happened: it may not be after the day of the import.
    past: bool = False


@dataclass(frozen=True)
class Kind:
    """One file of the set: its name (teams.csv, or a sheet named `teams` in an XLSX), its key column."""

    name: str
    title: str
    key: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    feeds: str = ""
    # The export's id for a record an import did not make: this prefix and its primary key ("P12").
    prefix: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def headings(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def choices_of(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


LEVELS = choices_of(RiskLevel.choices)
CASE_NUMBER = Column("Case number", required=True, example="YJS-004512", max_length=20)
