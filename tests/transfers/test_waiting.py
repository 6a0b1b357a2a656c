"""Transfers waiting for endorsement, escalation, allocation (003 §11.4) or a transfer in's review (003
§12.4) reach the person who must act: a "Waiting for you" row on their My work and a notification raised
at once (core.registry waiting work), never anyone else's; once the step is taken it no longer waits."""

import datetime

import pytest
from django.urls import reverse

from alerts.models import Notification
from alerts.services import alerts_raise
from cases.models import RiskLevel, Role
from core.registry import registry
from demo.factories import ChildFactory, UserFactory
from transfers.models import TransferIn
from transfers.services import external as external_services
from transfers.services import internal as services

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def child(north, case_manager):
    return ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.LOW)


@pytest.fixture
def south_tm(south):
    return UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)


def propose(child, user, to_team):
    return services.internal_transfer_propose(
        child=child,
        user=user,
        to_team=to_team,
        new_address="1 New Street, Southtown",
        move_term="long",
        saw_effect="None expected.",
        rosh_effect="Low; no effect.",
        child_views="Happy to move.",
        home_visit_on=D(2026, 11, 2),
        review_assessment_on=D(2026, 11, 3),
    )


def waiting(user) -> list[tuple[str, str]]:
    """(code, title) of what waits on the user now."""
    return [(i.code, i.title) for i in registry.waiting_for(user)]


def told(user) -> list[str]:
    """The codes of the user's "Waiting for you" notifications, oldest first."""
    return list(
        Notification.objects.filter(recipient=user, kind=Notification.Kind.WAITING)
        .order_by("pk")
        .values_list("code", flat=True)
    )


def test_each_step_reaches_who_must_act_at_once(
    child, case_manager, team_manager, south, south_tm, service_manager, django_capture_on_commit_callbacks
):
    """Proposed: the sending TM (also the case manager's line manager) endorses; the receiving TM disagrees
    and escalates: the service manager decides; endorsed: the receiving TM allocates. Each is told as the
    step begins, the case manager never."""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = propose(child, case_manager, south)
    assert waiting(team_manager) == [("transfer.endorse", f"Endorse or decline the transfer to {south}")]
    assert told(team_manager) == ["transfer.endorse"] and told(south_tm) == [] and told(case_manager) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.internal_transfer_escalate(transfer=transfer, user=south_tm, reason="We have no capacity")
    assert waiting(team_manager) == [] and [c for c, _ in waiting(service_manager)] == ["transfer.escalated"]
    assert told(service_manager) == ["transfer.escalated"]
    with django_capture_on_commit_callbacks(execute=True):
        services.internal_transfer_decide(transfer=transfer, user=service_manager, endorse=True)
    assert waiting(service_manager) == []
    assert [c for c, _ in waiting(south_tm)] == ["transfer.allocate"] and told(south_tm) == [
        "transfer.allocate"
    ]
    assert told(case_manager) == []


def test_my_work_lists_the_step_with_its_link(
    client, child, case_manager, south, south_tm, django_capture_on_commit_callbacks
):
    """The receiving TM's My work has the allocation waiting, linked to the allocation page; opening the
    notification goes there too; a sweep raises nothing twice."""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = propose(child, case_manager, south)
        services.internal_transfer_decide(
            transfer=transfer, user=child.case_manager.line_manager, endorse=True
        )
    link = reverse("internal_transfer_allocate", args=[child.pk, transfer.pk])
    client.force_login(south_tm)
    page = client.get(reverse("my_work")).content.decode()
    assert 'id="waiting-for-you"' in page and link in page and "Allocate the case transferred from" in page
    note = Notification.objects.get(recipient=south_tm, kind=Notification.Kind.WAITING)
    assert client.get(reverse("notification_open", args=[note.pk])).url == link
    before = Notification.objects.count()
    alerts_raise(now=datetime.datetime.now(datetime.UTC))
    assert Notification.objects.filter(kind=Notification.Kind.WAITING).count() == 1
    assert Notification.objects.count() >= before


def test_a_withdrawn_transfer_waits_on_nobody(
    client, child, case_manager, team_manager, south, django_capture_on_commit_callbacks
):
    """Withdrawn: nothing waits; the notification says it no longer waits."""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = propose(child, case_manager, south)
    with django_capture_on_commit_callbacks(execute=True):
        services.internal_transfer_withdraw(transfer=transfer, user=case_manager, reason="Moving back home")
    assert waiting(team_manager) == []
    client.force_login(team_manager)
    assert "No longer waiting" in client.get(reverse("notifications")).content.decode()


def test_transfer_in_waits_for_the_receiving_teams_review(
    north, team_manager, case_manager, django_capture_on_commit_callbacks
):
    """003 §12.4: a transfer in received waits on the receiving team's TM/AP until decided."""
    documents = {code: {"answer": "yes", "reason": ""} for code, _l, _n in TransferIn.DOCUMENTS}
    with django_capture_on_commit_callbacks(execute=True):
        t = external_services.transfer_in_create(
            user=team_manager,
            team=north,
            received_on=D(2026, 3, 9),
            documents=documents,
            first_name="Jordan",
            last_name="Incomer",
            date_of_birth=D(2010, 5, 4),
            home_yjs="Derbyshire YJS",
            home_case_id="DY1",
            proposed_address="1 Test Street",
            home_case_manager="Sam Home",
            order_type="Referral Order",
            offence_details="Theft.",
        )
    assert [c for c, _ in waiting(team_manager)] == ["transfer_in.decide"] and told(team_manager) == [
        "transfer_in.decide"
    ]
    assert waiting(case_manager) == []
    external_services.transfer_in_decide(
        transfer_in=t, user=team_manager, decision="accept", decided_on=D(2026, 3, 10)
    )
    assert waiting(team_manager) == []
