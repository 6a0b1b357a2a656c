"""The named permissions (django-rules, each app's permissions.py) for each role, as the role tests they replace."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from cases.models import Role
from demo.factories import UserFactory

ROLES = [
    "case_manager",
    "advanced_practitioner",
    "team_manager",
    "outsider",
    "service_manager",
    "administrator",
]

# permission -> the roles (fixtures below and in tests/conftest.py) that have it; everyone else does not.
WITHOUT_OBJECT = {
    "cases.manage_team": {"advanced_practitioner", "team_manager"},
    "cases.view_service_wide": {"service_manager"},
    "cases.complete_team_tasks": {"advanced_practitioner", "team_manager", "service_manager"},
    "meetings.view_team_meetings": {"advanced_practitioner", "team_manager", "service_manager"},
    "meetings.view_service_wide": {"service_manager"},
    "supervision.view_service_wide": {"service_manager"},
    "supervision.view_chain": {"team_manager", "service_manager"},
    "supervision.review_closure_checks": {"advanced_practitioner", "team_manager", "service_manager"},
    # Staff sign-in (ADR 0011): reset someone's two-factor sign-in, make a password reset link.
    "accounts.manage_staff_sign_in": {"service_manager", "administrator"},
    "accounts.manage_own_account": set(ROLES),
}


@pytest.fixture
def advanced_practitioner(north, team_manager):
    """North's advanced practitioner, supervised by North's team manager."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)


@pytest.mark.parametrize("perm", sorted(WITHOUT_OBJECT))
@pytest.mark.parametrize("role", ROLES)
def test_named_permission_by_role(request, perm, role):
    user = request.getfixturevalue(role)
    expected = role in WITHOUT_OBJECT[perm]
    assert rules.perm_exists(perm)
    assert rules.has_perm(perm, user) is expected
    # Through Django's backends too (what {% has_perm %} asks); the administrator is a superuser, and
    # Django gives an active superuser every permission, so views keep asking rules.has_perm.
    assert user.has_perm(perm) is (expected or user.is_superuser)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("case_manager", False),
        ("advanced_practitioner", True),
        ("team_manager", True),
        ("outsider", False),
        ("service_manager", True),
        ("administrator", False),
    ],
)
def test_manage_meetings_for_the_child(request, child, role, expected):
    user = request.getfixturevalue(role)
    assert rules.has_perm("meetings.manage_meetings", user, child) is expected
    assert rules.has_perm("meetings.manage_meetings", user) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("case_manager", False),
        ("advanced_practitioner", False),
        ("team_manager", True),
        ("outsider", False),
        ("service_manager", True),
        ("administrator", False),
    ],
)
def test_supervise_the_case_manager(request, case_manager, role, expected):
    user = request.getfixturevalue(role)
    assert rules.has_perm("supervision.supervise", user, case_manager) is expected
    assert rules.has_perm("supervision.supervise", user) is False


def test_anonymous_has_none():
    anonymous = AnonymousUser()
    for perm in WITHOUT_OBJECT:
        assert rules.has_perm(perm, anonymous) is False
