"""Working-day calendar and the timescale arithmetic of docs/spec/timescales.md ("Arithmetic").

Pure Python, no Django. A working day is Monday to Friday and not a bank holiday in the
profile's region (England and Wales by default, via the ``holidays`` package, which knows the
one-off days: 2022-06-02/03, 2022-09-19, 2023-05-08).

Internally every date is handled as a proleptic ordinal (``date.toordinal()``) so that the
engine can do thousands of look-ups per timeline cheaply: the calendar keeps, for a span of
years, the sorted list of working-day ordinals and, for each day of the span, how many working
days fall strictly before it. Both are rebuilt (wider) on demand, so results never depend on
which dates were asked for first.
"""

from __future__ import annotations

import calendar as _stdcal
import math
import threading
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

# Dates outside these years are refused by the engine's validation; the calendar itself works
# for any span the holidays package covers.
MIN_YEAR = 1900
MAX_YEAR = 2199

# How far around any requested day the tables must reach: generous enough for the largest
# offsets in the policy tables (months, tens of working days) so one look-up never runs off.
_MARGIN_DAYS = 400


class WorkingCalendar:
    """Working days for one country/subdivision, with the spec's date arithmetic."""

    __slots__ = ("country", "subdiv", "_table", "_holiday_cache", "_lock")

    def __init__(self, country: str = "GB", subdiv: str | None = "ENG") -> None:
        """Create an (empty, lazily filled) calendar for a region."""
        self.country = country
        self.subdiv = subdiv
        # (lo, hi, count, wd): lo..hi the covered ordinals (whole years); count[o - lo] = working
        # days with ordinal < o; wd = the sorted working-day ordinals. Replaced as a whole, never
        # mutated, so a reader in another thread always sees a consistent table.
        self._table: tuple[int, int, list[int], list[int]] = (0, -1, [], [])
        self._holiday_cache: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()

    # -- holidays -------------------------------------------------------------------------

    def holidays_in(self, year: int) -> frozenset[date]:
        """The bank holidays of one year in this region (cached per year)."""
        cached = self._holiday_cache.get(year)
        if cached is None:
            table = holidays.country_holidays(self.country, subdiv=self.subdiv, years=year)
            cached = frozenset(d for d in table if d.year == year)
            self._holiday_cache[year] = cached
        return cached

    def _cover(self, ordinal: int) -> tuple[int, int, list[int], list[int]]:
        """The working-day table, rebuilt wider if it does not cover ``ordinal`` with a margin."""
        table = self._table
        if table[0] + _MARGIN_DAYS <= ordinal <= table[1] - _MARGIN_DAYS:
            return table
        with self._lock:
            table = self._table
            if table[0] + _MARGIN_DAYS <= ordinal <= table[1] - _MARGIN_DAYS:
                return table
            year = date.fromordinal(max(1, min(ordinal, date.max.toordinal()))).year
            lo_year = max(date.min.year + 1, year - 3)
            hi_year = min(date.max.year - 1, year + 3)
            if table[2]:
                lo_year = min(lo_year, date.fromordinal(table[0]).year)
                hi_year = max(hi_year, date.fromordinal(table[1]).year)
            table = self._table = self._build(lo_year, hi_year)
            return table

    def _build(self, lo_year: int, hi_year: int) -> tuple[int, int, list[int], list[int]]:
        """A working-day table for whole years lo_year..hi_year."""
        lo = date(lo_year, 1, 1).toordinal()
        hi = date(hi_year, 12, 31).toordinal()
        hol: set[int] = set()
        for y in range(lo_year, hi_year + 1):
            hol.update(d.toordinal() for d in self.holidays_in(y))
        count = [0] * (hi - lo + 2)
        wd: list[int] = []
        n = 0
        for i, o in enumerate(range(lo, hi + 1)):
            count[i] = n
            # date.fromordinal(o).weekday() == (o + 6) % 7: Monday is 0.
            if (o + 6) % 7 < 5 and o not in hol:
                wd.append(o)
                n += 1
        count[hi - lo + 1] = n
        return lo, hi, count, wd

    # -- ordinal core (used by the engine) ------------------------------------------------

    def is_working_ord(self, o: int) -> bool:
        """True when the day with ordinal ``o`` is a working day."""
        lo, _hi, count, _wd = self._cover(o)
        i = o - lo
        return count[i + 1] != count[i]

    def add_working_days_ord(self, o: int, n: int) -> int:
        """The nth working day after ``o`` (``o`` not counted; a non-working ``o`` counts from the next)."""
        if n <= 0:
            return self.on_or_before_ord(o) if n == 0 else self.subtract_working_days_ord(o, -n)
        probe = o
        while True:
            lo, hi, count, wd = self._cover(probe)
            k = count[o - lo + 1] + n - 1  # index of the answer in wd
            if k < len(wd):
                return wd[k]
            probe = hi + _MARGIN_DAYS  # not far enough: widen the table forwards and retry

    def subtract_working_days_ord(self, o: int, n: int) -> int:
        """The nth working day before ``o`` (``o`` not counted)."""
        if n <= 0:
            return self.add_working_days_ord(o, -n) if n < 0 else self.on_or_before_ord(o)
        probe = o
        while True:
            lo, hi, count, wd = self._cover(probe)
            k = count[o - lo] - n
            if k >= 0:
                return wd[k]
            probe = lo - _MARGIN_DAYS  # widen the table backwards and retry

    def last_working_day_before_ord(self, o: int) -> int:
        """'Before D' / 'prior to D': the last working day strictly before ``o``."""
        return self.subtract_working_days_ord(o, 1)

    def on_or_before_ord(self, o: int) -> int:
        """``o`` itself when a working day, else the last working day before it (the 'move back' rule)."""
        lo, _hi, count, _wd = self._cover(o)
        i = o - lo
        if count[i + 1] != count[i]:
            return o
        return self.subtract_working_days_ord(o, 1)

    # -- date API ---------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True when ``d`` is Monday–Friday and not a bank holiday."""
        return self.is_working_ord(d.toordinal())

    def add_working_days(self, d: date, n: int) -> date:
        """N working days after D: the Nth working day after D, D itself not counted."""
        return date.fromordinal(self.add_working_days_ord(d.toordinal(), n))

    def subtract_working_days(self, d: date, n: int) -> date:
        """N working days before D: the Nth working day before D, D not counted."""
        return date.fromordinal(self.subtract_working_days_ord(d.toordinal(), n))

    def last_working_day_before(self, d: date) -> date:
        """Before D (no number): the last working day before D."""
        return date.fromordinal(self.last_working_day_before_ord(d.toordinal()))

    def on_or_before(self, d: date) -> date:
        """D when it is a working day, else the last working day before it."""
        return date.fromordinal(self.on_or_before_ord(d.toordinal()))

    def add_days(self, d: date, n: int) -> date:
        """N days after D, moved back to the last working day when not a working day."""
        return date.fromordinal(self.on_or_before_ord(d.toordinal() + n))

    def add_weeks(self, d: date, n: int) -> date:
        """N weeks after D, moved back to the last working day when not a working day."""
        return date.fromordinal(self.on_or_before_ord(d.toordinal() + 7 * n))

    def add_months(self, d: date, n: int) -> date:
        """N months after D (clamped to the month's end), moved back to a working day."""
        return date.fromordinal(self.on_or_before_ord(add_months_raw(d, n).toordinal()))

    def friday_before(self, d: date) -> date:
        """The Friday strictly before D; if that Friday is not a working day, the working day before it."""
        return date.fromordinal(self.friday_before_ord(d.toordinal()))

    def friday_before_ord(self, o: int) -> int:
        """Ordinal form of :meth:`friday_before` (001 §6 table: OOCD 'Friday prior to the panel')."""
        back = ((o + 6) % 7 - 4) % 7 or 7  # days back to the previous Friday (7 when D is a Friday)
        friday = o - back
        return self.on_or_before_ord(friday)

    def last_working_day_of_next_month(self, d: date) -> date:
        """Every calendar month (002): the last working day of the month after D's month."""
        return date.fromordinal(self.last_working_day_of_next_month_ord(d.toordinal()))

    def last_working_day_of_next_month_ord(self, o: int) -> int:
        """Ordinal form of :meth:`last_working_day_of_next_month`."""
        d = date.fromordinal(o)
        y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
        end = date(y, m, _stdcal.monthrange(y, m)[1]).toordinal()
        return self.on_or_before_ord(end)


def add_months_raw(d: date, n: int) -> date:
    """Calendar month arithmetic, clamping to the month's end (31 Jan + 1 month = 29 Feb 2024)."""
    y, m0 = divmod(d.month - 1 + n, 12)
    y += d.year
    m = m0 + 1
    return date(y, m, min(d.day, _stdcal.monthrange(y, m)[1]))


def add_hours(at: datetime, hours: float) -> datetime:
    """N hours after an instant: elapsed time, expressed in Europe/London (never moved)."""
    if at.tzinfo is None:  # naive means Europe/London (spec: facts)
        at = at.replace(tzinfo=LONDON)
    return (at.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def add_hours_to_date(d: date, hours: float) -> date:
    """N hours after a date-only fact: D + ceil(N/24) days (48 hours: D + 2 days), never moved."""
    return d + timedelta(days=math.ceil(hours / 24))


@cache
def get_calendar(country: str = "GB", subdiv: str | None = "ENG") -> WorkingCalendar:
    """One shared calendar per region, so its tables are built once per process."""
    return WorkingCalendar(country, subdiv)
