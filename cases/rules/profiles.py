"""Policy profiles: the TOML tables under ``policies/`` read once and compiled for the engine.

A profile file lists ``[[rules]]`` (see the header of ``policies/nottinghamshire.toml`` for the
keys). A profile with ``extends = "<parent>"`` starts from its parent's rules: an entry whose
``id`` the parent has replaces the keys it gives (``omit = true`` drops the rule); a new ``id``
adds a rule. Compilation checks
every key, so a typo in a table fails loudly at load time rather than silently at run time.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .calendar import get_calendar
from .clauses import Condition, Matcher, OffsetChoice, PolicyError, _only
from .facts import FACT_FIELDS, PROGRAMMES, Fact

POLICY_DIR = Path(__file__).resolve().parent / "policies"
DEFAULT_PROFILE = "nottinghamshire"


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
    "same",
    "stops_at_programme_end",
    "until",
}
_OPS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}
_ANCHORS = ("trigger", "first_fact", "programme_end", "later_of_trigger_and_condition", "condition_start")


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
        "unless",
        "present",
        "compare",
        "during",
        "anchor_kind",
        "anchor_matcher",
        "anchor_matchers",
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
        "same",
        "stops_at_end",
        "until",
        "until_no_programme",
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
    anchor_matchers: tuple[Matcher, ...]
    until: Matcher | None

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
        _only(
            trig,
            {"fact", "programmes", "where", "unless", "present", "compare", "during"},
            f"{where}.trigger",
        )
        trigger_type = trig.get("fact")
        if trigger_type not in FACT_FIELDS:
            raise PolicyError(f"{where}.trigger: unknown fact type {trigger_type!r}")
        self.trigger_type: str = trigger_type
        progs = trig.get("programmes")
        if progs is not None and (not set(progs) <= set(PROGRAMMES)):
            raise PolicyError(f"{where}.trigger: unknown programme in {progs}")
        self.programmes = frozenset(progs) if progs else None
        self.where = tuple(sorted((trig.get("where") or {}).items()))
        # unless: fields that must NOT have these values (absent counts as not having them).
        self.unless = tuple(sorted((trig.get("unless") or {}).items()))
        self.present = tuple(trig.get("present") or ())
        # during: the trigger fact's date falls while one of these programmes is open (started on or
        # before it, and not ended before it: the day a programme ends it is still open).
        during = trig.get("during")
        if during is not None and (not during or not set(during) <= set(PROGRAMMES)):
            raise PolicyError(f"{where}.trigger: during needs known programmes, got {during}")
        self.during = tuple(during) if during else None
        compare = []
        for c in trig.get("compare") or ():
            if c.get("op") not in _OPS:
                raise PolicyError(f"{where}.trigger: unknown comparison {c.get('op')!r}")
            compare.append((c["field"], _OPS[c["op"]], c["value"]))
        self.compare = tuple(compare)
        self.unconditional = not (
            self.programmes or self.where or self.unless or self.present or self.compare or self.during
        )

        anchor = spec.get("anchor") or {"kind": "trigger"}
        _only(anchor, {"kind", "fact", "where", "any_of"}, f"{where}.anchor")
        self.anchor_kind = anchor.get("kind")
        if self.anchor_kind not in _ANCHORS:
            raise PolicyError(f"{where}.anchor: unknown kind {self.anchor_kind!r}")
        if self.anchor_kind == "programme_end" and trigger_type != "programme_started":
            raise PolicyError(f"{where}.anchor: programme_end needs a programme_started trigger")
        # first_fact: the first fact on or after the trigger matching `fact`/`where`, or (any_of) the
        # earliest matching any of several (date, then input order).
        matchers: tuple[Matcher, ...] = ()
        if self.anchor_kind == "first_fact":
            options = anchor.get("any_of") or [
                {"fact": anchor.get("fact"), "where": anchor.get("where") or {}}
            ]
            matchers = tuple(Matcher(m, f"{where}.anchor.any_of[{n}]") for n, m in enumerate(options))
        elif "any_of" in anchor or "fact" in anchor:
            raise PolicyError(f"{where}.anchor: only first_fact names facts")
        self.anchor_matchers = matchers
        self.anchor_matcher = matchers[0] if len(matchers) == 1 else None
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
        # same: a field the satisfying fact must share with the trigger (a KPI snapshot is met only by
        # the snapshot of the same intervention); one-shot rules only, not with per_worker.
        same = spec.get("same")
        if same is not None and (type(same) is not str or not same):
            raise PolicyError(f"{where}.same: expected a field name")
        if same is not None and (self.per_worker or self.recurring):
            raise PolicyError(f"{where}.same: applies to one-shot rules that are not per worker")
        self.same: str | None = same
        self.stops_at_end = bool(spec.get("stops_at_programme_end", True))
        # until: a recurring chain also stops at the first such fact on or after its trigger, and
        # (or_no_programme_open) when the child's last open programme ends (caretaking, 003 §12.1).
        until = spec.get("until")
        self.until = None
        self.until_no_programme = False
        if until is not None:
            if not self.recurring:
                raise PolicyError(f"{where}: until applies to recurring rules only")
            _only(until, {"fact", "where", "or_no_programme_open"}, f"{where}.until")
            self.until = Matcher(
                {k: v for k, v in until.items() if k != "or_no_programme_open"}, f"{where}.until"
            )
            self.until_no_programme = bool(until.get("or_no_programme_open", False))

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
        for k, v in self.unless:
            if ff.get(k) == v:
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
    # A profile drops an inherited rule with `omit = true` under its id (Islington replaces the
    # Nottinghamshire case discussion chains with one monthly chain, 002 Frequency).
    return Profile(pid, data, [r for r in rules if not r.pop("omit", False)])
