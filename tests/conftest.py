"""Named users for every test: a case manager, a colleague, an outsider, managers and the service manager."""

import pytest

from cases.models import Role, Team
from demo.factories import ChildFactory, TeamFactory, UserFactory


@pytest.fixture
def north(db):
    """The North locality team."""
    return TeamFactory(name="North locality team", kind=Team.Kind.LOCALITY)


@pytest.fixture
def south(db):
    """The South locality team."""
    return TeamFactory(name="South locality team", kind=Team.Kind.LOCALITY)


@pytest.fixture
def team_manager(north):
    """North's team manager."""
    return UserFactory(username="tm", role=Role.TEAM_MANAGER, team=north)


@pytest.fixture
def case_manager(north, team_manager):
    """A North case manager, supervised by North's team manager."""
    return UserFactory(username="cm", role=Role.CASE_MANAGER, team=north, line_manager=team_manager)


@pytest.fixture
def colleague(north, team_manager):
    """Another North case manager."""
    return UserFactory(username="colleague", role=Role.CASE_MANAGER, team=north, line_manager=team_manager)


@pytest.fixture
def outsider(south):
    """A South case manager: must get 404 for North's children."""
    return UserFactory(username="outsider", role=Role.CASE_MANAGER, team=south)


@pytest.fixture
def service_manager(db):
    """The service manager: sees every team and reads the audit log."""
    service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
    return UserFactory(username="sm", role=Role.SERVICE_MANAGER, team=service)


@pytest.fixture
def administrator(db):
    """An administrator: Django admin, no child records."""
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, team=None, is_staff=True, is_superuser=True)


@pytest.fixture
def child(north, case_manager):
    """A North child held by the case manager."""
    return ChildFactory(team=north, case_manager=case_manager, first_name="Alex", last_name="Testchild")
