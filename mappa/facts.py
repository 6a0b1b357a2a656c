"""MAPPA records become facts (timescales.md "Facts"): `mappa_eligible` (category), `mappa_form_h_sent`,
and `mappa_level_set` for each level in the history (001 §8). A record no longer managed under MAPPA
(`ended_on`) states nothing: its Form H and meetings are no longer due.
"""

from .models import MappaLevel, MappaRecord


def mappa_facts(*, child) -> list[dict]:
    """The child's open MAPPA records as facts."""
    facts = []
    records = MappaRecord.objects.filter(child=child, ended_on__isnull=True)
    for category, identified_on, form_h_sent_on in records.values_list(
        "category", "identified_on", "form_h_sent_on"
    ):
        facts.append({"type": "mappa_eligible", "category": category, "date": identified_on.isoformat()})
        if form_h_sent_on:
            facts.append({"type": "mappa_form_h_sent", "date": form_h_sent_on.isoformat()})
    for level, set_on in MappaLevel.objects.filter(record__in=records).values_list("level", "set_on"):
        facts.append({"type": "mappa_level_set", "level": level, "date": set_on.isoformat()})
    return facts
