"""Policy profiles: the TOML tables under ``policies/`` read once and compiled for the engine.

A profile file lists ``[[rules]]`` (see the header of ``policies/nottinghamshire.toml`` for the
keys). A profile with ``extends = "<parent>"`` starts from its parent's rules: an entry whose
``id`` the parent has replaces the keys it gives; a new ``id`` adds a rule. Compilation checks
every key, so a typo in a table fails loudly at load time rather than silently at run time.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import overload

from .calendar import WorkingCalendar, add_hours, add_months_raw, get_calendar
from .facts import FACT_FIELDS, PROGRAMMES, RISK_RANK, Fact

POLICY_DIR = Path(__file__).resolve().parent / "policies"
DEFAULT_PROFILE = "nottinghamshire"


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
        elif self.kind not in ("last_working_day_before", "friday_before", "calendar_month", "none"):
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

_RULE_KEYS = {
    "id",
    "code",
    "title",
    "basis",
    "trigger",
    "anchor",
    "due",
    "earliest",
    "recurrence",
    "condition",
    "met_by",
    "per_worker",
    "stops_at_programme_end",
}
_OPS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}
_ANCHORS = ("trigger", "first_fact", "later_of_trigger_and_condition", "condition_start")


class Rule:
    """One compiled row of a policy table."""

    __slots__ = (
        "id",
        "code",
        "title",
        "basis",
        "spec",
        "trigger_type",
        "programmes",
        "where",
        "present",
        "compare",
        "anchor_kind",
        "anchor_matcher",
        "due",
        "earliest",
        "first",
        "every",
        "lasts",
        "condition",
        "met_by",
        "met_key",
        "met_id",
        "sort_key",
        "per_worker",
        "stops_at_end",
        "recurring",
        "unconditional",
    )
    # A one-shot rule has due (and maybe earliest); a recurring one first, every (and maybe lasts).
    due: OffsetChoice | None
    earliest: OffsetChoice | None
    first: OffsetChoice | None
    every: OffsetChoice | None
    lasts: tuple[int, str] | None
    condition: Condition | None
    anchor_matcher: Matcher | None

    def __init__(self, spec: dict) -> None:
        """Compile a rule table, checking every key."""
        rid = spec.get("id", "?")
        where = f"rule {rid}"
        _only(spec, _RULE_KEYS, where)
        for key in ("id", "code", "title", "basis", "trigger", "met_by"):
            if key not in spec:
                raise PolicyError(f"{where}: missing {key}")
        self.spec = spec
        self.id, self.code, self.title, self.basis = spec["id"], spec["code"], spec["title"], spec["basis"]
        trig = spec["trigger"]
        _only(trig, {"fact", "programmes", "where", "present", "compare"}, f"{where}.trigger")
        trigger_type = trig.get("fact")
        if trigger_type not in FACT_FIELDS:
            raise PolicyError(f"{where}.trigger: unknown fact type {trigger_type!r}")
        self.trigger_type: str = trigger_type
        progs = trig.get("programmes")
        if progs is not None and (not set(progs) <= set(PROGRAMMES)):
            raise PolicyError(f"{where}.trigger: unknown programme in {progs}")
        self.programmes = frozenset(progs) if progs else None
        self.where = tuple(sorted((trig.get("where") or {}).items()))
        self.present = tuple(trig.get("present") or ())
        compare = []
        for c in trig.get("compare") or ():
            if c.get("op") not in _OPS:
                raise PolicyError(f"{where}.trigger: unknown comparison {c.get('op')!r}")
            compare.append((c["field"], _OPS[c["op"]], c["value"]))
        self.compare = tuple(compare)
        self.unconditional = not (self.programmes or self.where or self.present or self.compare)

        anchor = spec.get("anchor") or {"kind": "trigger"}
        _only(anchor, {"kind", "fact", "where"}, f"{where}.anchor")
        self.anchor_kind = anchor.get("kind")
        if self.anchor_kind not in _ANCHORS:
            raise PolicyError(f"{where}.anchor: unknown kind {self.anchor_kind!r}")
        self.anchor_matcher = (
            Matcher({"fact": anchor.get("fact"), "where": anchor.get("where") or {}}, f"{where}.anchor")
            if self.anchor_kind == "first_fact"
            else None
        )
        self.condition = Condition(spec["condition"], f"{where}.condition") if "condition" in spec else None
        if (
            self.anchor_kind in ("later_of_trigger_and_condition", "condition_start")
            and self.condition is None
        ):
            raise PolicyError(f"{where}: anchor {self.anchor_kind} needs a condition")

        rec = spec.get("recurrence")
        self.recurring = rec is not None
        if rec is not None:
            _only(rec, {"every", "first", "lasts"}, f"{where}.recurrence")
            if "due" in spec or "earliest" in spec:
                raise PolicyError(f"{where}: a recurring rule takes its timescale from recurrence")
            self.every = OffsetChoice(rec["every"], f"{where}.recurrence.every")
            self.first = OffsetChoice(rec.get("first", rec["every"]), f"{where}.recurrence.first")
            lasts = rec.get("lasts")
            if lasts is not None and (
                lasts.get("unit") not in ("days", "weeks", "months")
                or not isinstance(lasts.get("amount"), int)
            ):
                raise PolicyError(f"{where}.recurrence.lasts: needs a whole amount of days, weeks or months")
            self.lasts = (lasts["amount"], lasts["unit"]) if lasts else None
            self.due = self.earliest = None
        else:
            if "due" not in spec:
                raise PolicyError(f"{where}: needs due or recurrence")
            self.due = OffsetChoice(spec["due"], f"{where}.due")
            self.earliest = (
                OffsetChoice(spec["earliest"], f"{where}.earliest") if "earliest" in spec else None
            )
            self.first = self.every = None
            self.lasts = None
            if self.condition is not None:
                raise PolicyError(f"{where}: conditions apply to recurring rules only")
        met = spec["met_by"]
        if not isinstance(met, list) or not met:
            raise PolicyError(f"{where}: met_by must be a non-empty list")
        self.met_by = tuple(Matcher(m, f"{where}.met_by[{n}]") for n, m in enumerate(met))
        self.met_key = tuple(m.key for m in self.met_by)
        self.met_id = 0  # set by the Profile: rules with the same met_by share candidate look-ups
        self.sort_key = 0  # set by the Profile: the code's rank among the profile's codes
        self.per_worker = bool(spec.get("per_worker", False))
        self.stops_at_end = bool(spec.get("stops_at_programme_end", True))

    def triggered_by(self, fact: Fact) -> bool:
        """Whether a fact of the trigger type (already known) creates this obligation."""
        if self.unconditional:
            return True
        ff = fact.f
        if self.programmes is not None and ff.get("programme") not in self.programmes:
            return False
        for k, v in self.where:
            if ff.get(k) != v:
                return False
        for k in self.present:
            if ff.get(k) is None:
                return False
        for k, op, v in self.compare:
            value = ff.get(k)
            if value is None or not op(value, v):
                return False
        return True


CODE_BITS = 16  # obligation codes per profile: fewer than 2**16


class Profile:
    """A compiled policy profile: its rules (in table order), region calendar and metadata."""

    __slots__ = ("id", "name", "calendar", "rules", "dispatch", "timezone", "region", "_plans", "_type_plans")

    def __init__(self, pid: str, data: dict, rules: list[dict]) -> None:
        """Compile the merged rule tables of a profile."""
        self.id = pid
        self.name = data.get("name", pid)
        self.region = data.get("region") or {"country": "GB", "subdiv": "ENG"}
        self.timezone = data.get("timezone", "Europe/London")
        if self.timezone != "Europe/London":  # spec: hour rules are in Europe/London
            raise PolicyError(f"profile {pid}: only Europe/London is supported")
        self.calendar = get_calendar(self.region.get("country", "GB"), self.region.get("subdiv"))
        self.rules = tuple(Rule(r) for r in rules)
        met_ids: dict = {}
        for rule in self.rules:
            rule.met_id = met_ids.setdefault(rule.met_key, len(met_ids))
        # Obligations sort by (due day, code): one integer, (day << CODE_BITS) | rank of the code.
        codes = sorted({rule.code for rule in self.rules})
        if len(codes) >= 1 << CODE_BITS:
            raise PolicyError(f"profile {pid}: too many obligation codes")
        code_rank = {code: n for n, code in enumerate(codes)}
        for rule in self.rules:
            rule.sort_key = code_rank[rule.code]
        # Which rules a kind of fact can trigger: (type, programme) for programme_started, else
        # (type, None). A timeline only visits the rules its facts can trigger.
        dispatch: dict[tuple, list[int]] = {}
        for n, rule in enumerate(self.rules):
            if rule.trigger_type == "programme_started" and rule.programmes is not None:
                for prog in rule.programmes:
                    dispatch.setdefault(("programme_started", prog), []).append(n)
            elif rule.trigger_type == "programme_started":
                for prog in PROGRAMMES:
                    dispatch.setdefault(("programme_started", prog), []).append(n)
            else:
                dispatch.setdefault((rule.trigger_type, None), []).append(n)
        self.dispatch = dispatch
        self._plans: dict[frozenset, tuple[Rule, ...]] = {}
        self._type_plans: dict[tuple[frozenset, frozenset], tuple[Rule, ...]] = {}

    def rules_for(self, keys: frozenset) -> tuple[Rule, ...]:
        """The rules the given trigger keys can fire, in table order (memoised per key set)."""
        plan = self._plans.get(keys)
        if plan is None:
            idx: set[int] = set()
            for key in keys:
                idx.update(self.dispatch.get(key, ()))
            plan = tuple(self.rules[n] for n in sorted(idx))
            if len(self._plans) < 4096:
                self._plans[keys] = plan
        return plan

    def rules_for_types(self, types: frozenset, programmes: frozenset) -> tuple[Rule, ...]:
        """:meth:`rules_for` the keys of a timeline with these fact types and started programmes."""
        memo_key = (types, programmes)
        plan = self._type_plans.get(memo_key)
        if plan is None:
            keys = {(t, None) for t in types if t != "programme_started"}
            keys.update(("programme_started", p) for p in programmes)
            plan = self.rules_for(frozenset(keys))
            if len(self._type_plans) < 4096:
                self._type_plans[memo_key] = plan
        return plan


def _only(spec: dict, allowed: set, where: str) -> None:
    """Refuse unknown keys in a policy table (catches typos at load time)."""
    if not isinstance(spec, dict):
        raise PolicyError(f"{where}: expected a table")
    unknown = set(spec) - allowed
    if unknown:
        raise PolicyError(f"{where}: unknown keys {sorted(unknown)}")


def profile_ids() -> list[str]:
    """The profile ids available (one TOML file each), the default first."""
    ids = sorted(p.stem for p in POLICY_DIR.glob("*.toml"))
    if DEFAULT_PROFILE in ids:
        ids.remove(DEFAULT_PROFILE)
        ids.insert(0, DEFAULT_PROFILE)
    return ids


def _load_raw(pid: str, seen: tuple = ()) -> tuple[dict, list[dict]]:
    """Read a profile file and merge it over its parent (by rule id)."""
    if pid in seen:
        raise PolicyError(f"profile {pid}: circular extends")
    path = POLICY_DIR / f"{pid}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    own = data.get("rules", [])
    parent = data.get("extends")
    if parent is None:
        return data, [dict(r) for r in own]
    pdata, rules = _load_raw(parent, seen + (pid,))
    merged = {
        **{k: v for k, v in pdata.items() if k != "rules"},
        **{k: v for k, v in data.items() if k != "rules"},
    }
    index = {r["id"]: n for n, r in enumerate(rules)}
    for r in own:
        if r.get("id") in index:
            rules[index[r["id"]]] = {**rules[index[r["id"]]], **r}
        else:
            index[r["id"]] = len(rules)
            rules.append(dict(r))
    return merged, rules


@cache
def get_profile(pid: str) -> Profile:
    """The compiled profile (read and compiled once per process)."""
    if pid not in profile_ids():
        raise KeyError(pid)
    data, rules = _load_raw(pid)
    return Profile(pid, data, rules)
