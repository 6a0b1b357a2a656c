"""Hostile input to every form that accepts a POST: never a 500, and nothing stored when a form says no
(issue 17, "Bad input that is accepted today").

The URLconf is the list of what to try: every pattern outside the admin, the sign-in pages and the
health checks. Its ids are real: the demo service (`seed_demo`, 40 children, fixed seed and date) plus
three internal transfers, one per step, and the records whose state alone shows a form (closure checks
waiting for the AP, finalised minutes to send, MAPPA minutes, a booked compliance CMM, a complete record
to finalise, a change to someone's access waiting for a second person). Each pattern is opened (GET) with those ids by the users who may
use it, in a fixed order (the child's case manager, their team manager and advanced practitioner, the
service manager, ...): the first to be shown a POST form for that address is the one who posts. Forms
that post elsewhere (a task's "Mark as done" on My work, "Mark all as read") are taken from every page
opened, so the POST-only addresses are covered too, with the fields their forms send.

Each form is then sent:

* every field set to each hostile value in turn (`HOSTILE`: 100,000 characters, -1, 2**63, 0x41,
  ../../etc, javascript:, unicode and a right-to-left override, a NUL, nothing, 31/02/2026, 99999,
  a superscript digit, markup, a huge float);
* every field sent twice (a list where one value is expected);
* each date input as 31 February and as the year 99999, the rest of the form as shown;
* each field in turn hostile with the rest of the form as shown (so a form that is otherwise complete
  reaches its later checks and its service).

Every POST runs in a transaction rolled back afterwards, so each form meets the same records. The checks:
no response is a 500; a form shown again with a GOV.UK error summary wrote nothing (no INSERT, UPDATE or
DELETE but the submission claim); and nothing ever writes a NUL (which PostgreSQL refuses: a 500 there
that SQLite hides) or the 100,000-character text (every free-text field is bounded by its form).

Deterministic (fixed seed, fixed date, no random input); 89 forms, 1,850 posts, about 2½ minutes on one core.
"""

import datetime
import os
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from random import Random
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from cases.models import (
    Assessment,
    Child,
    Contact,
    Event,
    EventType,
    Leave,
    Plan,
    Programme,
    RiskLevel,
    Role,
    StaffChange,
    Team,
    User,
)
from cases.services.assessments import assessment_create
from cases.services.core import event_create
from cases.services.staff import staff_change_request
from core.models import OutboxMessage, Task
from courts.models import AwaitingHearing, CrownCourtTracking
from demo.seed.transfers_internal import _proposal
from mappa.models import MappaRecord
from meetings.forms.record.sections import SECTIONS
from meetings.models import Invitation, Meeting, MeetingKind
from meetings.services.booking import meeting_book
from meetings.services.record import meeting_record_update
from records.models import SubjectAccessExport
from supervision.models import CaseDiscussion, ClosureCheck, OversightDecision, SupervisionSession
from supervision.selectors.oocd import OVERSIGHT_KINDS
from supervision.services.discussions.case import case_discussion_create
from supervision.services.oocd import closure_check_request
from transfers.models import CaretakingAgreement, InternalTransfer, TransferIn, TransferOut

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2024, 6, 3, 10, 30, tzinfo=LONDON)  # a Monday: the demo's "today"

OVERLONG = "A" * 100_000
HOSTILE = [
    OVERLONG,
    "-1",
    "9223372036854775808",
    "0x41",
    "../../etc/passwd",
    "javascript:alert(1)",
    "Zoë Łódź 漢字 🙂 \u202egnp.exe",
    "a\x00b",
    "",
    "31/02/2026",
    "99999",
    "²",
    '"><script>alert(1)</script>',
    "1e308",
]
FUZZ_CHILD, FUZZ_NOTE = "YJFUZZ01", "Made for the fuzz test."
# Sent in every field at once (the rest come one field at a time, each field a different one in turn).
EVERY_FIELD = [v for v in HOSTILE if v not in ("../../etc/passwd", "javascript:alert(1)", "1e308", "")]
# Where a form says where to go back to: other sites, schemes, names `reverse` cannot find, new lines.
NEXT = [
    "-1",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "../../etc",
    "/my-work/\r\nX: y",
]
SKIPPED_PREFIXES = ("admin/", "sign-in/", "sign-out/", "healthz", "readyz")
# Writes a refused form may make: the submission claim (core/submissions.py), made and deleted.
ALLOWED_WRITES = re.compile(r'^(INSERT INTO|DELETE FROM|UPDATE) "(core_submission|django_session)"')
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


