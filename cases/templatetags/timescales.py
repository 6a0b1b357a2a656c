"""`{% timescale "code" %}`: a timescale in words from the active profile's policy table, so a page's
text changes with its due dates when POLICY_PROFILE changes (docs/adr/0008-core-and-registry.md)."""

from django import template

from ..policy import timescale_words

register = template.Library()


@register.simple_tag
def timescale(key: str) -> str:
    """A duration id ("cmm.notice"), rule id or obligation code ("cmm.actions_recorded") in words.

    An unknown key is a programming error: it raises, so a test rendering the page fails at once."""
    return timescale_words(key)
