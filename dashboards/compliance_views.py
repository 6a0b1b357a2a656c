"""The service manager's compliance dashboard, its drill-down and its CSV/XLSX exports (issue 8).

Only the service manager sees them: everyone else gets a 404 on every page and export. Thin views: the
figures come from one selector (`compliance_figures`), which the exports and the `compliance_report`
command also use, so the page, the files and the command cannot disagree; the page reads just the lines
it shows through `dashboard_figures`, the same sums (tests/dashboards/test_dashboard_figures.py). A fixed number of queries
whatever the number of obligations or children.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

import rules
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases.models import Obligation
from cases.rules.calendar import add_months_raw
from core.audit import audit_record, list_view_audit
from core.downloads import XLSX_TYPE
from core.downloads import download as _download
from core.downloads import no_store as _no_store
from core.models import AuditEntry

from .common import counted_page, unallocated_children, with_days_waiting
from .compliance import exports
from .compliance.figures import (
    ALL,
    ALL_CODES_TITLE,
    ALL_TEAMS_NAME,
    NO_TEAM,
    NO_TEAM_NAME,
    STATUSES,
    compliance_figures,
    dashboard_figures,
    default_period,
    drilldown_obligations,
    month_start,
    team_names,
)
from .compliance.forms import DrilldownForm, PeriodForm, code_titles
from .compliance.profile import caseload_profile, overdue_supervisions, with_days_overdue

DRILLDOWN_PAGE_SIZE = 50
LIST_SIZE = 10  # overdue supervisions and unallocated children shown on the dashboard (then a link/pages)


def _service_manager_only(user) -> None:
    """The dashboard is the service manager's: anyone else gets a 404, never a 403."""
    if not rules.has_perm("dashboards.view_compliance", user):  # the header link's permission too
        raise Http404("No such page")


def _period_form(request, *, names: dict[int, str], today: datetime.date) -> PeriodForm:
    """The period form, with the default period when none was asked for."""
    return PeriodForm(
        request.GET or None,
        teams=names,
        profile=settings.POLICY_PROFILE,
        default=default_period(today=today),
    )


def _drill_query(*, date_from, date_to, code=ALL, team=ALL) -> str:
    """The drill-down's parameters for one line of figures (the status is added per figure)."""
    return urlencode({"code": code, "team": team, "from": date_from.isoformat(), "to": date_to.isoformat()})


def _cells(figures, *, url: str, query: str, context: str) -> list[dict]:
    """A line's figures in column order, each with its drill-down link (none for a 0) to `url`."""
    return [
        {
            "status": status,
            "label": label,
            "count": figures.count(status),
            "href": f"{url}?{query}&status={status}" if figures.count(status) else "",
            "context": context,
        }
        for status, label in STATUSES.items()
    ]


def _code_lines(report, *, team) -> list:
    """The "by obligation type" table's lines: each code's total across teams, or its line for one
    team (codes the team had nothing due for are left out). Each line gets its `titles` and `bases`."""
    out = []
    for block in report.codes:
        lines = [block.total] if team == ALL else [line for line in block.teams if line.team_key == team]
        for line in lines:
            line.titles, line.bases = block.titles, block.bases
            out.append(line)
    return out


def _link_lines(report, *, code_lines: list) -> None:
    """Set `cells` (figures with their drill-down links) on the lines the page shows."""
    period = {"date_from": report.date_from, "date_to": report.date_to}
    url = reverse("compliance_drilldown")  # once: a reverse per line was a tenth of the page's time
    for line in code_lines:
        line.cells = _cells(
            line.figures,
            url=url,
            query=_drill_query(code=line.code, team=line.team_key, **period),
            context=f"{line.code}, {line.team_name}",
        )
    for line in [*report.teams, report.overall]:
        line.cells = _cells(
            line.figures,
            url=url,
            query=_drill_query(team=line.team_key, **period),
            context=f"{line.team_name}, all obligation types",
        )


def _trend_context(trend, *, team, code, names) -> dict:
    """The trend's table links, its chart data (for json_script) and the chart's text summary."""
    who = ALL_TEAMS_NAME.lower() if team == ALL else names.get(team, NO_TEAM_NAME)
    what = ALL_CODES_TITLE.lower() if code == ALL else code
    url = reverse("compliance_drilldown")
    for month in trend:
        month.cells = _cells(
            month.figures,
            url=url,
            query=_drill_query(date_from=month.start, date_to=month.end, code=code, team=team),
            context=f"due in {month.start:%B %Y}, {who}, {what}",
        )
    points = [(m, m.figures.percent_on_time) for m in trend]
    judged = [(m, pct) for m, pct in points if pct is not None]
    span = f"{trend[0].start:%B %Y} to {trend[-1].start:%B %Y}"
    if judged:
        high = max(judged, key=lambda p: p[1])
        low = min(judged, key=lambda p: p[1])
        summary = (
            f"Line chart of the percentage of obligations met on time by month due, {span}, {who}, {what}. "
            f"{judged[0][0].label}: {judged[0][1]}%; {judged[-1][0].label}: {judged[-1][1]}%. "
            f"Highest {high[1]}% in {high[0].label}, lowest {low[1]}% in {low[0].label}. "
            "The table that follows gives every month's figures."
        )
    else:
        summary = (
            f"Line chart of the percentage of obligations met on time by month due, {span}: no figures yet."
        )
    chart = {
        "labels": [m.label for m in trend],
        "values": [float(pct) if pct is not None else None for _, pct in points],
        "series": f"% met on time ({who}, {what})",
    }
    return {
        "trend": trend,
        "trend_summary": summary,
        "trend_chart": chart,
        "trend_who": who,
        "trend_what": what,
    }


