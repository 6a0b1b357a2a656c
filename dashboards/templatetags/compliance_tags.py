"""The compliance dashboard's figure cells, built in Python (issue 19).

The dashboard shows one line of six cells per obligation type, team and month: about 60 lines and 360
cells at a 500-child service. As an `{% include %}` inside the loops they were most of the page's time
(each include copies the context and walks a dozen template nodes per cell: 12x a bare page at 5,000
children); one `format_html` per cell gives the same HTML in a fraction of it.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NONE = mark_safe(  # noqa: S308 (a constant, no input)
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">none met or overdue</span>'
)


@register.simple_tag
def compliance_cells(cells, figures, total=False) -> SafeString:
    """A line's figure cells (each a drill-down link, or the plain count for a 0), then % on time:
    `cells` as dashboards.compliance_views._cells makes them, `figures` a Figures."""
    bold = " govuk-!-font-weight-bold" if total else ""
    parts = []
    for c in cells:
        if c["href"]:
            count = format_html(
                '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}: {}</span></a>',
                c["href"],
                c["count"],
                str(c["label"]).lower(),
                c["context"],
            )
        else:
            count = format_html("{}", c["count"])
        parts.append((bold, c["status"], count))
    pct = figures.percent_on_time
    shown = format_html("{}%", pct) if pct is not None else _NONE
    return format_html(
        "{}{}",
        format_html_join(
            "\n", '<td class="govuk-table__cell govuk-table__cell--numeric{}" data-status="{}">{}</td>', parts
        ),
        format_html(
            '\n<td class="govuk-table__cell govuk-table__cell--numeric{}" data-status="percent">{}</td>',
            bold,
            shown,
        ),
    )
