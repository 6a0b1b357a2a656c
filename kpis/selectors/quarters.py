"""Quarters, named one way everywhere: `2026Q3` is the third **calendar** quarter of 2026, 1 July to 30
September 2026 (Q1 January-March, Q2 April-June, Q3 July-September, Q4 October-December).

The YJB's returns use the financial year (its Q1 is April-June), so every page, export and the command
also give the YJB's own name for the same three months (`2026/27 Q2`): the token a person types is never
ambiguous, and the label the YJB uses is always beside it (docs/adr/0022-kpi-facts-and-return.md).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from core.forms import EARLIEST_YEAR, LATEST_YEAR

TOKEN = re.compile(r"(?P<year>\d{4})Q(?P<q>[1-4])")
MONTHS = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}


class BadQuarter(ValueError):
    """A quarter that cannot be read; the message is one line saying why."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: `year` and `number` (1-4)."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str | None) -> Quarter:
        """`2026Q3` (the one format accepted by the page, the exports and the command), or BadQuarter."""
        value = (text or "").strip().upper()
        match = TOKEN.fullmatch(value)
        if not match:
            raise BadQuarter(
                f"{text!r} is not a quarter in the form YYYYQn, such as 2026Q3 (July to September 2026)"
            )
        year = int(match["year"])
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise BadQuarter(f"{value}: the year is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return cls(year, int(match["q"]))

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: datetime.date) -> Quarter:
        """The latest quarter that has ended by `today` (the page's default)."""
        return cls.containing(today).shift(-1)

    def shift(self, quarters: int) -> Quarter:
        """The quarter `quarters` later (earlier when negative)."""
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def start(self) -> datetime.date:
        """The quarter's first day."""
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """The quarter's last day (31 March, 30 June, 30 September or 31 December)."""
        return self.shift(1).start - datetime.timedelta(days=1)

    @property
    def token(self) -> str:
        """`2026Q3`."""
        return f"{self.year}Q{self.number}"

    @property
    def yjb_label(self) -> str:
        """The YJB's financial-year name for the same months: 2026Q3 is `2026/27 Q2`, 2027Q1 `2026/27 Q4`."""
        fy = self.year if self.number >= 2 else self.year - 1
        return f"{fy}/{(fy + 1) % 100:02d} Q{(self.number + 2) % 4 + 1}"

    @property
    def label(self) -> str:
        """`July to September 2026`."""
        return f"{MONTHS[self.number]} {self.year}"

    @property
    def short_label(self) -> str:
        """`Jul-Sep 2026`, for a chart's axis."""
        return f"{MONTHS[self.number][:3]}-{MONTHS[self.number].split()[-1][:3]} {self.year}"

    def __str__(self) -> str:
        return self.token

    def contains(self, day: datetime.date | None) -> bool:
        """The date falls in the quarter."""
        return day is not None and self.start <= day <= self.end