def _quick_periods(today: datetime.date) -> list[tuple[str, str]]:
    """Common periods as links: last month, the default (three months), twelve months, year to date."""
    this_month = month_start(today)
    last = this_month - datetime.timedelta(days=1)

    def link(label, start, end):
        """A quick period as a label and its query string."""
        return (label, urlencode({"from": start.isoformat(), "to": end.isoformat()}))

    return [
        link("Last month", month_start(last), last),
        link("Last 3 months", *default_period(today=today)),
        link("Last 12 months", add_months_raw(this_month, -12), last),
        link("This year so far", today.replace(month=1, day=1), today),
    ]


def _date_text(day: datetime.date) -> str:
    """A date as the period boxes take it: 1/8/2026."""
    return f"{day.day}/{day.month}/{day.year}"


def compliance_dashboard(request):
    """Obligation type x team: due, met on time, met late, overdue, not yet due and % on time for a
    period; the trend by month; the caseload profile; overdue supervisions; unallocated children."""
    _service_manager_only(request.user)
    today = timezone.localdate()
    names = team_names()
    form = _period_form(request, names=names, today=today)
    selection = form.selection()
    default_from, default_to = form.default
    list_view_audit(
        user=request.user,
        page="compliance dashboard",
        filters={"period": f"{selection['date_from']} to {selection['date_to']}" if selection else ""},
        path=request.path,
    )
    context = {
        "form": form,
        "today": today,
        "quick_periods": _quick_periods(today),
        "selection": selection,
        # What the period boxes show: the period in use, or what was typed when it is wrong.
        "from_text": _date_text(selection["date_from"]) if selection else form.data.get("from", ""),
        "to_text": _date_text(selection["date_to"]) if selection else form.data.get("to", ""),
        # The period form keeps the other forms' choices (validated again when it is sent).
        "keep_choices": [
            (key, request.GET[key]) for key in ("team", "trend_team", "trend_code") if request.GET.get(key)
        ],
    }
    if selection is not None:
        start, end = selection["date_from"], selection["date_to"]
        code_team, team, code = selection["team"], selection["trend_team"], selection["trend_code"]
        # The lines the page shows and the trend, in one read of the roll-up (compliance_figures' sums).
        report, trend = dashboard_figures(
            date_from=start, date_to=end, team=code_team, trend_team=team, trend_code=code, names=names
        )
        code_lines = _code_lines(report, team=code_team)
        _link_lines(report, code_lines=code_lines)
        period = {"from": start.isoformat(), "to": end.isoformat()}
        keep_trend = [(k, v) for k, v in (("trend_team", team), ("trend_code", code)) if v != ALL]
        for line in report.teams:  # each team's name opens its figures by obligation type
            if line.team_key != NO_TEAM:
                line.team_query = urlencode([*period.items(), ("team", line.team_key), *keep_trend])
        context.update(
            report=report,
            code_lines=code_lines,
            code_team=code_team,
            code_team_name=ALL_TEAMS_NAME if code_team == ALL else names.get(code_team, NO_TEAM_NAME),
            is_default=(start, end) == (default_from, default_to),
            export_query=urlencode(period),
            # The team and trend forms keep each other's choices and the period, hidden.
            keep_team=[("team", code_team)] if code_team != ALL else [],
            keep_trend=keep_trend,
            period_pairs=list(period.items()),
            trend_team=team,
            trend_code=code,
            **_trend_context(trend, team=team, code=code, names=names),
        )

    # Each list with its length in one query (CountedPaginator).
    supervisions = counted_page(overdue_supervisions(), 1, per_page=LIST_SIZE)
    unallocated = counted_page(
        unallocated_children(today=today), request.GET.get("unallocated_page"), per_page=LIST_SIZE
    )
    params = request.GET.copy()
    params.pop("unallocated_page", None)
    context.update(
        profile=caseload_profile(),
        supervisions=with_days_overdue(supervisions.object_list, today=today),
        supervisions_count=supervisions.paginator.count,
        unallocated=unallocated,
        unallocated_rows=with_days_waiting(unallocated.object_list, today=today),
        unallocated_query=params.urlencode(),
    )
    return render(request, "dashboards/compliance.html", context)


