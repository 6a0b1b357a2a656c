"""The header navigation comes from the registry, each link behind a named permission: a link is shown
exactly when the page behind it answers (ADR 0008)."""

import re

import pytest
from django.test import RequestFactory
from django.urls import ResolverMatch, URLResolver, get_resolver, reverse

from core.context_processors import navigation
from core.registry import registry

ROLES = ["case_manager", "team_manager", "service_manager", "administrator"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_link_shows_exactly_when_its_page_answers(role, request, client):
    """For every registered header link and every role: shown if and only if the page gives a 200."""
    request.getfixturevalue("north")  # a locality team for the team dashboard
    user = request.getfixturevalue(role)
    http = RequestFactory().get("/")
    http.user = user
    shown = {link.key for link in navigation(http)["header_links"]}
    client.force_login(user)
    answers = {
        link.key for link in registry.header_links if client.get(reverse(link.url_name)).status_code == 200
    }
    assert (sorted(shown - answers), sorted(answers - shown)) == ([], [])


def test_every_app_plugged_in_its_links_and_tabs():
    """The registry holds each app's header links and child tabs, in their order."""
    keys = [link.key for link in registry.header_links]
    assert keys == [
        "compliance",
        "team",
        "my_work",
        "kpis",  # issue 21: the YJB KPIs (kpis)
        "notifications",
        "caseload",
        "meetings",
        "supervision",
        "transfers",
        "court",
        "mappa",
        "sign_off",
        "leave",
        "policy",
        "board",  # issue 21: the management board (outcomes)
        "audit",
        "retention",
        "staff",
        "staff_sign_in",
        "service_import",
        "admin",
        "account",
    ]
    tabs = [tab.key for tab in registry.child_tabs]
    assert tabs == [
        "timeline",
        "due",
        "programmes",
        "assessments",
        "plans",
        "contacts",
        "circumstances",  # issue 21: the KPI facts (outcomes)
        "meetings",
        "oversight",
        "transfers",
        "court",
        "mappa",
        "allocation",
        "details",
        "subject_access",  # shown to the service manager only (its permission)
    ]


@pytest.mark.django_db
def test_no_links_part_way_through_signing_in(service_manager):
    """A second factor still to give (ADR 0011): the header offers nothing but Sign out."""
    http = RequestFactory().get("/")
    http.user = service_manager
    assert navigation(http)["header_links"]
    http.second_factor_pending = True
    assert navigation(http)["header_links"] == []


# --- Issue 20: a grouped navigation, with the current section right on every page ----------------------

# Pages outside every section: the health checks and signing in or out (no navigation is shown).
NO_SECTION = {"healthz", "readyz", "login", "logout"}


def _named_urls():
    """(url name, route, view) of every named URL outside the Django admin."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name:
                yield pattern.name, prefix + str(pattern.pattern), pattern.callback

    return sorted(walk(get_resolver().url_patterns), key=lambda row: row[0])


def test_every_named_url_has_a_section():
    """Each page's URL places it in the section of a header link (the navigation highlights it)."""
    keys = {link.key for link in registry.header_links}
    missing = [
        name
        for name, route, view in _named_urls()
        if name not in NO_SECTION and registry.section_for(name, view.__module__, route) not in keys
    ]
    assert missing == []


# Where people expect to be (issue 20: "Caseload" was highlighted on meeting and sign-off pages).
EXPECTED = {
    "meeting_detail": "meetings",
    "meeting_section": "meetings",
    "meeting_book": "meetings",
    "assessment_return": "sign_off",
    "assessment_complete": "sign_off",
    "assessment_detail": "caseload",
    "child_detail": "caseload",
    "subject_access": "caseload",
    "staff_change_decide": "staff",
    "staff_two_factor_reset": "staff_sign_in",
    "password_change": "account",
    "retention_erase": "retention",
    "leave_detail": "leave",
    "session_detail": "supervision",
    "discussion_detail": "supervision",
    "internal_transfer_detail": "transfers",
    "crown_court_detail": "court",
    "mappa_form_h": "mappa",
    "compliance_drilldown": "compliance",
    "notification_settings": "notifications",
    "home": "my_work",
}


def test_pages_sit_in_the_section_people_expect():
    """The sections of the pages the issue names, and of a page of each app."""
    views = {name: (route, view) for name, route, view in _named_urls()}
    found = {name: registry.section_for(name, views[name][1].__module__, views[name][0]) for name in EXPECTED}
    assert found == EXPECTED


def _nav_for(user, name, route, view):
    http = RequestFactory().get("/")
    http.user = user
    http.resolver_match = ResolverMatch(view, (), {}, url_name=name, route=route)
    return navigation(http)


@pytest.mark.django_db
def test_the_section_of_every_page_is_highlighted(request):
    """For every named URL, a role that can follow its section's link sees exactly one top-level item
    highlighted, the one holding that link (or, for their account, the account link in the top bar)."""
    request.getfixturevalue("north")
    users = [request.getfixturevalue(role) for role in ROLES]
    not_highlighted = []
    for name, route, view in _named_urls():
        if name in NO_SECTION:
            continue
        section = registry.section_for(name, view.__module__, route)
        highlighted = False
        for user in users:
            nav = _nav_for(user, name, route, view)
            if section in {link.key for link in nav["account_links"]}:
                highlighted = nav["nav_section"] == section and not any(i.active for i in nav["nav_items"])
            active = [item for item in nav["nav_items"] if item.active]
            if len(active) == 1 and section in {link.key for link in active[0].links}:
                highlighted = True
            if highlighted:
                break
        if not highlighted:
            not_highlighted.append(f"{name} ({section})")
    assert not_highlighted == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_fits_in_few_items(role, request):
    """At most seven top-level items for any role (it fits on one line at 1280 px; the browser test
    measures it), each group labelled by its name only when it holds more than one link."""
    request.getfixturevalue("north")
    user = request.getfixturevalue(role)
    http = RequestFactory().get("/")
    http.user = user
    items = navigation(http)["nav_items"]
    assert 1 <= len(items) <= 7
    for item in items:
        group = registry.nav_groups.get(item.key)
        assert item.label == (group.label if group and len(item.links) > 1 else item.links[0].label)


@pytest.mark.django_db
def test_a_meeting_page_highlights_meetings_and_a_sign_off_step_my_work(client, child, team_manager):
    """Rendered: the meeting list of a child highlights Meetings (aria-current="true": in the section,
    not its page); the Sign-off queue highlights My work and, below it, Sign-off as the page."""
    client.force_login(team_manager)
    html = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
    current = html[: html.index('aria-current="true"')]
    assert current.rstrip().endswith(f'href="{reverse("meetings_mine")}"')
    html = client.get(reverse("sign_off_queue")).content.decode()
    assert f'href="{reverse("my_work")}"\n                 aria-current="true"' in html
    assert f'href="{reverse("sign_off_queue")}" aria-current="page">Sign-off</a>' in html


# Each role's main pages (benchmarks/pages.py and more), rendered: the top-level item a person sees
# highlighted, and whether it is that page itself ("page") or the section holding it ("true"); "Your
# account" is in the top bar. Issue 20: the highlight comes from the URL (Registry.section_for), not from
# a value each view passes.
MAIN_PAGES = [
    ("case_manager", "/my-work/", "My work", "page"),
    ("case_manager", "/sign-off/", "My work", "true"),
    ("case_manager", "/leave/", "My work", "true"),
    ("case_manager", "/notifications/", "Notifications", "page"),
    ("case_manager", "/notifications/settings/", "Notifications", "true"),
    ("case_manager", "/caseload/", "Caseload", "page"),
    ("case_manager", "/children/{child}/", "Caseload", "true"),
    ("case_manager", "/children/{child}/due/", "Caseload", "true"),
    ("case_manager", "/children/{child}/programmes/", "Caseload", "true"),
    ("case_manager", "/children/{child}/events/new/", "Caseload", "true"),
    ("case_manager", "/children/{child}/meetings/", "Meetings", "true"),
    ("case_manager", "/children/{child}/court/", "Caseload", "true"),
    ("case_manager", "/children/{child}/transfers/", "Caseload", "true"),
    ("case_manager", "/meetings/", "Meetings", "page"),
    ("case_manager", "/court/", "Caseload", "true"),
    ("case_manager", "/transfers/", "Caseload", "true"),
    ("case_manager", "/policy-timescales/", "My work", "true"),
    ("case_manager", "/account/", "Your account", "page"),
    ("team_manager", "/dashboards/team/", "Team", "page"),
    ("team_manager", "/caseload/", "Caseload", "page"),
    ("team_manager", "/supervision/", "Supervision", "page"),
    ("team_manager", "/children/{child}/meetings/book/", "Meetings", "true"),
    ("service_manager", "/dashboards/compliance/", "Dashboards", "page"),
    ("service_manager", "/dashboards/team/", "Dashboards", "true"),
    ("service_manager", "/mappa/", "Caseload", "true"),
    ("service_manager", "/board/", "Management", "page"),  # the Management group's first page (issue 21)
    ("service_manager", "/audit/", "Management", "true"),
    ("service_manager", "/dashboards/kpis/", "Dashboards", "true"),
    ("service_manager", "/service-import/", "Management", "true"),
    ("service_manager", "/retention/", "Management", "true"),
    ("service_manager", "/staff/changes/", "Management", "true"),
    ("service_manager", "/staff/sign-in/", "Management", "true"),
    ("administrator", "/caseload/", "Caseload", "page"),
    ("administrator", "/staff/changes/", "Management", "page"),
]
ACTIVE_ITEM = re.compile(
    r'govuk-service-navigation__item--active">\s*<a [^>]*aria-current="(?P<current>\w+)"[^>]*>'
    r'<strong class="govuk-service-navigation__active-fallback">(?P<label>[^<]+)</strong>'
)
ACCOUNT_CURRENT = re.compile(
    r'class="app-header__account-link" href="[^"]+" aria-current="(?P<current>\w+)">(?P<label>[^<]+)<'
)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path", "label", "current"), MAIN_PAGES)
def test_each_main_page_highlights_its_section(role, path, label, current, request, client, child):
    """Rendered, each role's main page highlights exactly one item, the one a person expects."""
    client.force_login(request.getfixturevalue(role))
    response = client.get(path.format(child=child.pk))
    assert response.status_code == 200
    html = response.content.decode()
    found = [(m["label"], m["current"]) for m in ACTIVE_ITEM.finditer(html)]
    found += [(m["label"], m["current"]) for m in ACCOUNT_CURRENT.finditer(html)]
    assert found == [(label, current)]
