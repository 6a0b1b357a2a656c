"""Human-readable policy tables for the app's "Policy timescales" page.

Generated from the same compiled rules the engine runs, so the page can never disagree with
the due dates it explains.
"""

from __future__ import annotations

from .clauses import Offset, OffsetChoice
from .facts import RulesInputError, show
from .profiles import Rule, get_profile, profile_ids

PROGRAMME_LABELS = {
    "psr": "PSR requested",
    "my_future": "My Future allocation",
    "oocd_no_intervention": "OOCD panel (YC/CR, no intervention)",
    "oocd_intervention": "OOCD panel (Outcome 22/CR/YC with intervention)",
    "oocd_ycc": "OOCD panel (Youth Conditional Caution)",
    "referral_order": "Referral Order sentence",
    "yro": "YRO sentence",
    "bail_supervision_support": "Bail Supervision and Support imposed",
    "remand": "Remand",
    "dto_custody": "DTO/section 91 custody sentence",
    "dto_licence": "DTO/section 91 release on licence",
    "crown_court_tracking": "first Crown Court appearance",
    "specific_intervention": "specific intervention allocated",
}

_UNIT_WORDS = {
    "working_days": "working day",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "hours": "hour",
}


def _words(name: str) -> str:
    """A field or fact name as words."""
    return name.replace("_", " ")


def _value(v: object) -> str:
    """A filter value as words."""
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return _words(str(v))


def _filters(where: tuple) -> str:
    """Equal-field filters as '(field value, ...)'."""
    if not where:
        return ""
    return " (" + ", ".join(f"{_words(k)}: {_value(v)}" for k, v in where) + ")"


def _amount(n: int, unit: str) -> str:
    """'3 months', '1 working day'."""
    word = _UNIT_WORDS[unit]
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe_offset(off: Offset, subject: str) -> str:
    """One offset in words, counted from ``subject`` unless it names its own field."""
    src = f"the {_words(off.from_field)}" if off.from_field else subject
    if off.kind == "after" or off.kind == "before":
        assert off.amount is not None and off.unit is not None  # checked when compiled
        return f"{_amount(off.amount, off.unit)} {off.kind} {src}"
    if off.kind == "on":
        return f"{src} (if not a working day, the last working day before it)"
    if off.kind == "last_working_day_before":
        return f"the last working day before {src}"
    if off.kind == "friday_before":
        return f"the Friday before {src} (if not a working day, the working day before it)"
    if off.kind == "calendar_month":
        return f"the last working day of the month after the month of {src}"
    return "no timescale stated"


def describe_choice(choice: OffsetChoice, subject: str) -> str:
    """An offset or its first_of options in words."""
    parts = []
    for opt in choice.options:
        text = describe_offset(opt, subject)
        if opt.if_where:
            text += " when " + ", ".join(f"{_words(k)} is {_value(v)}" for k, v in opt.if_where)
        elif opt.if_present:
            text += f" when {_words(opt.if_present)} is given"
        parts.append(text)
    return "; otherwise ".join(parts) if len(parts) > 1 else parts[0]


def _arises_from(rule: Rule) -> str:
    """What creates the obligation, in words."""
    if rule.programmes is not None:
        text = ", ".join(
            PROGRAMME_LABELS[p] for p in sorted(rule.programmes, key=list(PROGRAMME_LABELS).index)
        )
    else:
        text = TRIGGER_WORDS.get(rule.trigger_type) or f"each {_words(rule.trigger_type)}"
    extras = [f"{_words(k)}: {_value(v)}" for k, v in rule.where if k != "programme"]
    extras += [f"not {_words(k)}" if v is True else f"{_words(k)} not {_value(v)}" for k, v in rule.unless]
    extras += [f"with a {_words(k)}" for k in rule.present]
    extras += [f"{_words(k)} {op_name} {v}" for k, op_name, v in _compare_words(rule)]
    if extras:
        text += " (" + "; ".join(extras) + ")"
    if rule.during is not None:
        text += " while " + " or ".join(_programme_open(p) for p in rule.during)
    if rule.anchor_kind == "programme_end":
        text += ", when it ends"
    if rule.until is not None:
        text += f", until {_words(rule.until.type)}{_filters(rule.until.where)}"
        if rule.until_no_programme:
            text += " or the child's last open programme ends"
    if rule.condition is not None:
        cond = rule.condition
        if cond.at_least:
            levels = " or ".join(_words(k) for k, _ in cond.at_least)
            text += f", while the latest {_words(cond.type)} has {levels} medium or above"
        else:
            text += f", while the latest {_words(cond.type)} has{_filters(cond.where)}"
    if rule.per_worker:
        text += ", per worker"
    return text


