"""Fact vocabulary and validation (docs/spec/timescales.md "Facts" and "Programmes").

Every fact is checked before anything is computed, so bad input fails fast with a one-line
message naming the fact's index and field, e.g. ``facts[3].programme: unknown programme 'yrx'``.
Fields listed in the spec without "optional" are required; unknown extra fields are ignored.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Protocol, cast

from .calendar import LONDON, MAX_YEAR, MIN_YEAR


class RulesInputError(ValueError):
    """Bad input to the rules module; the message is one line naming where the problem is."""


PROGRAMMES = (
    "psr",
    "my_future",
    "oocd_no_intervention",
    "oocd_intervention",
    "oocd_ycc",
    "referral_order",
    "yro",
    "bail_supervision_support",
    "remand",
    "dto_custody",
    "dto_licence",
    "crown_court_tracking",
    "specific_intervention",
)
RISK_LEVELS = ("low", "medium", "high", "very_high")
# Looked up with a fact's field, which may be absent (None): ranks -1 then.
RISK_RANK: dict[str | None, int] = {level: n for n, level in enumerate(RISK_LEVELS)}
ASSESSMENTS = ("assetplus", "my_future", "oocd")
STAGES = ("initial", "review", "pre_release", "closure")
PLANS = ("intervention", "professionals", "action", "pre_release")
CMM_REASONS = (
    "risk_review",
    "bail",
    "iss_review",
    "compliance",
    "release",
    "reoffending",
    "significant_event",
)
CONTACT_KINDS = ("face_to_face", "virtual", "phone", "welfare_visit")
PANELS = ("initial", "review")
MAPPA_NUMBERS = (1, 2, 3)
SUPERVISION_WEEKS = (0, 2, 3, 4)
KPI_POINTS = ("start", "end")

_MIN_ORD = date(MIN_YEAR, 1, 1).toordinal()
_MAX_ORD = date(MAX_YEAR, 12, 31).toordinal()


class Fact:
    """One validated fact: index in the input, type, date (and ordinal), optional instant, fields."""

    __slots__ = ("i", "type", "d", "o", "at", "f")

    def __init__(self, i: int, type_: str, d: date, at: datetime | None, f: dict) -> None:
        """Hold the parsed values; ``f`` has date-valued fields already parsed to ``date``."""
        self.i = i
        self.type = type_
        self.d = d
        self.o = d.toordinal()
        self.at = at
        self.f = f

    def __repr__(self) -> str:
        """Debug form."""
        return f"Fact({self.i}, {self.type!r}, {self.d.isoformat()})"


def show(value: object) -> str:
    """A short, one-line rendering of a bad value for an error message."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list"
    else:
        text = type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


# Valid date strings already parsed, with their ordinals (a batch of timelines shares a few
# thousand days). Only strings that parsed and were in range are kept; bounded.
_DATE_CACHE: dict[str, tuple[date, int]] = {}
# Valid datetime strings already parsed (the aware result, which is immutable); bounded.
_DATETIME_CACHE: dict[str, datetime] = {}
_CACHE_LIMIT = 100_000


def parse_date(value: object, where: str) -> date:
    """Parse a strict ISO date (YYYY-MM-DD) within the supported years, or raise."""
    return _parse_day(value, where)[0]


def _parse_day(value: object, where: str) -> tuple[date, int]:
    """:func:`parse_date` and the date's ordinal (cached per string)."""
    if type(value) is str:
        hit = _DATE_CACHE.get(value)
        if hit is not None:
            return hit
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            d = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            o = d.toordinal()
            if _MIN_ORD <= o <= _MAX_ORD:
                if len(_DATE_CACHE) > _CACHE_LIMIT:
                    _DATE_CACHE.clear()
                hit = _DATE_CACHE[value] = (d, o)
                return hit
            raise RulesInputError(f"{where}: date out of range {show(value)} (years {MIN_YEAR}-{MAX_YEAR})")
    raise RulesInputError(f"{where}: malformed date {show(value)}")


