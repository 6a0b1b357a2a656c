"""The fresh North cases the README walks through: cm.north.1's YRO, out-of-court and custody cases to
run from assessment to sign-off, and the children for tm.north to run each CMM type (`meeting_journeys`).
All names are fictional (factories)."""

import datetime
from typing import Any

from cases.models import Allocation, Assessment, Contact, Event, EventType, Gender, Plan, Programme, RiskLevel

from ..factories import ChildFactory
from .common import CAL, birthday
from .meeting_journeys import build_journeys
from .records import CaseRecords

# YJ900003's Detention and Training Order: 12 months, the first half in custody, then licence.
DTO_MONTHS = 12
DTO_CUSTODY_MONTHS = 6

# Who holds each fresh case, the child's age today and their (fictional) name, which the README's walks use. cm.north.1 runs YJ900001-3 (README); tm.north's
# CMM cases are spread over North's case holders, the High ones to a senior case manager or the AP
# (003 §4.1), so nobody is over capacity (003 §2.1). The ages fit the programmes: a DTO is for 12 to
# 17-year-olds (GLOSSARY "DTO"), every programme for 10 to 17-year-olds.
HOLDERS = {
    "YJ900001": ("cm.north.1", 15, "Liam", "Oakridge"),
    "YJ900002": ("cm.north.1", 13, "Tyler", "Fernhill"),
    "YJ900003": ("cm.north.1", 16, "Callum", "Stonegate"),
    "YJ900004": ("cm.north.3", 15, "Aaron", "Millbeck"),
    "YJ900005": ("cm.north.4", 14, "Kieran", "Ashcombe"),
    "YJ900006": ("scm.north.2", 16, "Connor", "Haddow"),
    "YJ900007": ("scm.north.2", 17, "Ryan", "Tolworth"),
    "YJ900008": ("ap.north", 17, "Jake", "Brindley"),
    "YJ900009": ("cm.north.2", 14, "Ethan", "Wrayburn"),
    "YJ900010": ("ap.north", 16, "Mason", "Kettleby"),
}
# The weighted points (cases/allocation.py) each fresh case adds to its holder: the higher of RoSH and
# SaW, plus one on remand or in custody. seed_demo counts them before sharing out the other children.
FRESH_WEIGHTS = {
    "YJ900001": 2,
    "YJ900002": 2,
    "YJ900003": 3,
    "YJ900004": 2,
    "YJ900005": 2,
    "YJ900006": 3,
    "YJ900007": 4,
    "YJ900008": 3,
    "YJ900009": 2,
    "YJ900010": 3,
}


def fresh_load(by_name: dict) -> dict[int, int]:
    """{worker id: weighted points} of the fresh cases, held before the other children are shared out."""
    load: dict[int, int] = {}
    for number, (username, *_) in HOLDERS.items():
        worker = by_name[username]
        load[worker.pk] = load.get(worker.pk, 0) + FRESH_WEIGHTS[number]
    return load


def _identity(case_number: str, today: datetime.date) -> dict:
    """The fresh child's name and date of birth (their age in HOLDERS today)."""
    _holder, age, first_name, last_name = HOLDERS[case_number]
    born = birthday(today, age, int(case_number[-2:]) * 31)
    return {"first_name": first_name, "last_name": last_name, "date_of_birth": born}


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
            **_identity(case_number, today),
            team=team,
            case_number=case_number,
            rosh=RiskLevel.MEDIUM,
            saw=RiskLevel.LOW,
            lor=RiskLevel.MEDIUM,
            case_manager=by_name[HOLDERS[case_number][0]],
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


def meeting_journey_children(by_name: dict, team, today: datetime.date, work: CaseRecords) -> int:
    """Fresh cases for tm.north to run each CMM type, from booking to PDF (meeting_journeys.py), each
    held by its HOLDERS worker with the work their programme has needed so far done on time (`work`,
    flushed by the caller), so what is due on them is the CMM; returns how many."""

    def make_child(case_number, **fields):
        holder = by_name[HOLDERS[case_number][0]]
        child = ChildFactory.create(
            realistic=True,
            **_identity(case_number, today),
            team=team,
            case_number=case_number,
            case_manager=holder,
            gender_identity=Gender.MALE,
            **fields,
        )
        Allocation.objects.create(
            child=child,
            worker=holder,
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
        panel=by_name["scm.north.1"],
        make_child=make_child,
    )
    for child in children:
        _work_so_far(child, by_name, today, work)
    return len(children)


def _work_so_far(child, by_name: dict, today: datetime.date, work: CaseRecords) -> None:
    """The first steps of the child's programme, each done on time (001 §6 table): the AssetPlus and
    the plan in the community, the YJAF upload, first contact and planning meeting on remand."""
    programme = child.programmes.get()
    start, holder, signer = programme.start_date, child.case_manager, by_name["ap.north"]
    kind = programme.kind
    if kind in (Programme.Kind.YRO, Programme.Kind.REFERRAL_ORDER):
        anchor = programme.panel_date or start
        assessed = (
            CAL.subtract_working_days(anchor, 2) if programme.panel_date else CAL.add_working_days(start, 12)
        )
        work.add_assessment(
            child, programme, holder, Assessment.Kind.ASSETPLUS, Assessment.Stage.INITIAL, assessed, signer
        )
        planned = CAL.add_working_days(anchor, 4 if programme.panel_date else 14)
        work.add_plan(child, programme, holder, Plan.Kind.INTERVENTION, planned)
    elif kind == Programme.Kind.REMAND:
        for day, event_type, summary in (
            (
                start + datetime.timedelta(days=1),
                EventType.YJAF_ENTERING_CUSTODY,
                "Entering Custody stage uploaded to YJAF",
            ),
            (
                CAL.add_working_days(start, 4),
                EventType.PLANNING_MEETING,
                "Initial planning meeting held at the establishment",
            ),
        ):
            work.events.append(
                Event(child=child, author=holder, occurred_on=day, event_type=event_type, summary=summary)
            )
        work.add_contact(
            child,
            programme,
            holder,
            Contact.Kind.WELFARE_VISIT,
            CAL.add_working_days(start, 3),
            Contact.Outcome.KEPT,
        )


# The girl the README's allocation walk allocates (003 §2.2): new to South, waiting for a case manager.
GIRL = ("YJ900011", "Ruby", "Thornleigh", 14)


def waiting_girl(by_name: dict, team, today: datetime.date) -> int:
    """YJ900011, Ruby Thornleigh, 14: a referral order made two working days ago in South, not yet
    allocated, for tm.south to try the allocation checks on (003 §2.1 capacity and absence, §2.2 a girl
    allocated a female case manager). Returns how many children it made (one)."""
    number, first, last, age = GIRL
    child = ChildFactory.create(
        team=team,
        case_number=number,
        first_name=first,
        last_name=last,
        date_of_birth=birthday(today, age, 120),
        gender_identity=Gender.FEMALE,
        rosh=RiskLevel.LOW,
        saw=RiskLevel.MEDIUM,
        lor=RiskLevel.MEDIUM,
        case_manager=None,
    )
    start = CAL.subtract_working_days(today, 2)
    Programme.objects.create(
        child=child,
        kind=Programme.Kind.REFERRAL_ORDER,
        start_date=start,
        length_months=6,
        panel_date=CAL.add_working_days(start, 15),
        created_by=by_name["tm.south"],
    )
    return 1