# Triggers a service added, named as a practitioner would (the spec's own facts keep their type in words).
TRIGGER_WORDS = {
    "kpi_intervention_started": "each intervention's start (an order, out-of-court disposal or programme)",
    "kpi_intervention_ended": "each intervention's end (for DTO custody, the release)",
}


def _programme_open(programme: str) -> str:
    """'a remand is open' (the programme's own label names its start, not the programme)."""
    return f"a {_words(programme)} is open"


def _compare_words(rule: Rule) -> list[tuple[str, str, object]]:
    """The trigger's comparisons with their operator symbols, from the rule's own table."""
    return [(c["field"], c["op"], c["value"]) for c in rule.spec["trigger"].get("compare", ())]


def _subject(rule: Rule) -> str:
    """What the due date counts from, in words."""
    if rule.anchor_matchers:
        facts = " or ".join(f"{_words(m.type)}{_filters(m.where)}" for m in rule.anchor_matchers)
        return f"the first {facts} on or after the start"
    if rule.anchor_kind == "programme_end":
        return "the date it ended"
    if rule.anchor_kind == "later_of_trigger_and_condition":
        return "the later of the start and the first such rating"
    if rule.anchor_kind == "condition_start":
        return "the setting"
    return "the start" if rule.programmes is not None else "it"


def _due(rule: Rule) -> str:
    """The timescale in words."""
    subject = _subject(rule)
    if rule.due is not None:  # one-shot
        text = describe_choice(rule.due, subject)
        if rule.earliest is not None:
            text = f"window from {describe_choice(rule.earliest, subject)} to {text}"
        return text
    assert rule.first is not None and rule.every is not None  # recurring
    every = describe_choice(rule.every, "the date the last one was met")
    text = f"recurring: first {describe_choice(rule.first, subject)}, then {every}"
    if rule.lasts is not None:
        text += f", for {_amount(*rule.lasts)}"
    return text


def _met_by(rule: Rule) -> str:
    """What satisfies the obligation, in words."""
    text = " or ".join(f"{_words(m.type)}{_filters(m.where)}" for m in rule.met_by)
    if rule.same:
        text += f" (same {_words(rule.same)})"
    return text + (" (same worker)" if rule.per_worker else "")


def policy_table(profile_id: str) -> list[dict]:
    """Rows for the "Policy timescales" page: code, title, arises_from, due, met_by, basis."""
    if profile_id not in profile_ids():
        raise RulesInputError(f"policy: unknown policy {show(profile_id)}")
    profile = get_profile(profile_id)
    return [
        {
            "code": r.code,
            "title": r.title,
            "arises_from": _arises_from(r),
            "due": _due(r),
            "met_by": _met_by(r),
            "basis": r.basis,
        }
        for r in profile.rules
    ]


# ---------------------------------------------------------------------------------------------------
# Why this date? One line per obligation, from the occurrence the engine computed (issue 20).