def parse_datetime(value: object, where: str) -> datetime:
    """Parse an ISO datetime; naive means Europe/London. Returns an aware datetime."""
    if type(value) is str:
        hit = _DATETIME_CACHE.get(value)
        if hit is not None:
            return hit
    if isinstance(value, str) and len(value) >= 16 and value[10] in "Tt " and value[4] == "-":
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not MIN_YEAR <= dt.year <= MAX_YEAR:
                raise RulesInputError(f"{where}: datetime out of range {show(value)}")
            dt = dt.replace(tzinfo=LONDON) if dt.tzinfo is None else dt
            if type(value) is str:
                if len(_DATETIME_CACHE) > _CACHE_LIMIT:
                    _DATETIME_CACHE.clear()
                _DATETIME_CACHE[value] = dt
            return dt
    raise RulesInputError(f"{where}: malformed datetime {show(value)}")


# -- field checkers: (value, where) -> parsed value ------------------------------------------


class _Checker(Protocol):
    """A field checker; ``allowed_str``, when not None, is the strings it accepts (tested inline)."""

    allowed_str: frozenset | None

    def __call__(self, value: object, i: int, name: str) -> object: ...


def _enum(values: tuple, label: str) -> _Checker:
    """A checker accepting only the given values (strings, or ints that are not booleans)."""
    allowed = frozenset(values)
    want_int = isinstance(values[0], int)

    def check(value: object, i: int, name: str) -> object:
        """Accept a known value or raise naming it."""
        if want_int:
            if type(value) is int and value in allowed:
                return value
        elif type(value) is str and value in allowed:
            return value
        raise RulesInputError(f"facts[{i}].{name}: unknown {label} {show(value)}")

    checker = cast(_Checker, check)
    checker.allowed_str = None if want_int else allowed  # lets validate_fact test strings inline
    return checker


def _bool(value: object, i: int, name: str) -> bool:
    """Accept JSON true/false only."""
    if value is True or value is False:
        return value
    raise RulesInputError(f"facts[{i}].{name}: expected true or false, got {show(value)}")


def _number(value: object, i: int, name: str) -> float | int:
    """Accept a finite, non-negative JSON number (not a boolean)."""
    if (type(value) is int or type(value) is float) and math.isfinite(value) and value >= 0:
        return value
    raise RulesInputError(f"facts[{i}].{name}: expected a non-negative number, got {show(value)}")


def _worker(value: object, i: int, name: str) -> object:
    """A worker id: a non-empty string or an integer."""
    if (type(value) is str and value.strip()) or type(value) is int:
        return value
    raise RulesInputError(f"facts[{i}].{name}: expected a worker id (string or integer), got {show(value)}")


def _ref(value: object, i: int, name: str) -> object:
    """A record's id in the service's own system (an intervention): a non-empty string or an integer."""
    if (type(value) is str and value.strip()) or type(value) is int:
        return value
    raise RulesInputError(f"facts[{i}].{name}: expected an id (string or integer), got {show(value)}")


_DATE = "date"  # marker: parse with parse_date and store the parsed date in Fact.f

_programme = _enum(PROGRAMMES, "programme")
_level = _enum(RISK_LEVELS, "risk level")
_assessment = _enum(ASSESSMENTS, "assessment")

