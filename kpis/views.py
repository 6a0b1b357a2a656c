"""The service manager's KPI page, its drill-down, its CSV/XLSX exports and the quarterly return (issue 21).

Only the service manager sees them: anyone else gets a 404 on every page and export. Thin views: the
figures come from one selector (`kpi_figures`), which the exports and the `kpi_report` command also use.
Every page and file is audited (core.audit.list_view_audit, as the compliance dashboard's are). A fixed
number of queries whatever the number of children.
"""

from urllib.parse import urlencode

import rules
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases.models import Child
from core.audit import list_view_audit
from core.downloads import XLSX_TYPE, download, no_store

from . import exports
from .forms import DrilldownForm, QuarterForm
from .measures import BY_CODE, POINT_LABELS, QUARTER
from .presenters import kpi_sections, trend_context
from .selectors.facts import kpi_facts
from .selectors.figures import kpi_figures, trend_quarters
from .selectors.quarters import Quarter
from .selectors.returns import data_quality, return_rows

PAGE_SIZE = 50


def _service_manager_only(user) -> None:
    """The KPIs are the service manager's: anyone else gets a 404, never a 403."""
    if not rules.has_perm("kpis.view_kpis", user):  # the header link's permission too
        raise Http404("No such page")


def _quarter_form(request) -> QuarterForm:
    return QuarterForm(request.GET or None, today=timezone.localdate())


def kpi_page(request):
    """The ten KPIs for a quarter: counts behind each percentage, start and end, by team and programme
    type, each linked to its children; the trend of one measure over eight quarters; the exports."""
    _service_manager_only(request.user)
    form = _quarter_form(request)
    selection = form.selection()
    list_view_audit(
        user=request.user,
        page="KPI page",
        filters={
            "quarter": selection[0].token if selection else "",
            "trend": selection[1] if selection else "",
        },
        path=request.get_full_path(),
    )
    context = {"nav": "kpis", "form": form, "quarter_choices": form.choices}
    if selection is None:
        return render(request, "kpis/kpis.html", context, status=400)
    quarter, trend_code = selection
    span = trend_quarters(quarter)
    facts = kpi_facts(date_from=span[0].start, date_to=quarter.end)
    reports = [kpi_figures(quarter=q, facts=facts) for q in span]
    report = reports[-1]
    context.update(
        quarter=quarter,
        report=report,
        sections=kpi_sections(report, drill_url=reverse("kpi_drilldown")),
        problems=len(data_quality(quarter=quarter, facts=facts)),
        query=urlencode({"quarter": quarter.token}),
        start=report.cohort("start"),
        end=report.cohort("end"),
        **trend_context(reports, BY_CODE[trend_code]),
    )
    if quarter.token not in dict(form.choices):
        context["quarter_choices"] = [
            (quarter.token, f"{quarter.label} ({quarter.token}; YJB {quarter.yjb_label})")
        ] + form.choices
    return render(request, "kpis/kpis.html", context)


def kpi_drilldown(request):
    """The children behind one figure (a numerator or a denominator), paginated, each linking to the
    child's page. An invalid link gets a clear message (400), never a 500."""
    _service_manager_only(request.user)
    form = DrilldownForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "kpis/drilldown.html", {"nav": "kpis", "form": form}, status=400)
    data = form.cleaned_data
    quarter, measure, point, group, part = (
        data["quarter"],
        data["measure"],
        data["point"],
        data["group"],
        data["part"],
    )
    report = kpi_figures(quarter=quarter)
    if group not in report.groups:
        form.add_error(None, "The link names a team or programme type with no figures in that quarter")
        return render(request, "kpis/drilldown.html", {"nav": "kpis", "form": form}, status=400)
    figure = report.figure(measure.code, point, group)
    ids = figure.children(part)
    children = (
        Child.objects.filter(pk__in=ids)
        .select_related("team", "case_manager")
        .order_by("last_name", "first_name", "pk")
    )
    words = measure.numerator if part == "numerator" else measure.denominator
    filters = {"quarter": quarter.token, "measure": measure.code, "point": point, "line": group, "part": part}
    if request.GET.get("format") in ("csv", "xlsx"):
        return _drilldown_export(request, list(children), report=report, filters=filters, words=words)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    list_view_audit(
        user=request.user,
        page="KPI drill-down",
        shown=len(page.object_list),
        filters={
            "quarter": quarter.token,
            "measure": measure.code,
            "point": point,
            "line": group,
            "part": part,
        },
        path=request.get_full_path(),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "kpis/drilldown.html",
        {
            "nav": "kpis",
            "valid": True,
            "quarter": quarter,
            "measure": measure,
            "point_label": POINT_LABELS[point],
            "group_name": report.groups[group].name,
            "part": part,
            "words": words,
            "figure": figure,
            "page": page,
            "querystring": params.urlencode(),
            "back_query": urlencode({"quarter": quarter.token}),
            "is_quarter_point": point == QUARTER,
        },
    )


def _drilldown_export(request, children, *, report, filters: dict, words: str) -> HttpResponse:
    """Every child behind the figure (not one page) as CSV or XLSX; audited with how many left."""
    ext = request.GET["format"]
    list_view_audit(
        user=request.user,
        page=f"KPI drill-down export ({ext.upper()})",
        shown=len(children),
        filters=filters,
        path=request.get_full_path(),
    )
    rows = exports.drilldown_rows(children)
    name = exports.filename(
        report, f"children-{filters['measure']}-{filters['point']}-{filters['part']}", ext
    )
    if ext == "csv":
        text = exports.to_csv(exports.DRILLDOWN_COLUMNS, rows)
        return download(text.encode("utf-8"), "text/csv; charset=utf-8", name)
    title = f"KPI children: {words}, {report.quarter.label}"
    return download(
        exports.workbook([("Children", exports.DRILLDOWN_COLUMNS, rows)], title=title), XLSX_TYPE, name
    )


