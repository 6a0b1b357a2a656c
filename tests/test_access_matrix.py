"""Every URL pattern, as every role, against records of the user's own team and of another (issue 18).

The URLconf is walked (`get_resolver()`), so a new page is requested here the day it is added. Each
`<int:...>` argument is filled from a seeded service (`seed_demo`, 30 children, a fixed date and seed,
plus the records the small demo lacks) with a record whose child is in North and one whose child is in
South, and, for records nested under a child, North's child with South's record (the "wrong parent"
request). Every member of staff of each role (`cases.models.Role`, all of them) then GETs every URL.

What may answer 200 is computed from the product's own access predicates, not restated here:
`children_for_user` (one predicate for every child page and list, ADR 0006), the supervision chain
(`supervision.access`), `leave_get_for_user`, `transfers_in_for_user`, `notifications_for_user`,
`outbox.message_get_for_user`, `awaiting_get_for_user` and, for the admin, `admin_site.has_permission`.
A record nested under a child must belong to that child. Two small explicit tables pin what those
predicates must say (which role sees North's and South's child; which list pages are one role's), so a
predicate that grew too generous fails here too.

It fails on
- any 500;
- any 2xx (or a redirect that is not to sign-in) for a record outside the user's scope;
- any 2xx page, CSV or XLSX naming a child (by case number) the user may not see (the administrator may
  see none; the development manager's MAPPA register and share are the one documented exception,
  ADR 0006);
- a list page answering a role the table says it is not for;
- a URL that answers 200 to nobody (the seeded records no longer reach it), unless it is POST-only.
Figures (URLs x roles, requests, 200s) are printed with `-s`.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import rules
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.http import Http404
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alerts.models import Notification
from alerts.selectors.notifications import notifications_for_user
from cases.admin import admin_site
from cases.models import Child, Leave, Role, StaffChange, Team, User
from cases.selectors.allocation import leave_get_for_user
from cases.selectors.core import children_for_user
from cases.services.staff import can_manage_staff
from core import outbox
from core.models import AuditEntry, OutboxMessage, Task
from courts.models import AwaitingHearing
from courts.selectors.tracking import awaiting_get_for_user
from onboarding.models import ServiceImport
from outcomes.kinds import KINDS as OUTCOME_KINDS
from outcomes.selectors import can_view_board
from records.models import SubjectAccessExport
from supervision.access import can_see_session, can_supervise
from supervision.models import SupervisionSession
from transfers.models import InternalTransfer, TransferIn, TransferOut
from transfers.selectors.external import transfers_in_for_user

TODAY = datetime.date(2026, 3, 3)  # a Tuesday, no bank holiday near
NOW = datetime.datetime(2026, 3, 3, 10, 30, tzinfo=ZoneInfo("Europe/London"))
CASE_NUMBER = re.compile(rb"\b(?:YJ|TI)\d{4,}\b")

# ---------------------------------------------------------------------------------------------------
# What each URL argument names. The key is the path segment before the argument; a new segment fails
# the test until it is described here.


@dataclass(frozen=True)
class Kind:
    model: type | None
    # Nested under children/<pk>/: the record must belong to that child (its own `child`, unless `belongs`).
    nested: bool = False
    belongs: Callable[[Child, Any], bool] | None = None
    # Top-level records: may this user see it? (the product's own predicate)
    visible: Callable[[User, Any], bool] | None = None


def _raises_404(fn: Callable[[], Any]) -> bool:
    try:
        fn()
    except Http404:
        return False
    return True


def _child_visible(user, child) -> bool:
    return children_for_user(user=user).filter(pk=child.pk).exists()


KINDS: dict[str, Kind] = {
    "children": Kind(Child, visible=_child_visible),
    "meetings": Kind(apps.get_model("meetings", "Meeting"), nested=True),
    "discussions": Kind(apps.get_model("supervision", "CaseDiscussion"), nested=True),
    "decisions": Kind(apps.get_model("supervision", "OversightDecision"), nested=True),
    "closure-check": Kind(apps.get_model("supervision", "ClosureCheck"), nested=True),
    "internal": Kind(InternalTransfer, nested=True),
    "caretaking": Kind(apps.get_model("transfers", "CaretakingAgreement"), nested=True),
    "out": Kind(TransferOut, nested=True),
    "crown": Kind(apps.get_model("courts", "CrownCourtTracking"), nested=True),
    "mappa": Kind(apps.get_model("mappa", "MappaRecord"), nested=True),
    "events": Kind(apps.get_model("cases", "Event"), nested=True),
    "programmes": Kind(apps.get_model("cases", "Programme"), nested=True),
    "assessments": Kind(apps.get_model("cases", "Assessment"), nested=True),
    "plans": Kind(apps.get_model("cases", "Plan"), nested=True),
    "contacts": Kind(apps.get_model("cases", "Contact"), nested=True),
    # Subject access exports (issue 19): the service manager's only (ONLY_FOR below).
    "exports": Kind(SubjectAccessExport, nested=True),
    "co-workers": Kind(
        User, nested=True, belongs=lambda child, worker: child.co_workers.filter(pk=worker.pk).exists()
    ),
    # Issue 21: the Circumstances tab's records (outcomes/kinds.py), each nested under its child.
    **{slug: Kind(spec.model, nested=True) for slug, spec in OUTCOME_KINDS.items()},
    # Top level.
    # A worker's supervision pages: the worker themself, or someone who supervises them.
    "staff": Kind(User, visible=lambda user, worker: worker.pk == user.pk or can_supervise(user, worker)),
    "sessions": Kind(SupervisionSession, visible=lambda user, s: can_see_session(user, s)),
    "in": Kind(TransferIn, visible=lambda user, t: transfers_in_for_user(user=user).filter(pk=t.pk).exists()),
    "awaiting": Kind(
        AwaitingHearing,
        visible=lambda user, a: _raises_404(lambda: awaiting_get_for_user(user=user, pk=a.pk)),
    ),
    "leave": Kind(
        Leave, visible=lambda user, leave: _raises_404(lambda: leave_get_for_user(user=user, pk=leave.pk))
    ),
    "notifications": Kind(
        Notification, visible=lambda user, n: notifications_for_user(user=user).filter(pk=n.pk).exists()
    ),
    "emails": Kind(
        OutboxMessage,
        visible=lambda user, m: (
            outbox.message_get_for_user(user=user, pk=m.pk, everyone=user.has_perm("cases.view_service_wide"))
            is not None
        ),
    ),
    # Staff access (issue 18): asked for and approved by the service manager and the administrator.
    "changes": Kind(StaffChange, visible=lambda user, change: can_manage_staff(user)),
    # Issue 21: the management board, read by managers and the service manager (outcomes/selectors.py).
    "board": Kind(apps.get_model("outcomes", "BoardMeeting"), visible=lambda user, m: can_view_board(user)),
    # A task is completed by POST only (require_POST): GET answers 405 to everyone.
    "tasks": Kind(Task, visible=lambda user, task: task.assignee_id == user.pk),
    # The service import's runs (issue 22): the service manager's only.
    "service-import": Kind(
        ServiceImport, visible=lambda user, run: rules.has_perm("onboarding.import_service", user)
    ),
}
# Slugs that are not records: a value that exists.
SLUGS = {"section": "reason"}

# Explicit expectations that pin the child predicate itself, role by role: the service manager sees
# every child; the administrator and the development manager (MAPPA register only, ADR 0006) none;
# everyone else their own team's children (and those they hold, none here). The users are North's where
# the demo has one (South's seconded probation officer, West's volunteer coordinator, the interventions
# team's staff otherwise), so "own team" is North for most and another team for those.
CHILD_SCOPE = {Role.SERVICE_MANAGER: "all", Role.ADMINISTRATOR: "none", Role.DEVELOPMENT_MANAGER: "none"}

# List pages (no argument) that are one role's: anyone else must not get a 200.
ONLY_FOR = {
    "audit_log": {Role.SERVICE_MANAGER},
    "compliance_dashboard": {Role.SERVICE_MANAGER},
    "compliance_drilldown": {Role.SERVICE_MANAGER},
    "compliance_export_csv": {Role.SERVICE_MANAGER},
    "compliance_export_xlsx": {Role.SERVICE_MANAGER},
    "staff_changes": {Role.SERVICE_MANAGER, Role.ADMINISTRATOR},
    "supervision_overdue": {Role.SERVICE_MANAGER},
    "supervision_chain": {Role.SERVICE_MANAGER, Role.TEAM_MANAGER},
    "team_dashboard": {Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER},
    "mappa_share": {Role.SERVICE_MANAGER, Role.DEVELOPMENT_MANAGER},
    # Subject access requests (issue 19, UK GDPR Art. 15): the service manager alone.
    "subject_access": {Role.SERVICE_MANAGER},
    "subject_access_download": {Role.SERVICE_MANAGER},
    "retention_due": {Role.SERVICE_MANAGER},  # issue 19: records due for review
    # Issue 21: the management board, read by managers; recorded by the service manager.
    "board_list": {Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER},
    "board_new": {Role.SERVICE_MANAGER},
    "service_import": {Role.SERVICE_MANAGER},  # issue 22: bringing a service in
}
# The one documented exception to "no other team's child on any page" (ADR 0006): the development
# manager shares the MAPPA register with the MAPPA unit and sees every row, but no child page.
CASE_NUMBERS_ALLOWED = {
    Role.DEVELOPMENT_MANAGER: {"mappa_register", "mappa_export_xlsx", "mappa_export_csv", "mappa_share"},
}
# URLs that answer GET with 405 (POST only) or redirect by design: never expected to answer 200.
# The admin's own sign-in and sign-out pages answer anyone (they show nothing).
PUBLIC = {"admin:login", "admin:logout", "healthz", "readyz", "login", "password_reset_confirm"}
NEVER_200 = {
    "logout",
    "task_complete",
    "notification_open",  # marks read and redirects to the work
    "notifications_mark_all_read",
    "email_retry",
    "staff_change_decide",  # POST only
    "ask_manager",  # POST only: asking a manager to do what is due
    "caretaking_review_current",  # redirects to the review of the agreement in force
    # Only while a code is owed or just set up (TWO_FACTOR_REQUIRED, off here): tests/accounts reach them.
    "two_factor_verify",
    "backup_codes",
    "login",  # redirect_authenticated_user
    "admin:logout",
    "admin:login",  # an administrator already signed in is redirected to the index
    "admin:view_on_site",
    "admin:autocomplete",  # needs query parameters naming a field
    "admin:core_auditentry_add",  # the audit log is never written or deleted by hand
    "admin:core_auditentry_delete",
    "admin:cases_team_delete",  # teams and users are never deleted (their delete page listed children)
    "admin:cases_user_delete",
    "home",  # redirects to the role's home page
    "compliance_drilldown",  # needs the figure's query parameters
}
# Pages for a step the seeded record has passed (a finalised meeting or session, a recorded discussion,
# a completed assessment, a proposed transfer): they answer 404 to everyone here, as they should. Their
# scope is still checked (a 200 outside it would fail); their own tests reach them in the right state.
STATE_DEPENDENT = {
    "assessment_complete",
    "assessment_edit",
    "assessment_request_sign_off",
    "assessment_return",
    "contact_outcome",
    "discussion_actions",
    "discussion_delete",
    "discussion_edit",
    "discussion_record",
    "host_contact_new",
    "internal_transfer_allocate",
    "internal_transfer_escalation",
    "internal_transfer_meeting",
    "meeting_cancel",
    "meeting_compliance_report",
    "meeting_held",
    "meeting_record",
    "meeting_section",
    "meeting_send_mappa",
    "session_cancel",
    "session_edit",
    "transfer_out_new",
    # Issue 19: a closed child's record only (the seeded children are open); tests/retention reaches them.
    "retention_erase",
    "retention_extend",
}


# ---------------------------------------------------------------------------------------------------
# The URLconf


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    args: tuple[str, ...]  # kwarg names in order


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None, p


def url_patterns() -> list[Pattern]:
    out = []
    for route, name, p in _walk(get_resolver()):
        if name is None:
            # The admin's catch-all (final_catch_all_view): it only redirects or 404s.
            assert route.startswith("admin/"), f"unnamed URL pattern {route}"
            continue
        out.append(Pattern(name, route, tuple(p.pattern.regex.groupindex)))
    return out


def _segment_before(route: str, arg: str) -> str:
    """The literal path segment before `<...:arg>` (or `(?P<arg>...)`)."""
    m = re.search(r"([^/<>()]+)/(?:<(?:\w+:)?" + arg + r">|\(\?P<" + arg + r">)", route)
    assert m, f"cannot tell what {arg} names in {route}"
    return m.group(1)


# ---------------------------------------------------------------------------------------------------
# The seeded service


@dataclass
class World:
    users: dict[str, User]  # role -> user
    north_child: Child
    south_child: Child
    records: dict[str, tuple[Any, Any]]  # kind -> (North's, South's)
    admin_objects: dict[str, Any]  # "app_model" -> an instance
    case_numbers: dict[int, str]  # child pk -> case number


def _first(qs, team):
    return qs.filter(child__team=team).order_by("pk").first()


def _clone(obj, **changes):
    """A copy of a demo row with some fields changed (for a kind the small demo has in one team only)."""
    obj = type(obj).objects.get(pk=obj.pk)
    obj.pk = None
    obj.id = None
    for field in obj._meta.concrete_fields:  # a one-to-one link (an event) belongs to the original only
        if field.unique and not field.primary_key and field.null:
            setattr(obj, field.attname, None)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def _seed() -> World:
    call_command(
        "seed_demo", "--children", "30", "--today", TODAY.isoformat(), "--seed", "2024", stdout=io.StringIO()
    )
    north = Team.objects.get(name__startswith="North", kind=Team.Kind.LOCALITY)
    south = Team.objects.get(name__startswith="South", kind=Team.Kind.LOCALITY)
    west = Team.objects.get(name__startswith="West", kind=Team.Kind.LOCALITY)

    users: dict[str, User] = {}
    for role in Role.values:
        staff = User.objects.filter(role=role, is_active=True).order_by("username")
        user = staff.filter(team=north).first() or staff.first()
        assert user is not None, f"the demo has no {role}"
        users[role] = user

    cm = users[Role.CASE_MANAGER]
    north_child = Child.objects.filter(team=north, case_manager=cm, is_open=True).order_by("pk").first()
    south_child = Child.objects.filter(team=south, is_open=True).order_by("pk").first()

    # A subject access export of each child, stored as the service would (no render: the ZIP is empty).
    for child in (north_child, south_child):
        SubjectAccessExport.objects.create(
            child=child,
            requester="Requester",
            received_on=TODAY,
            reason="Reason",
            requested_by=users[Role.SERVICE_MANAGER],
            status=SubjectAccessExport.Status.READY,
            filename="subject-access.zip",
            content=b"PK\x05\x06" + b"\x00" * 18,
        )

    records: dict[str, tuple[Any, Any]] = {}
    for key, kind in KINDS.items():
        if not kind.nested or kind.model is User:
            continue
        qs = kind.model.objects.all()
        pair = [_first(qs, north), _first(qs, south)]
        for i, child in enumerate((north_child, south_child)):
            if pair[i] is None and pair[1 - i] is not None:
                pair[i] = _clone(pair[1 - i], child=child)
        records[key] = tuple(pair)

    # Kinds the 30-child demo does not make: an internal transfer and a transfer out in each team (to West,
    # so neither widens North's or South's view through the receiving team).
    tm_north, tm_south = (User.objects.get(username=n) for n in ("tm.north", "tm.south"))
    transfers = [
        InternalTransfer.objects.create(
            child=child,
            from_team=child.team,
            to_team=west,
            proposed_by=tm,
            proposed_on=TODAY,
            from_case_manager=child.case_manager,
        )
        for child, tm in ((north_child, tm_north), (south_child, tm_south))
    ]
    records["internal"] = tuple(transfers)
    records["out"] = tuple(
        TransferOut.objects.create(
            child=child,
            kind=TransferOut.Kind.TRANSFER,
            host_area="Elsewhere YJS",
            move_known_on=TODAY,
            requested_by=child.case_manager,
        )
        for child in (north_child, south_child)
    )
    # A co-worker on a child of each team.
    co = []
    for child, team in ((north_child, north), (south_child, south)):
        worker = (
            User.objects.filter(team=team, role=Role.CASE_MANAGER)
            .exclude(pk=child.case_manager_id)
            .order_by("username")
            .first()
        )
        child.co_workers.add(worker)
        co.append((child, worker))
    records["co-workers"] = tuple(co)
    for key, kind in KINDS.items():
        if kind.nested:
            assert key in records and all(r is not None for r in records[key]), (
                f"no {key} record in each team"
            )

    # Top-level records: North's and South's.
    def by_team(qs, field):
        return tuple(qs.filter(**{field: t}).order_by("pk").first() for t in (north, south))

    records["staff"] = (
        cm,
        User.objects.filter(team=south, role=Role.CASE_MANAGER).order_by("username").first(),
    )
    records["sessions"] = by_team(SupervisionSession.objects.all(), "supervisee__team")
    records["in"] = by_team(TransferIn.objects.all(), "team")
    records["awaiting"] = by_team(AwaitingHearing.objects.all(), "child__team")
    records["leave"] = by_team(Leave.objects.all(), "worker__team")
    records["notifications"] = (
        Notification.objects.filter(recipient=cm).order_by("pk").first(),
        Notification.objects.filter(recipient__team=south).order_by("pk").first(),
    )
    records["emails"] = by_team(OutboxMessage.objects.all(), "created_by__team")
    records["tasks"] = by_team(Task.objects.filter(child__isnull=False), "child__team")
    sm = User.objects.filter(role=Role.SERVICE_MANAGER).order_by("pk").first()
    records["changes"] = tuple(
        StaffChange.objects.create(user=worker, role=Role.STUDENT, requested_by=sm)
        for worker in records["staff"]
    )
    BoardMeeting = apps.get_model("outcomes", "BoardMeeting")
    records["board"] = tuple(BoardMeeting.objects.order_by("held_on")[:2])  # the board has no team
    records["service-import"] = tuple(
        ServiceImport.objects.create(source_name=name, created_by=sm, status=ServiceImport.Status.REFUSED)
        for name in ("north.zip", "south.zip")
    )
    for key, (n, s) in list(records.items()):
        if KINDS[key].nested:
            continue
        if n is None or s is None:
            # Fill the missing side by copying the other side's row into the missing team.
            src = n or s
            assert src is not None, f"no {key} record at all"
            team_field = {
                "sessions": None,
                "in": "team",
                "awaiting": "child",
                "leave": "worker",
                "notifications": "recipient",
                "emails": "created_by",
                "tasks": "child",
            }[key]
            if n is None:
                target = {
                    "team": north,
                    "child": north_child,
                    "worker": cm,
                    "recipient": cm,
                    "created_by": cm,
                }[team_field]
                n = _clone(src, **{team_field: target})
            else:
                target = {
                    "team": south,
                    "child": south_child,
                    "worker": records["staff"][1],
                    "recipient": records["staff"][1],
                    "created_by": records["staff"][1],
                }[team_field]
                s = _clone(src, **{team_field: target})
            records[key] = (n, s)

    # The admin's pages for the records most tied to children: North (its children are protected by the
    # team), the case manager (their allocations, transfers), an audit entry about a child.
    admin_objects = {
        f"{model._meta.app_label}_{model._meta.model_name}": model.objects.order_by("pk").first()
        for model in admin_site._registry
    }
    admin_objects.update(
        cases_team=north,
        cases_user=cm,
        core_auditentry=AuditEntry.objects.filter(child__isnull=False).order_by("pk").first(),
    )
    return World(
        users=users,
        north_child=north_child,
        south_child=south_child,
        records=records,
        admin_objects=admin_objects,
        case_numbers=dict(Child.objects.values_list("pk", "case_number")),
    )


# ---------------------------------------------------------------------------------------------------
# The requests


@dataclass(frozen=True)
class Request:
    pattern: str
    url: str
    objects: tuple[tuple[str, Any], ...]  # (kind, instance) in argument order
    label: str


def requests_for(pattern: Pattern, world: World) -> list[Request]:
    name = pattern.name
    if name.startswith("admin:"):
        return _admin_requests(pattern, world)
    if name == "password_reset_confirm":
        # A manager's one-time link (ADR 0011): anyone may open one; a made-up link is refused and shows
        # nothing.
        return [Request(name, reverse(name, args=["MQ", "not-a-token"]), (), "made-up link")]
    kinds = [None if a in SLUGS else _segment_before(pattern.route, a) for a in pattern.args]
    for k in kinds:
        assert k is None or k in KINDS, f"{name}: no Kind for the segment {k!r}: describe it in KINDS"
    if not pattern.args:
        out = [Request(name, reverse(name), (), "")]
        if name == "team_dashboard":
            for side, team in (("north", world.north_child.team), ("south", world.south_child.team)):
                out.append(Request(name, f"{reverse(name)}?team={team.pk}", (("team", team),), side))
        return out

    variants: list[tuple[str, dict[str, Any]]] = []
    if kinds[0] == "children":
        nested = [k for k in kinds[1:] if k is not None]
        assert len(nested) <= 1, name
        if not nested:
            variants = [
                ("north", {"children": world.north_child}),
                ("south", {"children": world.south_child}),
            ]
        else:
            k = nested[0]
            n, s = world.records[k]
            parent = (lambda r: r[0]) if k == "co-workers" else (lambda r: r.child)
            rec = (lambda r: r[1]) if k == "co-workers" else (lambda r: r)
            variants = [
                ("north", {"children": parent(n), k: rec(n)}),
                ("south", {"children": parent(s), k: rec(s)}),
                ("north child, south record", {"children": parent(n), k: rec(s)}),
            ]
    else:
        assert len(kinds) == 1, name
        n, s = world.records[kinds[0]]
        variants = [("north", {kinds[0]: n}), ("south", {kinds[0]: s})]

    out = []
    for label, objs in variants:
        kwargs, named = {}, []
        for arg, k in zip(pattern.args, kinds, strict=True):
            if k is None:
                kwargs[arg] = SLUGS[arg]
            else:
                kwargs[arg] = objs[k].pk
                named.append((k, objs[k]))
        out.append(Request(name, reverse(name, kwargs=kwargs), tuple(named), label))
    return out


def _admin_requests(pattern: Pattern, world: World) -> list[Request]:
    name = pattern.name
    kwargs: dict[str, Any] = {}
    for arg in pattern.args:
        if arg == "object_id" and name == "admin:view_on_site":
            kwargs[arg] = world.north_child.team_id
        elif arg == "object_id":
            model_key = next(k for k in world.admin_objects if name.startswith(f"admin:{k}_"))
            kwargs[arg] = world.admin_objects[model_key].pk
        elif arg == "id":  # the user admin's password page
            kwargs[arg] = world.admin_objects["cases_user"].pk
        elif arg == "app_label":
            kwargs[arg] = "cases"
        elif arg == "content_type_id":
            kwargs[arg] = ContentType.objects.get_for_model(Team).pk
        elif arg == "uidb64":
            continue
        else:
            raise AssertionError(f"{name}: fill the admin argument {arg}")
    return [Request(name, reverse(name, kwargs=kwargs), (("admin", None),), "")]


# Pages about a member of staff's sign-in (ADR 0011): the service manager and the administrator, for
# anyone but themselves (accounts.manage_staff_sign_in).
STAFF_SIGN_IN = {"staff_sign_in", "staff_two_factor_reset", "staff_password_link"}


def _allowed(user: User, request: Request) -> bool:
    """May this user see every record the URL names? (the product's predicates)"""
    if request.pattern in STAFF_SIGN_IN:
        return user.has_perm("accounts.manage_staff_sign_in")
    parent = None
    for kind_key, obj in request.objects:
        if kind_key == "admin":
            return admin_site.has_permission(type("R", (), {"user": user})())
        if kind_key == "team":
            from dashboards.team import teams_for_user

            return teams_for_user(user=user).filter(pk=obj.pk).exists()
        kind = KINDS[kind_key]
        if kind.nested:
            belongs = kind.belongs(parent, obj) if kind.belongs else obj.child_id == parent.pk
            if not belongs:
                return False
            continue
        if not kind.visible(user, obj):
            return False
        if kind_key == "children":
            parent = obj
    return True


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data[:2] == b"PK":  # XLSX: the text is in the shared strings and the sheets
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    return data


# ---------------------------------------------------------------------------------------------------
# The test


RESULTS: dict[str, Any] = {
    "roles": set(),
    "requests": 0,
    "pairs": set(),
    "ok": Counter(),
    "statuses": Counter(),
    "cpu": 0.0,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded service, built once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            with override_settings(DEBUG=True):  # seed_demo refuses without it
                world = _seed()
            yield world
            transaction.set_rollback(True)


@pytest.fixture
def frozen():
    """The seeded date; a plain 404 (tests/access_urls.py) and sessions in the cache rather than the
    database, and no log line per refusal: thousands of requests, a few milliseconds saved on each."""
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(
            ROOT_URLCONF="tests.access_urls", SESSION_ENGINE="django.contrib.sessions.backends.cache"
        ),
    ):
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.ERROR)
        yield
        logger.setLevel(level)


