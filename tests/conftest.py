"""Named users for every test: a case manager, a colleague, an outsider, managers and the service manager.

Each has a fixed name that no factory generates and that contains no other fixture's name or any word a test
looks for, so an assertion that a name is (or is not) on a page or in an email never depends on a random name
(a generated "Alexander" made `"Alex" not in body` fail about once in a hundred runs).
"""

import pytest
from django.conf import settings as django_settings

from cases.models import Role, Team
from config.celery import app as celery_app
from demo.factories import ChildFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _celery_as_configured():
    """Every test starts with Celery as the test settings make it (eager, a usable producer pool).

    A few tests start a real worker or point Celery at a private Redis and put it back afterwards; under
    pytest-xdist the modules a worker process runs, and their order, vary, so a pool a worker's shutdown
    closed, or another Celery app a test made current, must never reach the next test ("Acquire on
    closed pool" on a later publish: shared tasks are sent through the current app)."""
    celery_app.set_current()
    celery_app.set_default()  # the live server's threads find it too
    celery_app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    producers = celery_app.amqp._producer_pool
    pools = [celery_app._pool, producers, getattr(producers, "connections", None)]
    if any(pool is not None and getattr(pool, "_closed", False) for pool in pools):
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    yield


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
    return UserFactory(
        username="tm", role=Role.TEAM_MANAGER, team=north, first_name="Tereza", last_name="Teammanager"
    )


@pytest.fixture
def case_manager(north, team_manager):
    """A North case manager, supervised by North's team manager."""
    return UserFactory(
        username="cm",
        role=Role.CASE_MANAGER,
        team=north,
        line_manager=team_manager,
        first_name="Cosmo",
        last_name="Casemanager",
    )


@pytest.fixture
def colleague(north, team_manager):
    """Another North case manager."""
    return UserFactory(
        username="colleague",
        role=Role.CASE_MANAGER,
        team=north,
        line_manager=team_manager,
        first_name="Coralie",
        last_name="Colleague",
    )


@pytest.fixture
def outsider(south):
    """A South case manager: must get 404 for North's children."""
    return UserFactory(
        username="outsider", role=Role.CASE_MANAGER, team=south, first_name="Ottilie", last_name="Outsider"
    )


@pytest.fixture
def service_manager(db):
    """The service manager: sees every team and reads the audit log."""
    service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
    return UserFactory(
        username="sm",
        role=Role.SERVICE_MANAGER,
        team=service,
        first_name="Servane",
        last_name="Servicemanager",
    )


@pytest.fixture
def administrator(db):
    """An administrator: Django admin, no child records."""
    return UserFactory(
        username="admin",
        role=Role.ADMINISTRATOR,
        team=None,
        is_staff=True,
        is_superuser=True,
        first_name="Adelind",
        last_name="Administrator",
    )


@pytest.fixture
def child(north, case_manager):
    """A North child held by the case manager."""
    return ChildFactory(team=north, case_manager=case_manager, first_name="Alex", last_name="Testchild")