# What each fact is, in a practitioner's words (the spec's fact table); a fact not named here is shown
# by its type in words.
FACT_WORDS = {
    "programme_ended": "the programme closing",
    "risk_rated": "the levels agreed",
    "assessment_completed": "the assessment signed off",
    "assessment_gatekept": "the assessment gatekept",
    "plan_completed": "the plan completed",
    "cmm_held": "the CMM held",
    "cmm_actions_recorded": "the CMM's actions recorded",
    "cmm_minutes_completed": "the CMM's minutes completed",
    "csc_meeting_held": "the CSC meeting held",
    "failure_to_comply": "the failure to comply",
    "reoffended": "the further offence",
    "bail_application_planned": "the bail application listed",
    "case_discussion_held": "the case discussion",
    "case_discussion_recorded": "the case discussion recorded",
    "oversight_decision": "the management decision",
    "oversight_recorded": "the management decision recorded",
    "contact": "the contact",
    "planning_meeting_held": "the planning meeting",
    "yjaf_plan_uploaded": "the plan uploaded to YJAF",
    "yjaf_comment_added": "the comment added on YJAF",
    "victim_contact_referral": "the victim contact referral",
    "yjaf_entering_custody_uploaded": "Entering Custody uploaded to YJAF",
    "panel_held": "the panel held",
    "psr_shared_with_family": "the PSR shared with the family",
    "co_allocated": "the co-allocation",
    "transfer_agreed": "the transfer endorsed",
    "reallocated": "the receiving team's allocation",
    "three_way_meeting_held": "the three-way meeting",
    "transfer_out_needed": "the move out of area",
    "transfer_out_requested": "the host area asked",
    "transfer_in_documents_received": "the transfer documents received",
    "caretaking_started": "the caretaking agreement accepted",
    "caretaking_reviewed": "the caretaking review",
    "caretaking_ended": "the caretaking agreement ending",
    "safeguarding_concern": "the safeguarding concern",
    "mappa_eligible": "the child found eligible for MAPPA",
    "mappa_form_h_sent": "Form H sent",
    "mappa_level_set": "the MAPPA level set",
    "mappa_meeting_held": "the MAPPA meeting",
    "allocated": "the allocation",
    "staff_supervision_held": "the last supervision",
    "worker_started": "the start in post",
    "unplanned_leave_started": "the leave starting",
    "kpi_intervention_started": "the intervention starting",
    "kpi_intervention_ended": "the intervention ending",
    "kpi_snapshot_completed": "the KPI snapshot completed",
}
_MONTHS = ("January February March April May June July August September October November December").split()


def _day(value: object) -> str:
    """'4 December 2026' from an ISO date (or the start of an ISO datetime)."""
    text = str(value)[:10]
    try:
        year, month, day = (int(x) for x in text.split("-"))
        return f"{day} {_MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return text


def _fact_words(fact: dict) -> str:
    """The fact an occurrence counts from, in words ("the levels agreed (RoSH medium)")."""
    kind = fact.get("type", "")
    if kind == "programme_started":
        label = PROGRAMME_LABELS.get(str(fact.get("programme")), _words(str(fact.get("programme"))))
        return f"the {label.lower() if label == 'Remand' else label}"
    text = FACT_WORDS.get(kind, f"the {_words(kind)}")
    if kind == "risk_rated":
        levels = [f"{name} {_words(str(fact[key]))}" for key, name in (("rosh", "RoSH"), ("saw", "SaW"))]
        levels = [lv for lv, key in zip(levels, ("rosh", "saw"), strict=True) if fact.get(key)]
        if levels:
            text += f" ({', '.join(levels)})"
    elif kind == "cmm_held" and fact.get("reason"):
        text = f"the {_words(str(fact['reason']))} CMM held"
    return text


def explain(ob: dict, facts: list[dict], *, first_met: str | None = None) -> str:
    """Why an obligation is due when it is, in one line: the offset and the fact it counts from, with
    its date ("11 weeks after the levels agreed (RoSH medium) on 4 December 2026"). ``ob`` is an
    obligation from ``engine.compute(..., explain=True)`` and ``facts`` the input it was given; "" when
    there is nothing to say (no timescale)."""
    why = ob.get("_why")
    if not why:
        return ""
    off, index = why
    if off is None or off.kind not in (
        "after",
        "before",
        "on",
        "last_working_day_before",
        "friday_before",
        "calendar_month",
    ):
        return ""
    try:
        fact = facts[index]
    except (IndexError, TypeError):
        return ""
    if off.from_field:
        value = fact.get(off.from_field)
        text = describe_offset(off, "")
        return f"{text[:1].upper()}{text[1:]} ({_day(value)})" if value else ""
    subject = f"{_fact_words(fact)} on {_day(fact.get('date'))}"
    text = describe_offset(off, subject)
    return text[:1].upper() + text[1:]