def test_predicates_match_the_expectation_table(world, db, frozen):
    """The child predicate says what the policy says, role by role (so the matrix below stands on it)."""
    assert world.users[Role.CASE_MANAGER].team == world.north_child.team
    for role, user in world.users.items():
        scope = CHILD_SCOPE.get(role, "team")
        for child in (world.north_child, world.south_child):
            expected = scope == "all" or (scope == "team" and user.team_id == child.team_id)
            assert _child_visible(user, child) == expected, (role, user.username, child.team)


@pytest.mark.parametrize("role", Role.values)
def test_role_sees_nothing_outside_its_scope(role, world, db, frozen):
    """Every URL as this role: no 500, no 200 (or redirect into) a record outside its scope, and no
    other team's child named on a page it may open."""
    problems = _check_role(role, world)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _check_role(role: str, world) -> list[str]:
    """Request every URL as the role; the problems found (and the figures kept in RESULTS)."""
    user = world.users[role]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    visible = set(children_for_user(user=user).values_list("case_number", flat=True))
    problems: list[str] = []
    cpu0 = time.process_time()
    for pattern in url_patterns():
        for req in requests_for(pattern, world):
            response = client.get(req.url)
            RESULTS["requests"] += 1
            RESULTS["pairs"].add((pattern.name, role))
            RESULTS["statuses"][response.status_code] += 1
            where = f"{role} ({user.username}) GET {req.url} [{req.pattern} {req.label}]"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
                continue
            allowed = pattern.name in PUBLIC or _allowed(user, req)
            if pattern.name in ONLY_FOR and role not in ONLY_FOR[pattern.name]:
                allowed = False
            if 200 <= response.status_code < 300:
                if not allowed:
                    problems.append(f"{where}: {response.status_code} outside the policy's scope")
                    continue
                RESULTS["ok"][pattern.name] += 1
                if pattern.name in CASE_NUMBERS_ALLOWED.get(role, ()):
                    continue
                shown = {m.decode() for m in CASE_NUMBER.findall(_body(response))}
                known = set(world.case_numbers.values())
                leaked = sorted((shown & known) - visible)
                if leaked:
                    problems.append(f"{where}: names children outside the user's scope: {leaked[:5]}")
            elif 300 <= response.status_code < 400 and not allowed:
                target = response.headers.get("Location", "")
                if not target.startswith(reverse("login")) and "/admin/login/" not in target:
                    problems.append(f"{where}: redirects to {target} for a record outside the scope")
    RESULTS["roles"].add(role)
    RESULTS["cpu"] += time.process_time() - cpu0
    return problems


def test_every_page_answers_someone(world, db, frozen):
    """The seeded records reach every page: each URL answered 200 to at least one role (else a fixture
    went missing and the matrix would pass without testing it)."""
    # Run on its own (or after a partial run), it first requests what the matrix has not yet.
    for role in sorted(set(Role.values) - RESULTS["roles"]):
        problems = _check_role(role, world)
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    names = {p.name for p in url_patterns()}
    silent = sorted(n for n in names - set(RESULTS["ok"]) if n not in NEVER_200 | STATE_DEPENDENT)
    print(
        f"\naccess matrix: {len(names)} URL patterns x {len(RESULTS['roles'])} roles = {len(RESULTS['pairs'])} pairs; "
        f"{RESULTS['requests']} requests; statuses {dict(sorted(RESULTS['statuses'].items()))}; "
        f"{RESULTS['cpu']:.0f} s of CPU"
    )
    assert not silent, f"no role got a 200 from: {silent}"
