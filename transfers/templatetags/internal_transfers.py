"""The responsibility line on every child page (003 §11.6): which team and worker are responsible now
while an internal transfer is in progress. One query per child page, cached on the child object so a
page that shows the header twice does not ask again."""

from django import template

from ..selectors.internal import active_transfer_for_child

register = template.Library()
_MISSING = object()


@register.simple_tag
def active_internal_transfer(child):
    """The child's active internal transfer or None (one query, then cached on the child)."""
    if child is None or getattr(child, "pk", None) is None:
        return None
    cached = getattr(child, "_active_internal_transfer", _MISSING)
    if cached is _MISSING:
        cached = active_transfer_for_child(child=child)
        child._active_internal_transfer = cached
    return cached
