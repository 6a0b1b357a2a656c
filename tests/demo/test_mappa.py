"""The MAPPA demo (001 §8): children across the teams at levels 1 and 2 with a level change, one Form H
outstanding, one record ended, the meetings journey's level 1 child with its booked meeting, last
quarter's share and this quarter's task for the development manager; the register matches the records."""

import datetime
import random

import pytest
from django.utils import timezone

from cases.models import Role, Team
from core.models import Task
from demo.factories import ChildFactory, TeamFactory, UserFactory
from demo.seed import mappa as demo
from mappa.models import MappaRecord, RegisterShare
from mappa.selectors import register as reg
from meetings.models import Meeting, MeetingKind


@pytest.fixture
def demo_service(db):
    """Three locality teams with TMs and APs, children, the development manager, and the journey child."""
    staff = []
    service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
    sm = UserFactory(username="sm", role=Role.SERVICE_MANAGER, team=service)
    staff += [sm, UserFactory(username="devmgr", role=Role.DEVELOPMENT_MANAGER, team=service)]
    for name in ("North", "South", "West"):
        team = TeamFactory(name=f"{name} locality team")
        tm = UserFactory(username=f"tm.{name.lower()}", role=Role.TEAM_MANAGER, team=team)
        cm = UserFactory(username=f"cm.{name.lower()}.1", role=Role.CASE_MANAGER, team=team)
        staff += [
            tm,
            cm,
            UserFactory(username=f"ap.{name.lower()}", role=Role.ADVANCED_PRACTITIONER, team=team),
        ]
        for i in range(4):
            ChildFactory(team=team, case_manager=cm, case_number=f"YJ2{name[0]}{i}")
        if name == "North":
            journey = ChildFactory(team=team, case_manager=cm, case_number=demo.MEETINGS_MAPPA_CHILD)
            Meeting.objects.create(
                child=journey, kind=MeetingKind.MAPPA_LEVEL_1, starts_at=timezone.now() + datetime.timedelta(days=21),
                chair=tm, case_manager=cm, booked_by=tm,
            )  # fmt: skip
    return staff


@pytest.mark.django_db
def test_demo_builds_register(demo_service):
    """Eight records across three teams; the register shows the seven open ones; share and task made."""
    today = timezone.localdate()
    demo.build(staff=demo_service, today=today, rnd=random.Random(1))
    records = list(MappaRecord.objects.select_related("child__team"))
    assert len(records) == 8
    assert {r.child.team.name.split()[0] for r in records} == {"North", "South", "West"}
    assert {r.category for r in records} == {1, 2, 3}
    assert {r.current_level for r in records} == {1, 2}
    assert sum(1 for r in records if r.form_h_sent_on is None and r.ended_on is None) == 1
    assert sum(1 for r in records if r.ended_on) == 1
    assert any(r.levels.count() > 1 for r in records)
    journey = next(r for r in records if r.child.case_number == demo.MEETINGS_MAPPA_CHILD)
    assert journey.current_level == 1
    sm = next(u for u in demo_service if u.username == "sm")
    open_records = list(reg.register_records(user=sm))
    assert len(open_records) == 7
    row = next(
        r for r in reg.register_rows(open_records) if r.values["case_number"] == demo.MEETINGS_MAPPA_CHILD
    )
    assert row.values["next_booked"] is not None  # linked to the booked MAPPA level 1 meeting
    assert RegisterShare.objects.get().quarter == reg.previous_quarter(reg.quarter_of(today))
    task = Task.objects.get(source=f"mappa-share:{reg.quarter_of(today)}")
    assert task.assignee.username == "devmgr" and task.done_on is None


@pytest.mark.django_db
def test_clear_removes_everything(demo_service):
    """clear() leaves no MAPPA rows or share tasks behind (seed_demo rebuilds)."""
    demo.build(staff=demo_service, today=timezone.localdate(), rnd=random.Random(1))
    demo.clear()
    assert not MappaRecord.objects.exists() and not RegisterShare.objects.exists()
    assert not Task.objects.filter(source__startswith="mappa-share:").exists()