def _export_quarter(request) -> tuple[Quarter | None, QuarterForm]:
    _service_manager_only(request.user)
    form = _quarter_form(request)
    selection = form.selection()
    return (selection[0] if selection else None), form


def _bad_quarter(form) -> HttpResponse:
    """An export asked for an invalid quarter: say what is wrong, as plain text (400)."""
    lines = [message for _, message in form.error_links()]
    return no_store(
        HttpResponse(
            "The quarter is not valid:\n" + "\n".join(lines) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    )


def kpi_export_csv(request):
    """The quarter's figures as CSV (the same bytes as `kpi_report --format csv`)."""
    quarter, form = _export_quarter(request)
    if quarter is None:
        return _bad_quarter(form)
    report = kpi_figures(quarter=quarter)
    list_view_audit(user=request.user, page="KPI export (CSV)", path=request.get_full_path())
    return download(
        exports.figures_csv(report).encode("utf-8"),
        "text/csv; charset=utf-8",
        exports.filename(report, "figures", "csv"),
    )


def kpi_export_xlsx(request):
    """The quarter's figures, and the measures table, as an XLSX workbook (formula-safe text)."""
    quarter, form = _export_quarter(request)
    if quarter is None:
        return _bad_quarter(form)
    report = kpi_figures(quarter=quarter)
    list_view_audit(user=request.user, page="KPI export (XLSX)", path=request.get_full_path())
    return download(exports.figures_xlsx(report), XLSX_TYPE, exports.filename(report, "figures", "xlsx"))


def kpi_return(request):
    """The quarterly return: what it holds, its downloads, and the data-quality list (paginated) of the
    gaps that would leave it incomplete, each linking to where it is fixed."""
    _service_manager_only(request.user)
    form = _quarter_form(request)
    selection = form.selection()
    context = {"nav": "kpis", "form": form, "quarter_choices": form.choices}
    if selection is None:
        list_view_audit(user=request.user, page="KPI quarterly return", path=request.get_full_path())
        return render(request, "kpis/return.html", context, status=400)
    quarter = selection[0]
    facts = kpi_facts(date_from=quarter.start, date_to=quarter.end)
    rows = return_rows(quarter=quarter, facts=facts)
    problems = data_quality(quarter=quarter, facts=facts)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    list_view_audit(
        user=request.user,
        page="KPI quarterly return",
        shown=len(page.object_list),
        filters={"quarter": quarter.token},
        path=request.get_full_path(),
    )
    if quarter.token not in dict(form.choices):
        context["quarter_choices"] = [
            (quarter.token, f"{quarter.label} ({quarter.token}; YJB {quarter.yjb_label})")
        ] + form.choices
    context.update(
        quarter=quarter,
        interventions=len(rows),
        children=len({row[0] for row in rows}),
        problem_children=len({p.child_id for p in problems}),
        page=page,
        query=urlencode({"quarter": quarter.token}),
        querystring=urlencode({"quarter": quarter.token}),
    )
    return render(request, "kpis/return.html", context)


RETURN_PARTS = ("rows", "summary", "quality")


def kpi_return_csv(request):
    """The return as CSV: `part=rows` (default; one row per child per intervention), `summary` (the KPI
    figures) or `quality` (the data-quality list)."""
    quarter, form = _export_quarter(request)
    if quarter is None:
        return _bad_quarter(form)
    part = request.GET.get("part") or "rows"
    if part not in RETURN_PARTS:
        return no_store(
            HttpResponse(
                "part must be rows, summary or quality\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        )
    facts = kpi_facts(date_from=quarter.start, date_to=quarter.end)
    report = kpi_figures(quarter=quarter, facts=facts)
    if part == "rows":
        text = exports.return_csv(return_rows(quarter=quarter, facts=facts))
    elif part == "summary":
        text = exports.figures_csv(report)
    else:
        problems = data_quality(quarter=quarter, facts=facts)
        text = exports.to_csv(
            exports.QUALITY_COLUMNS, exports.quality_rows(problems, base_url=_base_url(request))
        )
    list_view_audit(user=request.user, page=f"KPI return export (CSV, {part})", path=request.get_full_path())
    return download(
        text.encode("utf-8"), "text/csv; charset=utf-8", exports.filename(report, f"return-{part}", "csv")
    )


def kpi_return_xlsx(request):
    """The return as one workbook: its rows, the summary and the data-quality list."""
    quarter, form = _export_quarter(request)
    if quarter is None:
        return _bad_quarter(form)
    facts = kpi_facts(date_from=quarter.start, date_to=quarter.end)
    report = kpi_figures(quarter=quarter, facts=facts)
    content = exports.return_xlsx(
        report,
        rows=return_rows(quarter=quarter, facts=facts),
        problems=data_quality(quarter=quarter, facts=facts),
        base_url=_base_url(request),
    )
    list_view_audit(user=request.user, page="KPI return export (XLSX)", path=request.get_full_path())
    return download(content, XLSX_TYPE, exports.filename(report, "return", "xlsx"))


def _base_url(request) -> str:
    """The site's address, so a data-quality link in a file opens the right page."""
    return request.build_absolute_uri("/").rstrip("/")
