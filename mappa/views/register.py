"""MAPPA (001 §8): the child's MAPPA tab and its forms (eligibility, Form H, level, end), and the register
that replaces the SharePoint MAPPA spreadsheet, with its XLSX and CSV exports and the quarterly share.

Thin views. Child pages start with `child_get_for_user` (404 outside the user's scope); the forms are for
a TM or AP of the child's team (or the service manager), anyone else gets the same 404. The register is
for the service manager and the development manager (every record) and TMs/APs (the children they may
see); anyone else gets a 404. Every GET showing a child's record is audited; every POST by its service.
"""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Role
from core.audit import child_view_audit
from core.downloads import XLSX_TYPE, xlsx_workbook
from core.downloads import csv_cell as _csv_value
from core.downloads import download as _download
from core.views import audit_get, service_errors
from meetings.selectors import can_manage_meetings

from ..forms.records import EndForm, FormHForm, LevelForm, MappaRecordForm
from ..forms.register import RegisterFilterForm, ShareForm
from ..models import CRITERION_CATEGORY, Category, Criterion, Level
from ..selectors import records as selectors
from ..selectors import register as reg
from ..services import records as services
from ..services import share as share_services

PAGE_SIZE = 25


def _context(child, **extra) -> dict:
    """What every page of the child's MAPPA tab shares."""
    return {"child": child, "tab": "mappa", **extra}


def _child_for_write(request, pk):
    """The child (404 outside scope), for a TM/AP of the child's team or the service manager (else 404)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_mappa(user=request.user, child=child):
        raise Http404("You cannot change this child's MAPPA record")
    return child


def _open_record_for_write(request, pk, rpk):
    """The child and one of its MAPPA records still open, for those who may change it; 404 otherwise."""
    child = _child_for_write(request, pk)
    record = selectors.record_get_for_user(user=request.user, child=child, pk=rpk)
    if not record.is_open:
        raise Http404("This MAPPA record has ended")
    return child, record


# ---------------------------------------------------------------------------------------------------
# The child's MAPPA tab


def child_mappa(request, pk):
    """The child's MAPPA record (category, criterion, offence, dates, Form H), the level history, the
    mappa.* obligations and the MAPPA level 1 meetings, with the buttons for those allowed (001 §8)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="MAPPA", path=request.path)
    records = selectors.records_for_child(child=child)
    current = next((r for r in records if r.is_open), None)
    can_manage = selectors.can_manage_mappa(user=request.user, child=child)
    return render(
        request,
        "mappa/child.html",
        _context(
            child,
            record=current,
            past=[r for r in records if not r.is_open],
            obligations=selectors.mappa_obligations(child=child, user=request.user),
            meetings=list(selectors.level_1_meetings(child=child)),
            booked=selectors.booked_level_1(child=child) if current else None,
            can_manage=can_manage,
            can_book=current is not None
            and current.current_level == Level.ONE
            and can_manage_meetings(user=request.user, child=child),
            mappa_email=settings.MAPPA_UNIT_EMAIL,
        ),
    )