# ---------------------------------------------------------------------------------------------------
# Reading a page's forms


@dataclass
class Form:
    """A POST form as the page shows it: where it posts and each field's values as rendered."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str | None, *, chosen: bool = True) -> None:
        self.fields.setdefault(name, [])
        if chosen and value is not None:
            self.fields[name].append(value)


class FormParser(HTMLParser):
    """Every <form method="post"> of a page, with its inputs, textareas and selects as rendered."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = Form(action=urlsplit(a.get("action") or self.page_path).path)
            self.forms.append(self.current)
            return
        form = self.current
        if form is None or "name" not in a or a.get("disabled") is not None and "disabled" in a:
            if tag == "option" and form is not None and self.select:
                form.options.setdefault(self.select, []).append(a.get("value", ""))
                if "selected" in a:
                    form.add(self.select, a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("radio", "checkbox"):
                form.options.setdefault(name, []).append(a.get("value", "on"))
                form.add(name, a.get("value", "on"), chosen="checked" in a)
            else:
                form.add(name, a.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = name, ""
        elif tag == "select":
            self.select = name
            form.add(name, None)

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            self.current.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select":
            self.select = None


def page_forms(path: str, html: str) -> list[Form]:
    parser = FormParser(path)
    parser.feed(html)
    return parser.forms


# ---------------------------------------------------------------------------------------------------
# Real ids for every pattern, and who may use them


def patterns(resolver=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL pattern of the project."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from patterns(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def first(queryset, n: int = 1) -> list:
    return list(queryset.order_by("pk")[:n])


def team_staff(child: Child | None) -> list[User]:
    """Who might use a child's page, in the order they are tried: the case manager, the team's managers,
    then the service manager and the rest of the team."""
    users: list[User] = []
    if child is not None:
        if child.case_manager:
            users.append(child.case_manager)
        team = User.objects.filter(team=child.team, is_active=True)
        for role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SENIOR_CASE_MANAGER):
            users += first(team.filter(role=role))
    users += first(User.objects.filter(role=Role.SERVICE_MANAGER))
    users += first(User.objects.filter(username__in=["tm.north", "cm.north.1", "bs.north", "devmgr"]), 4)
    return list(dict.fromkeys(users))


def child_kwargs(name: str) -> list[tuple[dict, Child | None, list[User]]]:
    """Candidate ids for a pattern with `<pk>` of a child and the record its other ids name."""
    north = Team.objects.get(name__startswith="North")
    open_north = Child.objects.filter(team=north, is_open=True, case_manager__isnull=False)
    children = [
        *first(open_north),
        *first(Child.objects.filter(case_number__startswith="TI", is_open=True)),
        *first(Child.objects.filter(case_number__startswith="YJ93")),
        *first(Child.objects.filter(mappa_records__isnull=False).distinct()),
    ]
    records: dict[str, list] = {
        "mpk": [
            *first(Meeting.objects.filter(status=Meeting.Status.BOOKED)),
            *first(Meeting.objects.filter(status=Meeting.Status.HELD)),
            *first(Meeting.objects.filter(status=Meeting.Status.FINALISED)),
            # The world's own: minutes to send, MAPPA minutes to send, a compliance report to prepare.
            *first(Meeting.objects.filter(status=Meeting.Status.FINALISED, invitations__attended=True)),
            *first(Meeting.objects.filter(status=Meeting.Status.FINALISED, kind=MeetingKind.MAPPA_LEVEL_1)),
            *first(Meeting.objects.filter(status=Meeting.Status.BOOKED, kind=MeetingKind.COMPLIANCE)),
        ],
        "dpk": [
            *first(CaseDiscussion.objects.filter(status=CaseDiscussion.Status.DRAFT, overview=FUZZ_NOTE)),
            *first(CaseDiscussion.objects.filter(status=CaseDiscussion.Status.RECORDED)),
        ],
        "event_pk": first(Event.objects.filter(summary=FUZZ_NOTE)),
        "programme_pk": first(Programme.objects.filter(end_date__isnull=True, child__in=open_north)),
        "assessment_pk": [
            *first(Assessment.objects.filter(status=Assessment.Status.DRAFT, summary=FUZZ_NOTE)),
            *first(Assessment.objects.filter(status=Assessment.Status.AWAITING_SIGN_OFF)),
        ],
        "plan_pk": first(Plan.objects.all()),
        "contact_pk": first(Contact.objects.filter(outcome=Contact.Outcome.BOOKED)),
        "rpk": first(MappaRecord.objects.filter(ended_on__isnull=True), 2),
        "cpk": (
            first(CrownCourtTracking.objects.all(), 2)
            if name.startswith("crown_court")
            else [
                *first(ClosureCheck.objects.filter(status=ClosureCheck.Status.REQUESTED)),
                *first(ClosureCheck.objects.all(), 2),
            ]
        ),
        "apk": first(CaretakingAgreement.objects.all(), 2),
        "opk": (
            first(TransferOut.objects.all(), 2)
            if name.startswith("transfer_out")
            else first(OversightDecision.objects.all())
        ),
        "tpk": list(InternalTransfer.objects.order_by("pk")),
        # A subject access export's download (GET only: no form behind it).
        "epk": first(SubjectAccessExport.objects.all()),
    }
    route = next(r for r, p in patterns() if p.name == name)
    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) - {"pk"}
    out = []
    if not wanted:
        for child in children:
            out.append(({"pk": child.pk}, child, team_staff(child)))
        return out
    if wanted == {"worker_pk"}:
        child = Child.objects.get(case_number=FUZZ_CHILD)
        return [
            ({"pk": child.pk, "worker_pk": w.pk}, child, team_staff(child)) for w in child.co_workers.all()
        ]
    if "section" in wanted:
        held = records["mpk"][1]
        return [
            (
                {"pk": held.child_id, "mpk": held.pk, "section": slug},
                held.child,
                [held.chair, *team_staff(held.child)],
            )
            for slug in SECTIONS
        ]
    (key,) = wanted
    for record in records[key]:
        child = record.child
        extra = [
            getattr(record, attr)
            for attr in ("chair", "created_by", "author", "manager", "proposed_by")
            if hasattr(record, attr)
        ]
        # A transfer's receiving team allocates it, or escalates it (003 §11.4).
        to_team = getattr(record, "to_team", None)
        if to_team is not None:
            extra += first(User.objects.filter(team=to_team, role=Role.TEAM_MANAGER, is_active=True))
        users = [u for u in extra if isinstance(u, User)] + team_staff(child)
        out.append(({"pk": child.pk, key: record.pk}, child, list(dict.fromkeys(users))))
    return out


def kwargs_for(name: str, route: str) -> list[tuple[dict, list[User]]]:
    """Candidate ids for a pattern, each with the users to try, in order."""
    if "<" not in route:
        return [({}, team_staff(None))]
    if route.startswith("children/"):
        return [(kw, users) for kw, _child, users in child_kwargs(name)]
    sm = team_staff(None)
    singles: dict[str, list[tuple[dict, list[User]]]] = {
        "task_complete": [
            ({"tpk": t.pk}, [t.assignee, *sm])
            for t in first(Task.objects.filter(done_on__isnull=True, assignee__isnull=False))
        ],
        "notification_open": [],  # a GET that redirects
        "email_retry": [({"pk": m.pk}, sm) for m in first(OutboxMessage.objects.all())],
        "transfer_in_detail": [({"ipk": t.pk}, sm) for t in first(TransferIn.objects.all())],
        "transfer_in_decide": [
            ({"ipk": t.pk}, sm)
            for t in first(TransferIn.objects.filter(status=TransferIn.Status.RECEIVED), 2)
        ],
        "transfer_in_requirements": [({"ipk": t.pk}, sm) for t in first(TransferIn.objects.all(), 2)],
        "awaiting_hearing_screen": [({"apk": a.pk}, sm) for a in first(AwaitingHearing.objects.all(), 2)],
        "leave_detail": [
            ({"pk": leave.pk}, [leave.worker.line_manager, *sm]) for leave in first(Leave.objects.all())
        ],
    }
    colleague = User.objects.get(username="cm.north.2")
    for page in ("staff_sign_in", "staff_two_factor_reset", "staff_password_link"):
        singles[page] = [({"pk": colleague.pk}, sm)]
    singles["staff_change_decide"] = [
        ({"pk": c.pk}, sm) for c in first(StaffChange.objects.filter(status=StaffChange.Status.PENDING))
    ]
    # Issue 19: a closed record's retention pages (keep, erase), the service manager's only.
    closed = first(
        Child.objects.filter(is_open=False, retention_review__closed_on__isnull=False).order_by("pk")
    )
    for page in ("retention_extend", "retention_erase"):
        singles[page] = [({"pk": c.pk}, sm) for c in closed]
    for step in ("leave_cases_reviewed", "leave_reallocation", "leave_return"):
        singles[step] = [
            ({"pk": leave.pk}, [leave.worker.line_manager, *sm])
            for leave in first(Leave.objects.filter(kind=Leave.Kind.UNPLANNED), 2)
        ]
    if route.startswith("supervision/staff/"):
        worker = User.objects.get(username="cm.north.1")
        return [({"wpk": worker.pk}, [worker.line_manager, *sm])]
    if route.startswith("supervision/sessions/"):
        sessions = [
            *first(SupervisionSession.objects.filter(status=SupervisionSession.Status.DRAFT)),
            *first(SupervisionSession.objects.filter(status=SupervisionSession.Status.FINALISED)),
        ]
        return [({"spk": s.pk}, [s.supervisor, *sm]) for s in sessions]
    return singles.get(name, [])


# ---------------------------------------------------------------------------------------------------
# The world, the targets and the posts


@pytest.fixture
def world(settings):
    """The demo service on a fixed day, with internal transfers at each step."""
    settings.ALLOW_DEMO_SEED = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(NOW, tick=False):
        with open("/dev/null", "w") as quiet:
            call_command("seed_demo", "--children", "40", "--today", NOW.date().isoformat(), stdout=quiet)
        rnd = Random(17)
        south = Team.objects.get(name__startswith="South")
        tm_north = User.objects.get(username="tm.north")
        taken = set(InternalTransfer.objects.values_list("child_id", flat=True))
        children = [
            c
            for c in Child.objects.filter(
                team__name__startswith="North", is_open=True, case_manager__isnull=False
            )
            .exclude(pk__in=taken)
            .order_by("-pk")[:3]
        ]
        steps = [
            InternalTransfer.Status.PROPOSED,
            InternalTransfer.Status.ENDORSED,
            InternalTransfer.Status.ALLOCATED,
        ]
        for child, status in zip(children, steps, strict=False):
            t = _proposal(child, to_team=south, proposed_on=NOW.date() - datetime.timedelta(days=7), rnd=rnd)
            t.status = status
            if status != InternalTransfer.Status.PROPOSED:
                t.endorsed_by, t.endorsed_on = tm_north, NOW.date() - datetime.timedelta(days=3)
            if status == InternalTransfer.Status.ALLOCATED:
                t.to_case_manager = (
                    User.objects.filter(team=south, role=Role.CASE_MANAGER).order_by("pk").first()
                )
                t.allocated_by, t.allocated_on = tm_north, NOW.date() - datetime.timedelta(days=1)
            t.save()
        # Records the demo has none of, made by the people who would: a draft assessment, a case note,
        # a draft case discussion and a co-worker, on one North child.
        cm, tm = User.objects.get(username="cm.north.1"), tm_north
        child = (
            Child.objects.filter(case_manager=cm, is_open=True).exclude(pk__in=taken).order_by("pk").first()
        )
        child.case_number = FUZZ_CHILD
        child.save(update_fields=["case_number"])
        child.co_workers.add(User.objects.get(username="cm.north.2"))
        assessment_create(
            child=child,
            author=cm,
            data={"kind": Assessment.Kind.ASSETPLUS, "stage": Assessment.Stage.REVIEW, "summary": FUZZ_NOTE},
        )
        event_create(
            child=child, author=cm, event_type=EventType.NOTE, occurred_on=NOW.date(), summary=FUZZ_NOTE
        )
        case_discussion_create(
            child=child, user=tm, held_on=NOW.date(), manager=tm, worker=cm, overview=FUZZ_NOTE
        )
        _forms_only_a_state_shows(child=child, cm=cm, tm=tm)
    return None


def _forms_only_a_state_shows(*, child: Child, cm: User, tm: User) -> None:
    """Records in the states whose pages are the only ones to show a form: closure checks waiting for the
    AP (001 §6.3), finalised minutes with attendees to send them to (001 §6.2), a booked compliance CMM
    (its report), and a change to someone's access waiting for a second person."""
    programme = (
        Programme.objects.filter(
            kind__in=OVERSIGHT_KINDS, end_date__isnull=True, child__is_open=True, child__team=child.team
        )
        .exclude(child=child)
        .order_by("pk")
        .first()
    )
    closure_check_request(
        child=programme.child, programme=programme, user=programme.child.case_manager, note=FUZZ_NOTE
    )
    finalised = Meeting.objects.filter(status=Meeting.Status.FINALISED, child__team=child.team)
    minutes = finalised.exclude(kind=MeetingKind.MAPPA_LEVEL_1).order_by("pk").first()
    # Who attended is recorded in the held meeting's record; the demo's finalised ones invited no one.
    Invitation.objects.create(
        meeting=minutes, name="Attendee A", agency="Education", email="attendee@example.org", attended=True
    )
    meeting_book(
        child=child,
        user=tm,
        kind=MeetingKind.COMPLIANCE,
        starts_at=NOW + datetime.timedelta(days=21),
        chair=tm,
        case_manager=cm,
        no_panel_member_reason=FUZZ_NOTE,
        venue="Room 2",
        now=NOW,
    )
    # The held meeting's record complete, so its finalise page offers to finalise (001 App. 4).
    held = Meeting.objects.get(status=Meeting.Status.HELD)
    meeting_record_update(
        meeting=held,
        user=held.chair,
        data={
            "reason": "Release planning",
            "views": "The child says things are calmer at home.",
            "plan_progress": "Attending most sessions.",
            "rosh_analysis": "No new incidents.",
            "saw_analysis": "Safe at home.",
            "lor_analysis": "Reduced: engaging with the order.",
            "risk_management_plan": "Weekly contact.",
            "revised_rosh": RiskLevel.LOW,
            "revised_saw": RiskLevel.MEDIUM,
            "revised_lor": RiskLevel.LOW,
        },
    )
    staff_change_request(
        user=User.objects.get(username="cm.north.2"),
        requested_by=User.objects.get(username="admin"),
        role=Role.SENIOR_CASE_MANAGER,
    )


@dataclass
class Target:
    name: str
    path: str
    user: User
    form: Form


def find_targets(client: Client) -> tuple[list[Target], list[str]]:
    """One target per POST form found, as the first user shown it; and the patterns with no form."""
    targets: dict[str, Target] = {}
    seen_forms: dict[str, tuple[User, Form]] = {}
    post_only: dict[str, tuple[str, User]] = {}
    untried: list[str] = []
    for route, pattern in patterns():
        if route.startswith(SKIPPED_PREFIXES) or pattern.name is None:
            continue
        found = shown = False
        for kwargs, users in kwargs_for(pattern.name, route):
            path = reverse(pattern.name, kwargs=kwargs)
            for user in users:
                client.force_login(user)
                response = client.get(path)
                if response.status_code == 405:
                    post_only.setdefault(pattern.name, (path, user))
                    found = True
                    break
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in page_forms(path, response.content.decode()):
                    try:
                        match = resolve(form.action)
                    except Resolver404:
                        continue
                    if form.action.lstrip("/").startswith(SKIPPED_PREFIXES):
                        continue
                    key = (
                        f"{match.url_name}:{form.action}"
                        if match.url_name == "meeting_section"
                        else match.url_name
                    )
                    seen_forms.setdefault(key, (user, form))
                    if form.action == path and key not in targets:
                        targets[key] = Target(key, path, user, form)
                        found = True
                # A page shown without a form of its own is a page to read (those who may write to it
                # are refused it with a 404, not shown it read-only): no need to try anyone else.
                shown = True
                break
            # A record in another state may show a form where this one did not (minutes to send).
            if found and pattern.name != "meeting_section":
                break
        if not found:
            untried.append(pattern.name)
    # POST-only addresses: the form another page showed for them, or just `next`.
    for name, (path, user) in post_only.items():
        if name in targets:
            continue
        shown = seen_forms.get(name)
        form = shown[1] if shown else Form(action=path, fields={"next": ["/my-work/"]})
        targets[name] = Target(name, form.action if shown else path, shown[0] if shown else user, form)
    for key, (user, form) in seen_forms.items():
        targets.setdefault(key, Target(key, form.action, user, form))
    return sorted(targets.values(), key=lambda t: t.name), sorted(set(untried) - set(targets))


def date_inputs(form: Form) -> list[str]:
    """The GOV.UK date inputs of a form (`<name>_0`, `_1`, `_2`)."""
    return sorted({n[:-2] for n in form.fields if n.endswith("_0") and f"{n[:-2]}_2" in form.fields})


def variants(form: Form) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(what, POST data) for each hostile submission of a form."""
    names = [n for n in form.fields if n not in ("csrfmiddlewaretoken", "submission_token")]
    names = list(dict.fromkeys([*names, "next"]))
    shown = {n: (form.fields.get(n) or (form.options.get(n) or [""])[:1]) for n in names}
    for value in EVERY_FIELD:
        yield f"all={value[:20]!r}", {n: [value] for n in names}
    yield "lists", {n: ["1", "-1"] for n in names}
    for date in date_inputs(form):
        for day, month, year in (("31", "2", "2026"), ("1", "1", "99999")):
            yield (
                f"{date}={day}/{month}/{year}",
                {**shown, f"{date}_0": [day], f"{date}_1": [month], f"{date}_2": [year]},
            )
    for i, n in enumerate(names):
        value = HOSTILE[i % len(HOSTILE)]
        yield f"{n}={value[:20]!r}", {**shown, n: [value]}
    if "next" in form.fields:  # a form that says where to go back to
        for value in NEXT:
            yield f"next={value[:20]!r}", {**shown, "next": [value]}


def test_hostile_input_never_a_500(world, settings):
    """Every POST form, every hostile value: no 500, and a refused form stores nothing."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(raise_request_exception=False)
    with time_machine.travel(NOW, tick=False):
        targets, untried = find_targets(client)
        only = os.environ.get("FUZZ_ONLY")
        if only:  # while fixing: FUZZ_ONLY=task_complete,meeting_book
            targets = [t for t in targets if t.name.split(":")[0] in only.split(",")]
        problems: list[str] = []
        posts = 0
        for target in targets:
            client.force_login(target.user)
            for what, data in variants(target.form):
                posts += 1
                with transaction.atomic():
                    connection.queries_log.clear()  # the log keeps 9,000: start each post empty
                    with CaptureQueriesContext(connection) as queries:
                        response = client.post(target.path, data)
                    transaction.set_rollback(True)
                where = f"{target.name} {target.path} as {target.user.username} [{what}]"
                if response.status_code >= 500:
                    problems.append(f"{response.status_code}: {where}")
                    continue
                writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
                stored = [w for w in writes if not ALLOWED_WRITES.match(w)]
                body = response.content.decode(errors="replace") if response.status_code == 200 else ""
                if response.status_code == 200 and "govuk-error-summary" in body and stored:
                    problems.append(f"stored on a refusal: {where}: {stored[0][:160]}")
                if any("\x00" in w for w in stored):
                    problems.append(f"a NUL written (PostgreSQL refuses it): {where}")
                if any(OVERLONG in w for w in stored):
                    problems.append(f"100,000 characters stored (no limit): {where}")
    print(f"\n{len(targets)} forms, {posts} posts; no POST form found for: {', '.join(untried)}")
    assert not problems, "\n".join(problems)
    assert only or len(targets) >= 85, f"Too few forms found: {[t.name for t in targets]}"
