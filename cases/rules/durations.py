"""Workflow timescales, and every timescale in words, from the active profile's policy table.

The catalogue's obligations (docs/spec/timescales.md) are not the only periods the policies state. A
CMM's agencies are invited two weeks ahead (001 §6.2), the compliance report reaches the chair 24 hours
before the meeting (000 App. B), a caretaking agreement is reviewed within three calendar months
(003 §12.1, App. B), a prompt to a team manager is due in five working days (001 §6.3). These are
`[[durations]]` in the profile's TOML: the product applies them on its pages and in its services,
but they create no obligation, so the `timescales` command never returns them.

`words(key)` states any timescale as a page says it ("48 hours", "five working days", "two weeks"):
a duration's id, or an obligation code (or rule id) whose rules all share one offset. Pages render it
through the `{% timescale %}` template tag, so switching POLICY_PROFILE changes the words with the
dates. Pure Python, no Django.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from .calendar import WorkingCalendar, add_hours, add_months_raw
from .clauses import PolicyError, _only
from .profiles import POLICY_DIR, Rule, get_profile

_UNITS = {
    "working_days": "working day",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",  # retention periods (retention/, UK GDPR Art. 5(1)(e)): "six years", "25 years"
    "hours": "hour",
}
CALENDAR_MONTH = (1, "calendar_month")  # Islington's "every calendar month" (002 Frequency)
_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def amount_words(amount: int | float, unit: str) -> str:
    """'five working days', '48 hours', 'two weeks', 'one month': words up to ten, figures above (as
    the policies write them); hours always in figures ('24 hours', as 000 and 001 do)."""
    if unit not in _UNITS:
        raise PolicyError(f"unknown unit {unit!r}")
    n = int(amount) if float(amount).is_integer() else amount
    figure = _NUMBER_WORDS[n] if isinstance(n, int) and n <= 10 and unit != "hours" else str(n)
    return f"{figure} {_UNITS[unit]}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Duration:
    """One workflow timescale of a profile: how long, the policy behind it, and what it is for."""

    id: str
    amount: int
    unit: str
    basis: str
    title: str

    @property
    def words(self) -> str:
        """The period as a page states it ('two weeks')."""
        return amount_words(self.amount, self.unit)

    def after(self, day: date, cal: WorkingCalendar) -> date:
        """The date this period after `day`: working days skip weekends and bank holidays; calendar
        months clamp to the month's end (31 Jan + 3 months = 30 Apr); days and weeks are elapsed; a
        year is twelve calendar months (29 Feb 2008 + 25 years = 28 Feb 2033)."""
        return self._shift(day, cal, 1)

    def before(self, day: date, cal: WorkingCalendar) -> date:
        """The date this period before `day` (the same arithmetic, backwards)."""
        return self._shift(day, cal, -1)

    def _shift(self, day: date, cal: WorkingCalendar, sign: int) -> date:
        n = self.amount * sign
        if self.unit == "working_days":
            return cal.add_working_days(day, n) if n >= 0 else cal.subtract_working_days(day, -n)
        if self.unit == "days":
            return day + timedelta(days=n)
        if self.unit == "weeks":
            return day + timedelta(weeks=n)
        if self.unit == "months":
            return add_months_raw(day, n)
        if self.unit == "years":  # whole calendar years: 29 Feb + 1 year = 28 Feb, as months clamp
            return add_months_raw(day, 12 * n)
        raise PolicyError(f"duration {self.id}: a period in {self.unit} applies to an instant, not a date")

    def instant_before(self, at: datetime) -> datetime:
        """The instant this many hours before `at` (elapsed time in Europe/London, across clock changes)."""
        if self.unit != "hours":
            raise PolicyError(f"duration {self.id}: only hours apply to an instant")
        return add_hours(at, -self.amount)


@cache
def durations(profile_id: str) -> dict[str, Duration]:
    """The profile's workflow timescales by id (a profile that extends another inherits them and may
    replace one by id, as with its rules)."""
    get_profile(profile_id)  # unknown profile: KeyError, as for the rules
    found: dict[str, Duration] = {}
    for spec in _raw_durations(profile_id):
        where = f"profile {profile_id}: duration {spec.get('id', '?')}"
        _only(spec, {"id", "amount", "unit", "basis", "title"}, where)
        if spec.get("unit") not in _UNITS or not isinstance(spec.get("amount"), int) or spec["amount"] < 0:
            raise PolicyError(f"{where}: needs a whole amount and a unit of {sorted(_UNITS)}")
        found[spec["id"]] = Duration(spec["id"], spec["amount"], spec["unit"], spec["basis"], spec["title"])
    return found


def _raw_durations(profile_id: str) -> list[dict]:
    """The `[[durations]]` of a profile's file merged over its parent's, by id."""
    with (POLICY_DIR / f"{profile_id}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    merged = _raw_durations(data["extends"]) if data.get("extends") else []
    index = {d["id"]: n for n, d in enumerate(merged)}
    for spec in data.get("durations", []):
        if spec.get("id") in index:
            merged[index[spec["id"]]] = {**merged[index[spec["id"]]], **spec}
        else:
            index[spec.get("id")] = len(merged)
            merged.append(dict(spec))
    return merged


def duration(profile_id: str, key: str) -> Duration:
    """One workflow timescale of the profile (KeyError naming it if the table has none)."""
    try:
        return durations(profile_id)[key]
    except KeyError:
        raise KeyError(f"profile {profile_id} has no duration {key!r}") from None


def _offset(rule: Rule) -> tuple[int, str] | None:
    """A rule's one timescale as (amount, unit): its due offset, or its recurrence's interval."""
    spec = rule.spec.get("due") or (rule.spec.get("recurrence") or {}).get("every") or {}
    if spec.get("kind") in ("after", "before") and spec.get("unit"):
        return spec["amount"], spec["unit"]
    if spec.get("kind") == "calendar_month":
        return CALENDAR_MONTH
    return None


@cache
def words(profile_id: str, key: str) -> str:
    """Any timescale of the profile in words: a duration's id, a rule id, or an obligation code whose
    rules all fall due by one offset ('48 hours'). KeyError when there is none or they disagree."""
    found = durations(profile_id).get(key)
    if found is not None:
        return found.words
    offsets = {_offset(r) for r in get_profile(profile_id).rules if key in (r.id, r.code)}
    offset = next(iter(offsets)) if len(offsets) == 1 else None
    if offset is not None:
        return "calendar month" if offset == CALENDAR_MONTH else amount_words(*offset)
    raise KeyError(f"profile {profile_id}: no single timescale for {key!r}")
