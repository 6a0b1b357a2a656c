"""Filters for the dashboards' long lists (issue 19).

The team dashboard shows about a hundred dates (25 rows in each of its lists, two per worker in the
supervisions); Django's `date` filter takes about 60 µs a date (format lookup, translation, a parser
over the format string), so they were a tenth of the page. `day` writes the same text directly. Its
links are as many, and `row_url` reverses each URL name once a page.
"""

import datetime

from django import template
from django.utils import timezone

from ..common import RowUrls

register = template.Library()

# What Django's "M" gives in English (the service's only language).
ROW_URLS = "dashboards_row_urls"  # the page's RowUrls, kept in the render context
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def day(value) -> str:
    """A date as `|date:"j M Y"` writes it ("3 Nov 2026"); an aware datetime on its London date; "" for
    none (follow with |default:"...")."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.simple_tag(takes_context=True)
def row_url(context, name: str, *ids) -> str:
    """`{% url name id... %}` for a list's rows: each URL name is reversed once a page and the row's ids
    put in (`dashboards.common.RowUrls`; a reverse costs about 60 µs, the team dashboard shows about a
    hundred links)."""
    urls = context.render_context.get(ROW_URLS)
    if urls is None:
        urls = context.render_context[ROW_URLS] = RowUrls()
    return urls(name, *ids)
