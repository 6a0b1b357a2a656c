"""The team manager's and AP's team dashboard (the service manager may open any team's)."""

import datetime
import re

from django.shortcuts import render
from django.utils import timezone

from core.audit import list_view_audit

from . import team as selectors
from .common import counted_page, unallocated_children, with_days_waiting

PAGE_SIZE = 25

CODE_RE = re.compile(r"[a-z0-9_.\-]+")


def _paged(request, rows, *, param: str, anchor: str, label: str) -> dict:
    """A page of `rows` under its own page parameter, with the query string that keeps everything else."""
    params = request.GET.copy()
    params.pop(param, None)
    return {
        # The list's length read with its page: one query, not a COUNT then the page.
        "page": counted_page(rows, request.GET.get(param), per_page=PAGE_SIZE),
        "param": param,
        "anchor": anchor,
        "label": label,
        "querystring": params.urlencode(),
    }


def _code_param(request) -> str | None:
    """The obligation code asked for: dotted lower-case words; anything else (a NUL byte, say) matches
    nothing."""
    code = (request.GET.get("code") or "")[:60] or None
    if code and not CODE_RE.fullmatch(code):
        code = "unknown"
    return code


def _overdue_items(request, *, team, today: datetime.date, by_worker: list, by_code: list) -> dict | None:
    """The overdue items behind a figure (a worker's, a type's, or both), paged and described; None when
    no figure was opened."""
    worker = selectors.parse_worker(request.GET.get("worker"))
    code = _code_param(request)
    if worker is None and not code:
        return None
    described = []
    if worker is not None:
        name = next((r["name"] for r in by_worker if r["param"] == worker), None)
        described.append(name or "this worker")
    if code:
        title = next((r["title"] for r in by_code if r["code"] == code), None)
        described.append(title or code)
    overdue = _paged(
        request,
        selectors.overdue_items(team=team, today=today, worker=worker, code=code),
        param="page",
        anchor="overdue-items",
        label="Overdue items",
    )
    overdue["rows"] = selectors.with_days_overdue(overdue["page"].object_list, today=today)
    overdue["description"] = ": ".join(described)
    return overdue


def team_dashboard(request):
    """A team's caseload by worker with capacity and weighted complexity (003 §2.1), unallocated children
    and days waiting (003 §2), CMMs due in the next two weeks (000 §1, 001 §6.2), sign-offs waiting
    (001 App. 1), supervisions due per worker (000 §4.1, 002), and overdue items by worker and by type,
    each figure opening the items behind it. Team managers and APs see their own team; the service
    manager picks any team; everyone else gets a 404."""
    user = request.user
    team = selectors.team_get_for_user(user=user, team_id=request.GET.get("team"))
    today = timezone.localdate()
    team_param = f"team={team.pk}&" if user.is_service_wide else ""

    unallocated = _paged(
        request,
        unallocated_children(team=team, today=today),
        param="unallocated_page",
        anchor="unallocated",
        label="Unallocated children",
    )
    unallocated["rows"] = with_days_waiting(unallocated["page"].object_list, today=today)
    cmms = _paged(
        request,
        selectors.cmms_due(team=team, today=today),
        param="cmm_page",
        anchor="cmms-due",
        label="CMMs due",
    )
    cmms["rows"] = selectors.with_cmm_links(cmms["page"].object_list, today=today)
    sign_offs = _paged(
        request,
        selectors.sign_offs_waiting(team=team),
        param="sign_off_page",
        anchor="sign-offs",
        label="Sign-offs waiting",
    )
    sign_offs["rows"] = selectors.with_sign_off_details(sign_offs["page"].object_list, today=today)

    by_worker, by_code = selectors.overdue_counts(team=team, today=today)
    overdue = _overdue_items(request, team=team, today=today, by_worker=by_worker, by_code=by_code)
    caseload = selectors.caseload_by_worker(team=team, today=today)
    supervisions = selectors.supervisions_for_team(team=team, viewer=user, today=today)
    # `status` is annotated on each row by supervisions_for_team, for the template.
    statuses = [w.status for w in supervisions]  # type: ignore[attr-defined]
    shown = sum(len(part["page"].object_list) for part in (unallocated, cmms, sign_offs))
    list_view_audit(
        user=user, page="team dashboard", shown=shown, filters={"team": team.name}, path=request.path
    )
    return render(
        request,
        "dashboards/team.html",
        {
            "team": team,
            "teams": list(selectors.teams_for_user(user=user)) if user.is_service_wide else [],
            "team_param": team_param,
            "today": today,
            "horizon": today + datetime.timedelta(days=selectors.CMM_HORIZON_DAYS),
            "caseload": caseload,
            "over_capacity": sum(1 for r in caseload if r["over_capacity"]),
            "open_children": team.open_children,  # type: ignore[attr-defined]  # team_get_for_user's annotation
            "unallocated": unallocated,
            "cmms": cmms,
            "sign_offs": sign_offs,
            "supervisions": supervisions,
            "supervisions_overdue": statuses.count("overdue"),
            "by_worker": by_worker,
            "by_code": by_code,
            "overdue_total": sum(r["count"] for r in by_worker),
            "overdue": overdue,
            # Today (issue 20): a short panel at the top, each line one action away.
            "meetings_today": selectors.meetings_today(team=team, today=today),
            "due_today": selectors.due_today(team=team, today=today, viewer=user),
            "off_today": selectors.off_today(caseload),
        },
    )