def mappa_record_new(request, pk):
    """Record the child as eligible for MAPPA (001 §8: "recorded ... by the Locality TM")."""
    child = _child_for_write(request, pk)
    existing = selectors.open_record_for(child=child)
    if existing is not None and request.method == "GET":
        messages.info(request, "This child already has an open MAPPA record")
        return redirect("child_mappa", pk=child.pk)
    audit_get(request, child, "MAPPA eligibility form")
    form = MappaRecordForm(
        request.POST if request.method == "POST" else None,
        initial={"custody_months": selectors.recorded_custody_months(child=child)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.mappa_record_create(child=child, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request,
                f"MAPPA eligibility recorded: category {record.category}, level {record.current_level}. "
                "Now send Form H to the MAPPA Co-ordination Unit and record the date.",
            )
            return redirect("child_mappa", pk=child.pk)
    chosen = form.data.get("criterion") if form.is_bound else ""
    category = Category(CRITERION_CATEGORY[Criterion(chosen)]).label if chosen in Criterion.values else ""
    return render(
        request,
        "mappa/record_form.html",
        _context(child, form=form, category=category, mappa_email=settings.MAPPA_UNIT_EMAIL),
    )


def mappa_form_h(request, pk, rpk):
    """Record the date Form H was sent to the MAPPA Co-ordination Unit (001 §8)."""
    child, record = _open_record_for_write(request, pk, rpk)
    audit_get(request, child, "MAPPA Form H form")
    form = FormHForm(
        request.POST if request.method == "POST" else None,
        initial={"sent_on": record.form_h_sent_on or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mappa_form_h_record(
                record=record, user=request.user, sent_on=form.cleaned_data["sent_on"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Form H recorded as sent to the MAPPA Co-ordination Unit")
            return redirect("child_mappa", pk=child.pk)
    return render(
        request,
        "mappa/form_h.html",
        _context(child, form=form, record=record, mappa_email=settings.MAPPA_UNIT_EMAIL),
    )


def mappa_level_set(request, pk, rpk):
    """Change the MAPPA management level, with its reason, kept as history (001 §8)."""
    child, record = _open_record_for_write(request, pk, rpk)
    audit_get(request, child, "MAPPA level form")
    form = LevelForm(
        request.POST if request.method == "POST" else None,
        current=record.current_level,
        initial={"set_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.mappa_level_set(
                record=record,
                user=request.user,
                level=data["level"],
                set_on=data["set_on"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if entry.level == Level.ONE:
                messages.success(
                    request,
                    "MAPPA level 1 recorded. Level 1 meetings follow the CMM timescales: book the MAPPA "
                    "level 1 meeting.",
                )
            else:
                messages.success(
                    request,
                    f"MAPPA level {entry.level} recorded. Level {entry.level} meetings are chaired by the "
                    "MAPPA co-ordinator.",
                )
            return redirect("child_mappa", pk=child.pk)
    return render(
        request,
        "mappa/level_form.html",
        _context(child, form=form, record=record, latest=selectors.latest_level(record=record)),
    )


def mappa_end(request, pk, rpk):
    """End MAPPA management: the record stays, its timescales stop (mappa/facts.py)."""
    child, record = _open_record_for_write(request, pk, rpk)
    audit_get(request, child, "end MAPPA form")
    form = EndForm(
        request.POST if request.method == "POST" else None, initial={"ended_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mappa_record_end(
                record=record, user=request.user, ended_on=data["ended_on"], reason=data["reason"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "MAPPA management ended; the record is kept on the child's file")
            return redirect("child_mappa", pk=child.pk)
    return render(request, "mappa/end_form.html", _context(child, form=form, record=record))


# ---------------------------------------------------------------------------------------------------
# The register


def _filtered(request):
    """The filter form and the records it selects (404 for anyone the register is not for)."""
    reg.register_check(request.user)
    form = RegisterFilterForm(request.GET or None, teams=reg.team_choices(request.user))
    filters = form.filters() if form.is_bound else {}
    return form, reg.register_records(user=request.user, **filters)


def mappa_register(request):
    """Every open MAPPA record the user may see, filtered and paginated (001 §8); the development manager
    gets the quarter's share task here if it is missing."""
    form, records = _filtered(request)
    today = timezone.localdate()
    if request.user.role == Role.DEVELOPMENT_MANAGER:
        share_services.mappa_share_task_ensure(today=today, assignees=[request.user])
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = reg.register_rows(page.object_list)
    visible = reg.visible_child_ids(user=request.user, child_ids=[r.record.child_id for r in rows])
    for row in rows:
        row.can_open = row.record.child_id in visible
    share_services.register_view_audit(user=request.user, rows=page.paginator.count, path=request.path)
    querystring = form.querystring() if form.is_bound else ""
    quarter = reg.quarter_of(today)
    return render(
        request,
        "mappa/register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "querystring": querystring,
            "can_share": reg.can_share_register(request.user),
            "quarter": quarter,
            "quarter_label": reg.quarter_label(quarter),
            "quarter_due": reg.quarter_due(quarter),
            "last_share": reg.shares()[:1],
            "today": today,
        },
    )


def _export_rows(request) -> list:
    """Every row the page would show (all pages), for the exports."""
    _, records = _filtered(request)
    return reg.register_rows(records)


def _filename(ext: str) -> str:
    """mappa-register-YYYY-MM-DD.<ext>, dated today in Europe/London."""
    return f"mappa-register-{timezone.localdate():%Y-%m-%d}.{ext}"


def mappa_export_xlsx(request):
    """The register as an XLSX workbook for the MAPPA unit: a bold header row then one row per record,
    dates as dates (001 §8: shared quarterly)."""
    rows = _export_rows(request)
    content = xlsx_workbook(
        sheet_title="MAPPA register",
        header=[header for header, _ in reg.COLUMNS],
        rows=[r.cells() for r in rows],
    )
    share_services.register_export_audit(user=request.user, rows=len(rows), fmt="XLSX", path=request.path)
    return _download(content, XLSX_TYPE, _filename("xlsx"))


def mappa_export_csv(request):
    """The register as CSV: the same header and rows as the XLSX."""
    rows = _export_rows(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in reg.COLUMNS])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row.cells()])
    share_services.register_export_audit(user=request.user, rows=len(rows), fmt="CSV", path=request.path)
    return _download(buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", _filename("csv"))


def mappa_share(request):
    """Record that the register was shared with the MAPPA unit for a quarter (001 §8): the development
    manager's quarterly task; the service manager may record it too."""
    if not reg.can_share_register(request.user):
        raise Http404("No MAPPA register share")
    today = timezone.localdate()
    quarters = reg.unshared_quarters(today=today)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        quarters=quarters,
        initial={"quarter": quarters[0] if quarters else None, "shared_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            share = share_services.register_share_record(
                user=request.user,
                quarter=form.cleaned_data["quarter"],
                shared_on=form.cleaned_data["shared_on"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"Recorded: the register was shared with the MAPPA unit for {share.quarter}"
            )
            return redirect("mappa_register")
    return render(
        request,
        "mappa/share.html",
        {
            "form": form,
            "quarters": quarters,
            "shares": reg.shares(),
            "rows": reg.open_record_count(),
            "mappa_email": settings.MAPPA_UNIT_EMAIL,
        },
    )
