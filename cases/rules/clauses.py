"""The clauses a policy rule is compiled from: offsets (how a due date follows from a base date),
offset choices, fact matchers and conditions. Read by ``profiles.py``; a malformed table raises
``PolicyError`` at load time, naming the key."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import overload

from .calendar import WorkingCalendar, add_hours, add_months_raw
from .facts import FACT_FIELDS, RISK_RANK, Fact


class PolicyError(Exception):
    """A policy table is malformed (a programming/configuration error, not bad input)."""


# -- offsets ------------------------------------------------------------------------------------

_UNITS = ("working_days", "days", "weeks", "months", "hours")


class Offset:
    """One concrete timescale: how a due date follows from a base date (and maybe an instant)."""

    __slots__ = (
        "kind",
        "amount",
        "unit",
        "from_field",
        "if_where",
        "if_present",
        "spec",
        "memo",
        "instants",
    )
    # amount and unit are a whole number and one of _UNITS for "after" and "before" (checked here);
    # the other kinds have none.
    amount: int | None
    unit: str | None

    def __init__(self, spec: dict, where: str) -> None:
        """Compile one offset table (kind, amount, unit, from, if, if_present)."""
        _only(spec, {"kind", "amount", "unit", "from", "if", "if_present"}, where)
        self.spec = spec
        self.kind = spec.get("kind")
        self.amount = spec.get("amount")
        self.unit = spec.get("unit")
        self.from_field = spec.get("from")
        self.if_where = tuple(sorted((spec.get("if") or {}).items()))
        self.if_present = spec.get("if_present")
        self.memo: dict[int, int | None] = {}
        self.instants: dict[tuple[datetime, int], tuple[datetime, int, str]] = {}
        if self.kind in ("after", "before"):
            if self.unit not in _UNITS or not isinstance(self.amount, int) or self.amount < 0:
                raise PolicyError(f"{where}: '{self.kind}' needs a whole amount and a unit in {_UNITS}")
            if self.kind == "before" and self.unit != "working_days":
                raise PolicyError(f"{where}: 'before' is only defined for working_days")
        elif self.kind not in ("on", "last_working_day_before", "friday_before", "calendar_month", "none"):
            raise PolicyError(f"{where}: unknown offset kind {self.kind!r}")

    def applies(self, trigger: Fact) -> bool:
        """Whether this option of a ``first_of`` applies to the trigger fact."""
        tf = trigger.f
        if self.if_present is not None and tf.get(self.if_present) is None:
            return False
        for k, v in self.if_where:
            if not tf.get(k) == v:
                return False
        return True

    def base(self, fact: Fact) -> tuple[int, datetime | None] | None:
        """The day ordinal (and instant) the offset counts from: ``from`` field, else the fact's date."""
        if self.from_field is None:
            return fact.o, fact.at
        value = fact.f.get(self.from_field)
        return None if value is None else (value.toordinal(), None)

    @overload
    def apply(self, cal: WorkingCalendar, o: int, at: None) -> int | None: ...
    @overload
    def apply(self, cal: WorkingCalendar, o: int, at: datetime) -> int | datetime | None: ...
    def apply(self, cal: WorkingCalendar, o: int, at: datetime | None) -> int | datetime | None:
        """The due day (an ordinal), or an instant for hours after a fact with ``at``, or None.

        Day results are memoised per base day: the calendar is fixed for a profile, so the same
        offset from the same day always gives the same answer.
        """
        if at is not None and self.unit == "hours" and self.kind == "after":
            assert self.amount is not None  # hours "after": checked when compiled
            return add_hours(at, self.amount)  # elapsed time in Europe/London, never moved
        memo = self.memo
        try:
            return memo[o]
        except KeyError:
            if len(memo) > 50_000:  # bounded: a long-lived process sees many distinct days
                memo.clear()
            due = memo[o] = self._day(cal, o)
            return due

    def instant(self, at: datetime) -> tuple[datetime, int, str]:
        """For hours after a fact with ``at``: the due instant, its London day ordinal and its text.

        Memoised per instant: ``at`` (with its fold, so equal keys are the same instant) fully
        determines the answer, which is elapsed time expressed in Europe/London.
        """
        key = (at, at.fold)
        hit = self.instants.get(key)
        if hit is None:
            assert self.amount is not None  # hours "after": checked when compiled
            due = add_hours(at, self.amount)
            if len(self.instants) > 50_000:
                self.instants.clear()
            hit = self.instants[key] = (due, due.date().toordinal(), due.isoformat())
        return hit

    def _day(self, cal: WorkingCalendar, o: int) -> int | None:
        """The due day's ordinal counted from day ``o`` (see spec "Arithmetic")."""
        kind = self.kind
        if kind == "after":
            unit, n = self.unit, self.amount
            assert n is not None  # checked when compiled
            if unit == "working_days":
                return cal.add_working_days_ord(o, n)
            if unit == "days":
                return cal.on_or_before_ord(o + n)
            if unit == "weeks":
                return cal.on_or_before_ord(o + 7 * n)
            if unit == "months":
                return cal.on_or_before_ord(add_months_raw(date.fromordinal(o), n).toordinal())
            return o + math.ceil(n / 24)  # hours after a date-only fact: D + ceil(N/24) days, never moved
        if kind == "before":
            assert self.amount is not None  # checked when compiled
            return cal.subtract_working_days_ord(o, self.amount)
        if kind == "on":  # on the date itself, moved back to the last working day when not one
            return cal.on_or_before_ord(o)
        if kind == "last_working_day_before":
            return cal.last_working_day_before_ord(o)
        if kind == "friday_before":
            return cal.friday_before_ord(o)
        if kind == "calendar_month":
            return cal.last_working_day_of_next_month_ord(o)
        return None  # "none": the policy demands the thing but names no timescale


