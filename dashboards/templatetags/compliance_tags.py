"""The compliance dashboard's figure cells, built in Python (issue 19).

The dashboard shows one line of six cells per obligation type, team and month: about 80 lines and 480
cells at a 5,000-child service. As an `{% include %}` inside the loops they were most of the page's time
(each include copies the context and walks a dozen template nodes per cell: 12x a bare page at 5,000
children); one `format_html` per cell was still a fifth of the page (Django's `escape` and
`format_html` go through the lazy-string wrappers on every argument), so a line is now one string built
with the standard library's `html.escape`, which escapes the same five characters the same way.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NONE = '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">none met or overdue</span>'
_TD = '<td class="govuk-table__cell govuk-table__cell--numeric{}" data-status="{}">{}</td>'


def cells_html(cells, figures, *, total: bool = False) -> str:
    """A line's figure cells (each a drill-down link, or the plain count for a 0), then % on time, as
    HTML with every value escaped: `cells` as dashboards.compliance_views._cells makes them, `figures`
    a Figures."""
    bold = " govuk-!-font-weight-bold" if total else ""
    parts = []
    for c in cells:
        count = escape(str(c["count"]))
        if c["href"]:
            count = (
                f'<a class="govuk-link" href="{escape(c["href"])}">{count}<span class="govuk-visually-hidden">'
                f" {escape(str(c['label']).lower())}: {escape(str(c['context']))}</span></a>"
            )
        parts.append(_TD.format(bold, escape(str(c["status"])), count))
    pct = figures.percent_on_time
    parts.append(_TD.format(bold, "percent", _NONE if pct is None else f"{escape(str(pct))}%"))
    return "\n".join(parts)


@register.simple_tag
def compliance_cells(cells, figures, total=False) -> SafeString:
    """A line's figure cells and % on time (`cells_html`), safe to insert."""
    return mark_safe(cells_html(cells, figures, total=total))  # noqa: S308 (every value escaped above)
