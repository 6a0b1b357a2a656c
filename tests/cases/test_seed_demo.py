"""The demo seed builds a realistic fictional service and can be run again."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import Child, Obligation, Role, Team, User


@pytest.mark.django_db
def test_seed_demo_is_rerunnable(settings):
    """Two runs give the same staff and the requested children, with obligations computed."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    assert Child.objects.count() == 30
    assert Team.objects.filter(kind=Team.Kind.LOCALITY).count() == 3
    assert User.objects.filter(role=Role.SERVICE_MANAGER).count() == 1
    assert set(User.objects.values_list("role", flat=True)) >= {r.value for r in Role}
    assert Obligation.objects.exists()
    # An unbroken line-management chain: every locality worker reports, eventually, to the service manager.
    sm = User.objects.get(role=Role.SERVICE_MANAGER)
    for user in User.objects.exclude(role__in=[Role.SERVICE_MANAGER, Role.ADMINISTRATOR]):
        node, steps = user, 0
        while node.line_manager_id and steps < 5:
            node, steps = node.line_manager, steps + 1
        assert node == sm, user.username


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    """It replaces every child record, so it will not run with DEBUG off."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
