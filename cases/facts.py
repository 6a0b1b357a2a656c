"""Records become facts: the child's programmes, risk ratings and events as the rules module's input.

This is the only place that knows how a record maps to a fact type (timescales.md, "Facts"). Structured
records for assessments, plans, CMMs and supervision arrive with later work; until then the event types
that clearly state such a fact are mapped (an "AssetPlus completion" event is `assessment_completed`).
"""

from django.utils import timezone

from .models import Child, EventType, Programme

# Event types that state a fact on their own (001 App. 1; 000 §1.3; 004 §7).
EVENT_FACTS = {
    EventType.ASSETPLUS_COMPLETION: [{"type": "assessment_completed", "assessment": "assetplus"}],
    EventType.CONTACT: [{"type": "contact", "kind": "face_to_face"}],
    EventType.HOME_VISIT: [{"type": "contact", "kind": "face_to_face"}],
    EventType.CMM_ACTIONS: [{"type": "cmm_actions_recorded"}],
    EventType.MANAGEMENT_OVERSIGHT_SUPERVISION: [
        {"type": "case_discussion_held"},
        {"type": "case_discussion_recorded"},
    ],
}

# Fields each programme needs before the rules can place its timescales (timescales.md, "Programmes").
REQUIRED = {Programme.Kind.PSR: "court_date"}


def _programme_facts(programme: Programme) -> list[dict]:
    """A programme's start (with the fields its timescales need) and its end, if closed."""
    needed = REQUIRED.get(programme.kind)
    if needed and getattr(programme, needed) is None:
        return []
    fact = {
        "type": "programme_started",
        "programme": programme.kind,
        "date": programme.start_date.isoformat(),
    }
    if programme.length_months:
        fact["length_months"] = programme.length_months
    for name in ("court_date", "panel_date", "release_date"):
        value = getattr(programme, name)
        if value:
            fact[name] = value.isoformat()
    if programme.custody_months:
        fact["custody_months"] = programme.custody_months
    if programme.kind == Programme.Kind.REFERRAL_ORDER:
        fact["custody_threshold"] = programme.custody_threshold
    if programme.kind == Programme.Kind.YRO:
        fact["iss"] = programme.iss
    facts = [fact]
    if programme.end_date:
        facts.append(
            {"type": "programme_ended", "programme": programme.kind, "date": programme.end_date.isoformat()}
        )
    return facts


def _rating_facts(child: Child) -> list[dict]:
    """Each change of agreed levels, from the child's history, as `risk_rated` on the day it was made."""
    facts, last = [], None
    for record in child.history.order_by("history_date", "history_id").only(
        "history_date", "rosh", "saw", "lor"
    ):
        levels = (record.rosh, record.saw, record.lor)
        if all(levels) and levels != last:
            date = timezone.localdate(record.history_date).isoformat()
            facts.append(
                {"type": "risk_rated", "date": date, "rosh": levels[0], "saw": levels[1], "lor": levels[2]}
            )
            last = levels
    return facts


def child_facts(*, child: Child) -> list[dict]:
    """Every fact the child's record states, in no particular order (the engine sorts what it needs)."""
    facts = []
    for programme in child.programmes.all():
        facts.extend(_programme_facts(programme))
    facts.extend(_rating_facts(child))
    for event_type, occurred_on in child.events.filter(is_current=True).values_list(
        "event_type", "occurred_on"
    ):
        for template in EVENT_FACTS.get(event_type, []):
            facts.append({**template, "date": occurred_on.isoformat()})
    return facts
