"""Template tags of the Circumstances tab: each kind's page names, a record in words and its dates."""

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()

MISSING_WORDS = {
    "accommodation": "accommodation",
    "ete": "education, training or employment",
    "send": "special educational needs",
    "mental_health": "mental health screening",
    "substance_misuse": "substance misuse screening",
}


@register.filter
def add_url_name(slug: str) -> str:
    """The url name of a kind's add page ("wider-services" -> "wider_services_add")."""
    return f"{slug.replace('-', '_')}_add"


@register.filter
def change_url_name(slug: str) -> str:
    """The url name of a kind's change page."""
    return f"{slug.replace('-', '_')}_change"


@register.simple_tag
def record_summary(kind, record) -> str:
    """The record in words, as its timeline entry says it."""
    return kind.summary(record)


@register.simple_tag
def record_dates(kind, record) -> str:
    """From and until (or "to date"), or the record's one date."""
    day = getattr(record, kind.date_field)
    if not kind.dated:
        text = date_format(day, "j M Y")
        proven = getattr(record, "proven_on", None)
        return f"{text} (proven {date_format(proven, 'j M Y')})" if proven else text
    until = date_format(record.to_date, "j M Y") if record.to_date else "to date"
    return f"{date_format(day, 'j M Y')} – {until}"


@register.simple_tag
def missing_words(missing) -> str:
    """The facts a snapshot misses, in words."""
    return ", ".join(MISSING_WORDS.get(key, key) for key in missing or [])
