"""The court tracking demo (demo/seed/courts.py): three Crown Court trackings (one Band B with trial
attendance agreed, one with its monthly contact overdue, one awaiting allocation) and six children
awaiting a Magistrates' Court hearing (2 pending, 2 offered, 1 accepted with My Futures, 1 no offer)."""

import datetime
import random
from collections import Counter

import pytest

from cases.models import Obligation, Programme, Role
from cases.services.core import child_obligations_refresh
from courts.models import AwaitingHearing, Band, CrownCourtTracking
from demo.factories import ChildFactory, UserFactory
from demo.seed import courts as demo

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture
def staff(north, south):
    """The demo usernames the module looks up."""
    people = [
        ("tm.north", Role.TEAM_MANAGER, north),
        ("ap.north", Role.ADVANCED_PRACTITIONER, north),
        ("bs.north", Role.BUSINESS_SUPPORT, north),
        ("scm.north.1", Role.SENIOR_CASE_MANAGER, north),
        ("cm.north.1", Role.CASE_MANAGER, north),
        ("tm.south", Role.TEAM_MANAGER, south),
        ("cm.south.1", Role.CASE_MANAGER, south),
    ]
    return [UserFactory(username=u, role=r, team=t) for u, r, t in people]


def test_demo_builds_the_court_journeys(staff, north):
    """The demo rows match the brief, and the rules see the overdue monthly contact."""
    cm = next(u for u in staff if u.username == "cm.north.1")
    for _ in range(8):
        ChildFactory(team=north, case_manager=cm)
    demo.build(staff=staff, today=TODAY, rnd=random.Random(3))

    trackings = list(CrownCourtTracking.objects.select_related("child", "programme"))
    assert len(trackings) == 3
    assert all(t.programme.kind == Programme.Kind.CROWN_COURT_TRACKING for t in trackings)
    band_b = [t for t in trackings if t.band == Band.B]
    assert len(band_b) == 1 and band_b[0].trial_attendance and band_b[0].oversight_on
    for t in trackings:
        child_obligations_refresh(child_id=t.child_id, as_of=TODAY)
    overdue = Obligation.objects.filter(code="contact.monthly", status=Obligation.Status.OVERDUE)
    assert overdue.count() == 1
    assert Obligation.objects.filter(code="crown_court.allocate", status=Obligation.Status.OPEN).count() == 1

    decisions = Counter(AwaitingHearing.objects.values_list("decision", flat=True))
    assert decisions == {"pending": 2, "offer": 2, "accepted": 1, "no_offer": 1}
    accepted = AwaitingHearing.objects.get(decision=AwaitingHearing.Decision.ACCEPTED)
    assert accepted.programme.kind == Programme.Kind.MY_FUTURE
    assert accepted.programme.start_date <= TODAY

    demo.clear()
    assert not AwaitingHearing.objects.exists() and not CrownCourtTracking.objects.exists()
