"""The header navigation comes from the registry, each link behind a named permission: a link is shown
exactly when the page behind it answers (ADR 0008)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

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
        "audit",
        "retention",
        "staff",
        "staff_sign_in",
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
