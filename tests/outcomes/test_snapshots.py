"""The snapshots the product takes at each intervention's start and end (outcomes/snapshots.py, issue 21)."""

import datetime

import pytest
import time_machine

from cases.models import Programme
from cases.services import programmes
from demo.factories import ChildFactory
from outcomes.interventions import INTERVENTION_KINDS, SNAPSHOT_KEYS
from outcomes.models import Education, HealthNeed, Snapshot, SpecialNeed
from outcomes.snapshots import academic_year, school_age, snapshot_values, snapshots_refresh

from .factories import (
    AccommodationFactory,
    EducationFactory,
    HealthNeedFactory,
    SpecialNeedFactory,
    WiderServiceFactory,
    full_record,
)

K = Programme.Kind
TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _today():
    """A fixed day (a Tuesday)."""
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False):
        yield


@pytest.mark.parametrize(
    "day,year",
    [
        (datetime.date(2026, 8, 31), "2025/26"),
        (datetime.date(2026, 9, 1), "2026/27"),
        (datetime.date(2099, 12, 31), "2099/00"),
        (datetime.date(2024, 2, 29), "2023/24"),
    ],
)
def test_academic_year_runs_september_to_august(day, year):
    """The academic year turns on 1 September (and the century wraps as two digits)."""
    assert academic_year(day) == year


@pytest.mark.parametrize(
    "born,day,expected",
    [
        # 16 on 31 August 2025 (born that day): past compulsory school age all of 2025/26.
        (datetime.date(2009, 8, 31), datetime.date(2026, 3, 3), False),
        # Born 1 September 2009: 15 on 31 August 2025, so of school age until the year's end.
        (datetime.date(2009, 9, 1), datetime.date(2026, 8, 31), True),
        # ...and no longer from 1 September 2026 (16 on 31 August 2026).
        (datetime.date(2009, 9, 1), datetime.date(2026, 9, 1), False),
        # A leap-day birthday: 15 on 31 August 2023, 16 on 31 August 2024.
        (datetime.date(2008, 2, 29), datetime.date(2024, 6, 30), True),
        (datetime.date(2008, 2, 29), datetime.date(2024, 9, 1), False),
    ],
)
def test_school_age_is_under_16_on_the_previous_31_august(born, day, expected):
    """Compulsory school age follows the 31 August before the academic year."""
    assert school_age(born, day) is expected


def test_values_follow_the_contract_exactly():
    """Every key of the contract, with the covering record's values; a later record wins."""
    day = datetime.date(2026, 2, 2)
    old = Education(provision="none", suitable=False, from_date=datetime.date(2025, 1, 1), to_date=None)
    new = Education(
        provision="college",
        hours_offered=16,
        hours_attended=12.5,
        suitable=True,
        from_date=datetime.date(2026, 1, 1),
    )
    screening = HealthNeed(
        area="mental_health",
        need_identified=True,
        intervention="CAMHS",
        offered_on=datetime.date(2026, 3, 1),
        attending=True,
        from_date=datetime.date(2026, 1, 10),
    )
    send = SpecialNeed(
        identified=True, plan="ehcp", plan_academic_year="2025/26", from_date=datetime.date(2025, 9, 1)
    )
    values, missing, _ = snapshot_values(
        date_of_birth=datetime.date(2010, 5, 1),
        day=day,
        records={"ete": [new, old], "mental_health": [screening], "send": [send]},
    )
    assert tuple(values) == SNAPSHOT_KEYS
    assert values["ete"] == {
        "provision": "college",
        "hours_offered": 16.0,
        "hours_attended": 12.5,
        "suitable": True,
        "school_age": True,
    }
    # Offered on 1 March: not yet offered on 2 February, so attendance is not counted.
    assert values["mental_health"] == {
        "screened": True,
        "need_identified": True,
        "offered": False,
        "attending": None,
    }
    assert values["send"] == {"identified": True, "plan": "ehcp", "plan_current": True}
    assert values["accommodation"] is None and values["substance_misuse"] is None
    assert values["wider_services"] == []
    assert missing == ["accommodation", "substance_misuse"]


def test_a_start_snapshot_is_taken_when_the_programme_starts(child, case_manager):
    """Starting an intervention takes its start snapshot at once; with no records every fact is missing."""
    programme = programmes.programme_create(
        child=child, user=case_manager, kind=K.YRO, start_date=datetime.date(2026, 2, 2), length_months=12
    )
    snap = Snapshot.objects.get(programme=programme)
    assert (snap.point, snap.as_of, snap.complete) == ("start", datetime.date(2026, 2, 2), False)
    assert snap.missing == ["accommodation", "ete", "send", "mental_health", "substance_misuse"]


def test_records_entered_late_complete_it_on_the_day_entered(child, case_manager):
    """Facts entered after the start fill the snapshot in; it is complete the day the last was entered."""
    programme = programmes.programme_create(
        child=child,
        user=case_manager,
        kind=K.REFERRAL_ORDER,
        start_date=datetime.date(2026, 2, 2),
        length_months=6,
    )
    full_record(child=child, user=case_manager, day=datetime.date(2026, 1, 5))
    snapshots_refresh(child_ids=[child.pk])
    snap = Snapshot.objects.get(programme=programme)
    assert snap.complete and snap.missing == []
    assert snap.completed_on == TODAY
    assert snap.values["accommodation"] == {"kind": "parents", "suitable": True}