class OffsetChoice:
    """An offset table, possibly ``first_of`` several options chosen by the trigger's fields."""

    __slots__ = ("options", "spec", "single")

    def __init__(self, spec: dict, where: str) -> None:
        """Compile an offset or a ``first_of`` list of offsets."""
        if not isinstance(spec, dict):
            raise PolicyError(f"{where}: expected a table")
        self.spec = spec
        if spec.get("kind") == "first_of":
            _only(spec, {"kind", "options"}, where)
            opts = spec.get("options")
            if not isinstance(opts, list) or not opts:
                raise PolicyError(f"{where}: first_of needs options")
            self.options = tuple(Offset(o, f"{where}.options[{n}]") for n, o in enumerate(opts))
        else:
            self.options = (Offset(spec, where),)
        only = self.options[0]
        # The common case, one unconditional offset, needs no look at the trigger.
        self.single = (
            only if len(self.options) == 1 and not only.if_where and only.if_present is None else None
        )

    def resolve(self, trigger: Fact) -> Offset | None:
        """The first option that applies to the trigger (None when none does)."""
        if self.single is not None:
            return self.single
        for opt in self.options:
            if opt.applies(trigger):
                return opt
        return None


# -- matchers and conditions ----------------------------------------------------------------------


class Matcher:
    """A fact type plus equal-field filters: what satisfies (or anchors) an obligation."""

    __slots__ = ("type", "where", "key")

    def __init__(self, spec: dict, where: str) -> None:
        """Compile ``{fact, where?}``."""
        _only(spec, {"fact", "where"}, where)
        fact_type = spec.get("fact")
        if fact_type not in FACT_FIELDS:
            raise PolicyError(f"{where}: unknown fact type {fact_type!r}")
        self.type: str = fact_type
        self.where = tuple(sorted((spec.get("where") or {}).items()))
        self.key = (self.type, self.where)

    def matches(self, fact: Fact) -> bool:
        """True when the fact has the type and every filtered field equal."""
        if fact.type != self.type:
            return False
        ff = fact.f
        for k, v in self.where:
            if ff.get(k) != v:
                return False
        return True


class Condition:
    """A state that holds while the latest fact of a type matches (e.g. RoSH or SaW medium+)."""

    __slots__ = ("type", "where", "at_least", "key", "spec")

    def __init__(self, spec: dict, where: str) -> None:
        """Compile ``{latest, where?, any_at_least?}``."""
        _only(spec, {"latest", "where", "any_at_least"}, where)
        self.spec = spec
        fact_type = spec.get("latest")
        if fact_type not in FACT_FIELDS:
            raise PolicyError(f"{where}: unknown fact type {fact_type!r}")
        self.type: str = fact_type
        self.where = tuple(sorted((spec.get("where") or {}).items()))
        self.at_least = tuple((k, RISK_RANK[v]) for k, v in sorted((spec.get("any_at_least") or {}).items()))
        self.key = (self.type, self.where, self.at_least)

    def holds(self, fact: Fact) -> bool:
        """Whether this fact, being the latest of its type, makes the condition hold."""
        ff = fact.f
        for k, v in self.where:
            if not ff.get(k) == v:
                return False
        if not self.at_least:
            return True
        for k, rank in self.at_least:
            if RISK_RANK.get(ff.get(k), -1) >= rank:
                return True
        return False


# -- rules -------------------------------------------------------------------------------------------


def _only(spec: dict, allowed: set, where: str) -> None:
    """Refuse unknown keys in a policy table (catches typos at load time)."""
    if not isinstance(spec, dict):
        raise PolicyError(f"{where}: expected a table")
    unknown = set(spec) - allowed
    if unknown:
        raise PolicyError(f"{where}: unknown keys {sorted(unknown)}")