# type -> [(field, checker, required)]; `date` and `at` are handled for every fact.
FACT_FIELDS: dict[str, list[tuple[str, object, bool]]] = {
    "programme_started": [("programme", _programme, True)],
    "programme_ended": [("programme", _programme, True)],
    "risk_rated": [("rosh", _level, True), ("saw", _level, True), ("lor", _level, True)],
    "assessment_completed": [
        ("assessment", _assessment, True),
        ("stage", _enum(STAGES, "assessment stage"), False),
    ],
    "assessment_gatekept": [("assessment", _assessment, True)],
    "plan_completed": [("plan", _enum(PLANS, "plan"), True), ("review", _bool, False)],
    "cmm_held": [("reason", _enum(CMM_REASONS, "cmm reason"), True)],
    "cmm_actions_recorded": [],
    "cmm_minutes_completed": [],
    "csc_meeting_held": [],
    "failure_to_comply": [],
    "reoffended": [("psr_court_date", _DATE, False), ("sentence_date", _DATE, False)],
    "bail_application_planned": [("bail_date", _DATE, True)],
    "case_discussion_held": [("significant", _bool, False)],
    "case_discussion_recorded": [],
    "oversight_decision": [("significant", _bool, False)],
    "oversight_recorded": [],
    "contact": [("kind", _enum(CONTACT_KINDS, "contact kind"), True)],
    "planning_meeting_held": [],
    # Revision 2: after a planning meeting, the remand plan uploaded to YJAF and the case manager's
    # comment on YJAF on the custody planning documents (001 §6 table: Remand, DTO Custody).
    "yjaf_plan_uploaded": [],
    "yjaf_comment_added": [],
    "victim_contact_referral": [],
    "yjaf_entering_custody_uploaded": [],
    "panel_held": [("panel", _enum(PANELS, "panel"), True)],
    "psr_shared_with_family": [],
    "co_allocated": [],
    "co_allocation_recorded": [],
    "co_allocation_discussion": [],
    "transfer_agreed": [],
    "reallocated": [],
    "three_way_meeting_held": [],
    "transfer_out_needed": [],
    "transfer_out_requested": [],
    "transfer_in_documents_received": [],
    "transfer_in_requirements_confirmed": [],
    "caretaking_started": [],
    "caretaking_reviewed": [],
    "caretaking_ended": [],  # revision 2: full transfer, return home or order over (003 §12.1)
    "safeguarding_concern": [("csc_open", _bool, True)],
    "social_worker_informed": [],
    "mappa_eligible": [("category", _enum(MAPPA_NUMBERS, "MAPPA category"), True)],
    "mappa_form_h_sent": [],
    "mappa_level_set": [("level", _enum(MAPPA_NUMBERS, "MAPPA level"), True)],
    "mappa_meeting_held": [],
    "mappa_minutes_sent": [],
    "allocated": [],
    "staff_supervision_held": [("worker", _worker, True)],
    "worker_started": [("worker", _worker, True)],
    # A service addition (timescales.md lets a service add codes): a more frequent supervision agreed
    # for a worker (002 Frequency); `weeks` 0 returns them to the profile's standard frequency.
    "supervision_frequency_set": [
        ("worker", _worker, True),
        ("weeks", _enum(SUPERVISION_WEEKS, "supervision frequency in weeks"), True),
    ],
    "unplanned_leave_started": [("worker", _worker, True)],
    # A service addition (issue 21, outcomes/): the YJB's KPIs are measured at the start and end of each
    # intervention; the product's snapshot of them at each point, matched on the intervention's id.
    "kpi_intervention_started": [("intervention", _ref, True), ("programme", _programme, False)],
    "kpi_intervention_ended": [("intervention", _ref, True), ("programme", _programme, False)],
    "kpi_snapshot_completed": [
        ("intervention", _ref, True),
        ("point", _enum(KPI_POINTS, "snapshot point"), True),
    ],
    "leave_cases_reviewed": [("worker", _worker, True)],
    "leave_reallocation_considered": [("worker", _worker, True)],
}
FACT_TYPES = frozenset(FACT_FIELDS)


def _fast(fields: list) -> tuple:
    """Add each field's inline-checkable set of strings (None when a checker must run)."""
    return tuple(
        (name, check, required, getattr(check, "allowed_str", None)) for name, check, required in fields
    )


_FIELDS_FAST = {t: _fast(fields) for t, fields in FACT_FIELDS.items()}