def _drilldown_audit(*, request, description: str) -> AuditEntry:
    """A look at the children behind a figure is audited like any page listing children's records."""
    figure = SimpleNamespace(_meta=Obligation._meta, pk="compliance")
    return audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=figure,
        description=description,
        path=request.get_full_path(),
    )


def compliance_drilldown(request):
    """The obligations (children, or workers for their own obligations) behind one figure on the
    dashboard, paginated; invalid parameters get a clear message (400), never a 500."""
    _service_manager_only(request.user)
    names = team_names()
    form = DrilldownForm(request.GET, teams=names)
    if not form.is_valid():
        return render(request, "dashboards/compliance_drilldown.html", {"form": form}, status=400)
    data = form.cleaned_data
    start, end, status, team, code = data["from"], data["to"], data["status"], data["team"], data["code"]
    obligations = drilldown_obligations(date_from=start, date_to=end, status=status, team=team, code=code)
    team_name = ALL_TEAMS_NAME if team == ALL else names.get(team, NO_TEAM_NAME)
    code_name = ALL_CODES_TITLE.lower() if code == ALL else code
    figure = f"{STATUSES[status]}: {code_name}, {team_name}, due {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    if request.GET.get("format") in ("csv", "xlsx"):
        return _drilldown_export(request, obligations, figure=figure, selection=data)
    page = Paginator(obligations, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    _drilldown_audit(
        request=request,
        description=f"Viewed the compliance drill-down ({figure}): {page.paginator.count} obligations",
    )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    rows = list(page.object_list)
    for obligation in rows:
        # Annotated for the template only (link to the worker's supervision page); not a model field.
        obligation.supervision_link = (  # type: ignore[attr-defined]
            obligation.worker is not None and obligation.child_id is None and obligation.worker.is_active
        )
    return render(
        request,
        "dashboards/compliance_drilldown.html",
        {
            "valid": True,
            "form": form,
            "page": page,
            "rows": rows,
            "status": status,
            "status_label": STATUSES[status],
            "team_name": team_name,
            "code": code,
            "code_title": code_titles(settings.POLICY_PROFILE).get(code, ""),
            "date_from": start,
            "date_to": end,
            "querystring": params.urlencode(),
            "back_query": urlencode({"from": start.isoformat(), "to": end.isoformat()}),
        },
    )


def _drilldown_export(request, obligations, *, figure: str, selection: dict) -> HttpResponse:
    """Every obligation behind the figure (not one page) as CSV or XLSX, for a service manager to hand
    over; audited with the figure and how many rows left the system."""
    ext = request.GET["format"]
    rows = list(obligations.iterator(chunk_size=2000))
    _drilldown_audit(
        request=request,
        description=f"Downloaded the compliance drill-down ({figure}) as {ext.upper()}: {len(rows)} obligations",
    )
    filename = exports.drilldown_filename(
        status=selection["status"],
        code=selection["code"],
        date_from=selection["from"],
        date_to=selection["to"],
        ext=ext,
    )
    if ext == "csv":
        return _download(exports.drilldown_csv(rows).encode("utf-8"), "text/csv; charset=utf-8", filename)
    return _download(
        exports.drilldown_xlsx(rows, title=f"Compliance drill-down: {figure}"), XLSX_TYPE, filename
    )


def _export_report(request):
    """The report for the export's period (the dashboard's default when none is given); None if the
    period is invalid."""
    _service_manager_only(request.user)
    today = timezone.localdate()
    names = team_names()
    form = _period_form(request, names=names, today=today)
    selection = form.selection()
    if selection is None:
        return None, form
    return compliance_figures(
        date_from=selection["date_from"], date_to=selection["date_to"], names=names
    ), form


def _bad_period(form) -> HttpResponse:
    """An export asked for an invalid period: say what is wrong, as plain text (400)."""
    lines = [message for _, message in form.error_links()]
    return _no_store(
        HttpResponse(
            "The period is not valid:\n" + "\n".join(lines) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    )


def compliance_export_csv(request):
    """The dashboard's figures for the chosen period as CSV (the same bytes as `compliance_report
    --format csv` for that period)."""
    report, form = _export_report(request)
    if report is None:
        return _bad_period(form)
    list_view_audit(user=request.user, page="compliance export (CSV)", path=request.get_full_path())
    return _download(
        exports.report_csv(report).encode("utf-8"),
        "text/csv; charset=utf-8",
        exports.export_filename(report, "csv"),
    )


def compliance_export_xlsx(request):
    """The dashboard's figures for the chosen period as an XLSX workbook (formula-safe text)."""
    report, form = _export_report(request)
    if report is None:
        return _bad_period(form)
    list_view_audit(user=request.user, page="compliance export (XLSX)", path=request.get_full_path())
    return _download(exports.report_xlsx(report), XLSX_TYPE, exports.export_filename(report, "xlsx"))
