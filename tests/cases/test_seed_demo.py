"""The demo seed builds a realistic fictional service and can be run again."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import (
    Allocation,
    Assessment,
    Child,
    Contact,
    Leave,
    LeaveCover,
    Obligation,
    Plan,
    Programme,
    Role,
    Team,
    User,
)
from transfers.models import TransferIn


@pytest.mark.django_db
def test_seed_demo_is_rerunnable(settings):
    """Two runs give the same staff and the requested children, with obligations computed."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    # The requested children, plus cm.north.1's three fresh cases (a YRO, an OOCD and a custody case)
    # and the seven cases for tm.north's meetings (meetings/demo.py).
    # Plus the three Crown Court tracking children (courts/demo.py) and the children taken in from other
    # areas (transfers/demo_external.py: one per Transfer In Summary).
    assert (
        Child.objects.exclude(case_number__startswith="TI").exclude(case_number__startswith="YJ93").count()
        == 40
    )
    assert Child.objects.filter(case_number__startswith="YJ93").count() == 3
    assert Child.objects.filter(case_number__startswith="TI").count() == TransferIn.objects.count() == 5
    fresh = Programme.objects.filter(child__case_number__in=["YJ900001", "YJ900002", "YJ900003"])
    assert set(fresh.values_list("kind", flat=True)) == {
        Programme.Kind.YRO,
        Programme.Kind.OOCD_INTERVENTION,
        Programme.Kind.DTO_CUSTODY,
    }
    assert Team.objects.filter(kind=Team.Kind.LOCALITY).count() == 3
    assert User.objects.filter(role=Role.SERVICE_MANAGER).count() == 1
    assert set(User.objects.values_list("role", flat=True)) >= {r.value for r in Role}
    assert Obligation.objects.exists()
    # The case work the issue asks the demo to exercise (assessments, sign-off, plans, contacts, leave).
    assert Assessment.objects.filter(status=Assessment.Status.COMPLETED).exists()
    assert Plan.objects.filter(is_review=False).exists()
    assert Contact.objects.filter(outcome=Contact.Outcome.KEPT).exists()
    assert Allocation.objects.count() >= Child.objects.exclude(case_manager=None).count()
    assert Leave.objects.filter(kind=Leave.Kind.UNPLANNED).exists()
    assert Obligation.objects.filter(worker__isnull=False, code="leave.review_cases").exists()
    assert (
        LeaveCover.objects.exists() or not Child.objects.filter(case_manager__username="cm.north.2").exists()
    )
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


@pytest.mark.django_db
def test_seed_demo_fills_the_sign_off_queue(settings):
    """At the default size some reviews are waiting for a manager's sign-off (001 App. 1)."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "120", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SIGN_OFF)
    assert waiting.exists()
    assert all(
        a.assigned_to and a.assigned_to.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER)
        for a in waiting
    )


@pytest.mark.django_db
def test_seed_demo_meetings(settings):
    """The demo has a CMM history, the CMM types due for tm.north's fresh cases, a booked and a held meeting."""
    from meetings.models import Meeting, MeetingKind

    settings.DEBUG = True
    call_command("seed_demo", "--children", "60", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    assert Meeting.objects.filter(status=Meeting.Status.FINALISED, kind=MeetingKind.RISK_REVIEW).exists()
    due = set(
        Obligation.objects.filter(
            child__case_number__gte="YJ900004", status__in=["open", "overdue"], code__startswith="cmm."
        ).values_list("code", flat=True)
    )
    # 000 §1.3: a risk review, compliance, re-offending and bail CMM, and the held meeting's follow-ups.
    assert {"cmm.risk_review", "cmm.compliance", "cmm.reoffending", "cmm.bail", "cmm.minutes"} <= due
    assert Meeting.objects.filter(status=Meeting.Status.BOOKED, kind=MeetingKind.MAPPA_LEVEL_1).count() == 1
    assert Meeting.objects.filter(status=Meeting.Status.HELD, kind=MeetingKind.RELEASE).count() == 1