def test_records_already_there_complete_it_on_its_own_date(child, case_manager):
    """Facts on the record before the programme starts complete its snapshot as of the start."""
    full_record(child=child, user=case_manager, day=datetime.date(2026, 1, 5))
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0), tick=False):
        programme = programmes.programme_create(
            child=child, user=case_manager, kind=K.MY_FUTURE, start_date=datetime.date(2026, 3, 9)
        )
    assert Snapshot.objects.get(programme=programme).completed_on == datetime.date(2026, 3, 9)


def test_a_correction_updates_the_values_and_keeps_completed_on(child, case_manager):
    """Changing a record rewrites the values; the day it became complete stays."""
    records = full_record(child=child, user=case_manager, day=datetime.date(2026, 1, 5))
    programme = programmes.programme_create(
        child=child, user=case_manager, kind=K.YRO, start_date=datetime.date(2026, 2, 2), length_months=12
    )
    before = Snapshot.objects.get(programme=programme).completed_on
    records[0].suitable = False
    records[0].save()
    snapshots_refresh(child_ids=[child.pk])
    snap = Snapshot.objects.get(programme=programme)
    assert snap.values["accommodation"]["suitable"] is False
    assert snap.completed_on == before


def test_the_end_snapshot_once_it_ends_and_dto_custody_ends_at_release(child, case_manager):
    """Closing an intervention takes its end snapshot as of the end date (the release for DTO custody)."""
    custody = programmes.programme_create(
        child=child,
        user=case_manager,
        kind=K.DTO_CUSTODY,
        start_date=datetime.date(2025, 11, 3),
        length_months=8,
        custody_months=4,
    )
    AccommodationFactory(
        child=child,
        recorded_by=case_manager,
        from_date=datetime.date(2025, 11, 3),
        kind="secure",
        to_date=datetime.date(2026, 2, 27),
    )
    AccommodationFactory(
        child=child, recorded_by=case_manager, from_date=datetime.date(2026, 2, 27), kind="supported"
    )
    programmes.programme_close(
        programme=custody, user=case_manager, end_date=datetime.date(2026, 2, 27), closure_reason="completed"
    )
    end = Snapshot.objects.get(programme=custody, point="end")
    # The day of release: the record starting that day is the later one.
    assert end.as_of == datetime.date(2026, 2, 27)
    assert end.values["accommodation"] == {"kind": "supported", "suitable": True}
    start = Snapshot.objects.get(programme=custody, point="start")
    assert start.values["accommodation"]["kind"] == "secure"


def test_no_snapshot_for_a_point_not_yet_reached_or_not_an_intervention(child, case_manager):
    """A programme starting in the future, and a PSR (not an intervention), have no snapshot."""
    programmes.programme_create(
        child=child, user=case_manager, kind=K.MY_FUTURE, start_date=datetime.date(2026, 3, 20)
    )
    programmes.programme_create(
        child=child,
        user=case_manager,
        kind=K.PSR,
        start_date=datetime.date(2026, 2, 2),
        court_date=datetime.date(2026, 3, 30),
    )
    assert K.PSR not in INTERVENTION_KINDS
    assert not Snapshot.objects.filter(child=child).exists()


def test_wider_services_list_in_the_contract_order(child, case_manager):
    """Every wider service covering the date, in the contract's order, none missing when none apply."""
    WiderServiceFactory(child=child, recorded_by=case_manager, kind="looked_after")
    WiderServiceFactory(child=child, recorded_by=case_manager, kind="child_in_need")
    WiderServiceFactory(
        child=child, recorded_by=case_manager, kind="early_help", to_date=datetime.date(2026, 1, 20)
    )
    programme = programmes.programme_create(
        child=child, user=case_manager, kind=K.YRO, start_date=datetime.date(2026, 2, 2), length_months=12
    )
    snap = Snapshot.objects.get(programme=programme)
    assert snap.values["wider_services"] == ["child_in_need", "looked_after"]
    assert "wider_services" not in snap.missing


def test_refreshing_costs_the_same_queries_for_one_child_or_many(
    case_manager, north, django_assert_num_queries
):
    """A refresh is a constant number of queries: one child with few records, or six with many."""
    children = [ChildFactory(team=north) for _ in range(6)]
    for n, kid in enumerate(children):
        Programme.objects.create(
            child=kid, kind=K.YRO, start_date=datetime.date(2026, 1, 12), length_months=12
        )
        for _ in range(n + 1):
            full_record(child=kid, user=case_manager)
            EducationFactory(child=kid, recorded_by=case_manager, provision="college")
            SpecialNeedFactory(child=kid, recorded_by=case_manager, plan="none", plan_academic_year="")
            HealthNeedFactory(child=kid, recorded_by=case_manager, area="substance_misuse")
    # Bulk-created programmes took no snapshot (no signal): the first refresh creates, the second updates.
    # A savepoint, the children, programmes and snapshots, five kinds of record, the insert, the release.
    with django_assert_num_queries(11):
        snapshots_refresh(child_ids=[children[0].pk])
    with django_assert_num_queries(11):
        snapshots_refresh(child_ids=[kid.pk for kid in children[1:]])
    assert Snapshot.objects.count() == 6
    Education.objects.filter(child__in=children).update(suitable=False)
    # Every snapshot changed: one update for all of them instead of the insert.
    with django_assert_num_queries(11):
        snapshots_refresh(child_ids=[kid.pk for kid in children])