# programme_started: the fields that belong to each programme (spec "Programmes").
PROGRAMME_FIELDS: dict[str, list[tuple[str, object, bool]]] = {
    "psr": [("court_date", _DATE, True)],
    "referral_order": [
        ("custody_threshold", _bool, False),
        ("panel_date", _DATE, False),
        ("length_months", _number, False),
    ],
    "yro": [("iss", _bool, False), ("length_months", _number, False)],
    # Revision 2: an AssetPlus was done for the court that imposed it (001 §6 table: BSS).
    "bail_supervision_support": [("assessed_for_court", _bool, False)],
    "dto_custody": [
        ("custody_months", _number, False),
        ("release_date", _DATE, False),
        ("length_months", _number, False),
    ],
    "dto_licence": [("length_months", _number, False)],
}


def validate_fact(i: int, raw: object) -> Fact:
    """Check one input fact and return it parsed; raise RulesInputError naming index and field."""
    return validate_facts([raw], start=i)[0]


def validate_facts(raws: list, start: int = 0) -> list[Fact]:
    """Check every input fact (one loop: this runs for every fact of every timeline)."""
    out: list[Fact] = []
    append = out.append
    day_get = _DATE_CACHE.get
    at_get = _DATETIME_CACHE.get
    fields_get = _FIELDS_FAST.get
    new = object.__new__
    for i, raw in enumerate(raws, start):
        if raw.__class__ is not dict:
            raise RulesInputError(f"facts[{i}]: expected an object, got {show(raw)}")
        get = raw.get
        t: Any = get("type")  # the raw JSON value: a known type's name once fields is found
        fields = fields_get(t) if t.__class__ is str else None
        if fields is None:
            if t is None:
                raise RulesInputError(f"facts[{i}].type: missing required field")
            raise RulesInputError(f"facts[{i}].type: unknown fact type {show(t)}")
        dv = get("date")
        hit = day_get(dv) if dv.__class__ is str else None
        if hit is None:
            if dv is None:
                raise RulesInputError(f"facts[{i}].date: missing required field")
            hit = _parse_day(dv, f"facts[{i}].date")
        atv = get("at")
        if atv is None:
            at = None
        else:
            at = at_get(atv) if atv.__class__ is str else None
            if at is None:
                at = parse_datetime(atv, f"facts[{i}].at")
        f = raw
        if fields:  # most fact types have no fields beyond date and at
            for name, check, required, strings in fields:
                value = get(name)
                if value is None:
                    if required:
                        raise RulesInputError(f"facts[{i}].{name}: missing required field")
                elif strings is not None and value.__class__ is str and value in strings:
                    continue  # the common case, a known string, checked without a call
                elif check is _DATE:
                    if f is raw:
                        f = dict(raw)
                    f[name] = parse_date(value, f"facts[{i}].{name}")
                else:
                    check(value, i, name)
            if t == "programme_started":
                extra = PROGRAMME_FIELDS.get(raw["programme"])
                if extra:
                    f = _check_fields(i, raw, extra, f)
            elif t == "reoffended" and f.get("psr_court_date") is None and f.get("sentence_date") is None:
                raise RulesInputError(
                    f"facts[{i}].sentence_date: missing required field (psr_court_date or sentence_date)"
                )
        # Fact(i, t, d, at, f) without the call (the ordinal comes from the date cache).
        fact = new(Fact)
        fact.i = i
        fact.type = t
        fact.d, fact.o = hit
        fact.at = at
        fact.f = f
        append(fact)
    return out


def _check_fields(i: int, raw: dict, fields: list, f: dict) -> dict:
    """Check the listed fields of ``raw``; returns ``f`` with date fields parsed (copied on write)."""
    for name, check, required in fields:
        value = raw.get(name)
        if value is None:
            if required:
                raise RulesInputError(f"facts[{i}].{name}: missing required field")
            continue
        if check is _DATE:
            if f is raw:
                f = dict(raw)
            f[name] = parse_date(value, f"facts[{i}].{name}")
        else:
            check(value, i, name)
    return f
