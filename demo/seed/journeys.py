"""The fresh North cases the README walks through: cm.north.1's YRO, out-of-court and custody cases to
run from assessment to sign-off, and the children for tm.north to run each CMM type (`meeting_journeys`).
All names are fictional (factories)."""

import datetime
from typing import Any

from cases.models import Allocation, Gender, Programme, RiskLevel

from ..factories import ChildFactory
from .common import CAL
from .meeting_journeys import build_journeys
from .records import CaseRecords

# YJ900003's Detention and Training Order: 12 months, the first half in custody, then licence.
DTO_MONTHS = 12
DTO_CUSTODY_MONTHS = 6


def journey_children(by_name: dict, team, today: datetime.date, work: CaseRecords) -> int:
    """Fresh cases for cm.north.1 to run through the demo: YJ900001 sentenced to a 12-month YRO three days
    ago, YJ900002 with an out-of-court panel next week and YJ900003 starting a 12-month DTO (6 months
    in custody, then licence) two days ago. Their allocations go in with `work`; returns how many."""
    cm, tm = by_name["cm.north.1"], by_name["tm.north"]
    dto_start = today - datetime.timedelta(days=2)
    fresh: list[tuple[str, str, datetime.date, dict[str, Any]]] = [
        ("YJ900001", Programme.Kind.YRO, today - datetime.timedelta(days=3), {"length_months": 12}),
        ("YJ900002", Programme.Kind.OOCD_INTERVENTION, today + datetime.timedelta(days=6), {}),
        (
            "YJ900003",
            Programme.Kind.DTO_CUSTODY,
            dto_start,
            {
                "custody_months": DTO_CUSTODY_MONTHS,
                "length_months": DTO_MONTHS,
                "release_date": CAL.add_months(dto_start, DTO_CUSTODY_MONTHS),
            },
        ),
    ]
    for case_number, kind, start, fields in fresh:
        child = ChildFactory.create(
            realistic=True,
            team=team,
            case_number=case_number,
            rosh=RiskLevel.MEDIUM,
            saw=RiskLevel.LOW,
            lor=RiskLevel.MEDIUM,
            case_manager=cm,
            gender_identity=Gender.MALE,
        )
        Programme.objects.create(child=child, kind=kind, start_date=start, created_by=tm, **fields)
        work.allocations.append(
            Allocation(
                child=child,
                worker=cm,
                started_on=min(start, today),
                allocated_by=tm,
                reason="Allocated on the day of sentence or referral.",
                checks=[],
            )
        )
    return len(fresh)


def meeting_journey_children(by_name: dict, team, today: datetime.date) -> int:
    """Fresh cases for tm.north to run each CMM type, from booking to PDF (meeting_journeys.py); returns
    how many."""
    cm = by_name["cm.north.1"]

    def make_child(case_number, **fields):
        child = ChildFactory.create(
            realistic=True,
            team=team,
            case_number=case_number,
            case_manager=cm,
            gender_identity=Gender.MALE,
            **fields,
        )
        Allocation.objects.create(
            child=child,
            worker=cm,
            started_on=today - datetime.timedelta(days=100),
            allocated_by=by_name["tm.north"],
            reason="Allocated on the day of sentence.",
            checks=[],
        )
        return child

    children = build_journeys(
        today=today,
        team=team,
        tm=by_name["tm.north"],
        cm=cm,
        panel=by_name["scm.north.1"],
        make_child=make_child,
    )
    return len(children)
