"""Demo data for MAPPA (001 §8): eight children across the locality teams managed under MAPPA (categories
1-3, levels 1 and 2 with level changes, one Form H outstanding, one record ended), the MAPPA level 1
meeting the meetings demo books for YJ900010 linked through that child's level 1 record, a held level 1
meeting with its minutes sent, last quarter's share of the register, and this quarter's share task for
the development manager. Rows are created directly; seed_demo recomputes every child's obligations.
"""

import datetime

from cases.models import Child, RiskLevel, User
from core.models import Task
from mappa.models import (
    CRITERION_CATEGORY,
    CUSTODY_CRITERIA,
    Criterion,
    MappaLevel,
    MappaRecord,
    RegisterShare,
)
from mappa.selectors.register import previous_quarter, quarter_bounds, quarter_of
from mappa.services.records import INITIAL_REASON
from mappa.services.share import mappa_share_task_ensure
from meetings.models import Meeting, MeetingKind

from .common import CAL, aware

# The meetings demo's MAPPA level 1 child (meeting_journeys.py): a level 1 meeting is booked for them.
MEETINGS_MAPPA_CHILD = "YJ900010"


def clear() -> None:
    """Remove this module's demo rows before seed_demo rebuilds the service."""
    Task.objects.filter(source__startswith="mappa-share:").delete()
    RegisterShare.objects.all().delete()
    MappaLevel.objects.all().delete()
    MappaRecord.objects.all().delete()


def _pick(team_prefix: str, count: int, taken: set[int]) -> list[Child]:
    """Allocated open children of a team, High or Very High RoSH first, from the end of the list (so the
    other journeys, which take the first children, are left alone)."""
    qs = (
        Child.objects.filter(team__name__startswith=team_prefix, is_open=True, case_manager__isnull=False)
        .filter(case_number__startswith="YJ2")  # seed_demo's children, not another journey's
        .exclude(pk__in=taken)
        .select_related("team", "case_manager")
        .order_by("-pk")
    )
    children = list(qs[:200])
    children.sort(key=lambda c: c.rosh not in (RiskLevel.HIGH, RiskLevel.VERY_HIGH))
    chosen = children[:count]
    taken.update(c.pk for c in chosen)
    return chosen


def _record(*, child, criterion, offence, identified, recorder, today, form_h=True, levels, ended=None):
    """A MAPPA record with its level history [(level, from, reason)], Form H two working days on."""
    record = MappaRecord.objects.create(
        child=child,
        category=int(CRITERION_CATEGORY[criterion]),
        criterion=criterion,
        offence=offence,
        # 001 §8 category 2 custody criteria: a sentence of 12 months or more (here two years).
        custody_months=24 if criterion in CUSTODY_CRITERIA else None,
        identified_on=identified,
        form_h_sent_on=min(CAL.add_working_days(identified, 2), today) if form_h else None,
        form_h_sent_by=recorder if form_h else None,
        current_level=levels[-1][0],
        ended_on=ended[0] if ended else None,
        end_reason=ended[1] if ended else "",
        recorded_by=recorder,
    )
    MappaLevel.objects.bulk_create(
        MappaLevel(record=record, level=level, set_on=day, reason=reason, set_by=recorder)
        for level, day, reason in levels
    )
    return record


def _held_level_1(*, child, chair, held: datetime.date, minutes_sent: datetime.date) -> Meeting:
    """A MAPPA level 1 information sharing meeting held and finalised, minutes sent to the MAPPA unit."""
    return Meeting.objects.create(
        child=child,
        kind=MeetingKind.MAPPA_LEVEL_1,
        status=Meeting.Status.FINALISED,
        reason="MAPPA level 1 information sharing meeting (001 §8)",
        starts_at=aware(held, 14),
        held_at=aware(held, 14),
        venue="Locality office, meeting room 1",
        chair=chair,
        case_manager=child.case_manager,
        booked_by=chair,
        attendees="Team manager (chair), case manager, police MAPPA officer, probation officer",
        circumstances="Living at home, attending education; licence conditions kept.",
        rosh_analysis="Risk of serious harm to peers remains; no imminence indicated.",
        risk_management_plan="Police share intelligence weekly; curfew checks by the case manager.",
        current_rosh=child.rosh,
        current_saw=child.saw,
        current_lor=child.lor,
        revised_rosh=child.rosh,
        revised_saw=child.saw,
        revised_lor=child.lor,
        actions_recorded_on=held,
        finalised_on=CAL.add_working_days(held, 2),
        finalised_by=chair,
        mappa_minutes_sent_on=minutes_sent,
    )


def build(*, staff, today, rnd) -> None:
    """Add this module's demo rows (after children, meetings and supervision exist)."""
    by_name = {u.username: u for u in User.objects.filter(pk__in=[u.pk for u in staff])}
    slugs = ("north", "south", "west")
    tm = {slug: user for slug in slugs if (user := by_name.get(f"tm.{slug}")) is not None}
    if len(tm) < len(slugs):
        return
    ap = {slug: by_name.get(f"ap.{slug}") or tm[slug] for slug in slugs}
    days = datetime.timedelta
    taken: set[int] = set()
    north, south, west = _pick("North", 2, taken), _pick("South", 2, taken), _pick("West", 3, taken)

    # The meetings journey's MAPPA child: level 1 since the programme started 8 weeks ago, so the level 1
    # meeting falls due in 3 weeks, where the meetings demo has booked it.
    journey = Child.objects.filter(case_number=MEETINGS_MAPPA_CHILD).select_related("team").first()
    if journey is not None:
        start = journey.programmes.order_by("start_date").values_list("start_date", flat=True).first()
        identified = start or today - days(weeks=8)
        recorder = tm["north"] if journey.team_id == tm["north"].team_id else by_name.get("sm", tm["north"])
        _record(
            child=journey, criterion=Criterion.SCH15_CUSTODY, offence="Wounding with intent (s.18 OAPA 1861)",
            identified=identified, recorder=recorder, today=today,
            levels=[(1, identified, INITIAL_REASON)],
        )  # fmt: skip
    if len(north) >= 2:
        # Identified this week: Form H still to send.
        _record(
            child=north[0], criterion=Criterion.REGISTERED_SEXUAL_OFFENDER, offence="Sexual assault",
            identified=CAL.on_or_before(today - days(days=3)), recorder=tm["north"], today=today, form_h=False,
            levels=[(1, CAL.on_or_before(today - days(days=3)), INITIAL_REASON)],
        )  # fmt: skip
        # Escalated from level 1 to level 2 after a further incident, before a level 1 meeting fell due.
        first = CAL.on_or_before(today - days(days=110))
        _record(
            child=north[1], criterion=Criterion.OTHER_DANGEROUS, offence="Possession of a bladed article; threats",
            identified=first, recorder=tm["north"], today=today,
            levels=[
                (1, first, INITIAL_REASON),
                (2, CAL.on_or_before(today - days(days=60)),
                 "Further incident of threats with a weapon; AssetPlus concluded RoSH cannot be managed at "
                 "level 1. Agreed with the team manager; referred to the MAPPA co-ordinator."),
            ],
        )  # fmt: skip
    if len(south) >= 2:
        first = CAL.on_or_before(today - days(days=90))
        _record(
            child=south[0], criterion=Criterion.HOSPITAL_ORDER, offence="Arson with intent to endanger life",
            identified=first, recorder=tm["south"], today=today,
            levels=[(2, first, "Hospital order: multi-agency management needed from the start")],
        )  # fmt: skip
        # Stepped down from level 2 to level 1, with a level 1 meeting held since and minutes sent.
        first = CAL.on_or_before(today - days(days=200))
        down = CAL.on_or_before(today - days(days=40))
        _record(
            child=south[1], criterion=Criterion.SCH15_CUSTODY, offence="Robbery (Schedule 15)",
            identified=first, recorder=tm["south"], today=today,
            levels=[
                (2, first, INITIAL_REASON),
                (1, down, "Risk reduced on release; the MAPPA level 2 meeting agreed the lowest defensible level "
                 "is now level 1, managed by the YJS through CMMs."),
            ],
        )  # fmt: skip
        held = CAL.on_or_before(today - days(days=20))
        _held_level_1(
            child=south[1], chair=tm["south"], held=held, minutes_sent=CAL.add_working_days(held, 5)
        )
    if len(west) >= 3:
        first = CAL.on_or_before(today - days(days=30))
        _record(
            child=west[0], criterion=Criterion.REGISTERED_SEXUAL_OFFENDER, offence="Sexual activity with a child",
            identified=first, recorder=ap["west"], today=today, levels=[(1, first, INITIAL_REASON)],
        )  # fmt: skip
        first = CAL.on_or_before(today - days(days=45))
        _record(
            child=west[1], criterion=Criterion.CUSTODY_HOSPITAL_TRANSFER,
            offence="Grievous bodily harm with intent (Schedule 15)",
            identified=first, recorder=tm["west"], today=today,
            levels=[(2, first, "Transferred to hospital under s.47 MHA 1983 during the custodial sentence")],
        )  # fmt: skip
        # No longer managed under MAPPA: the order ended; the record stays as history.
        first = CAL.on_or_before(today - days(days=300))
        _record(
            child=west[2], criterion=Criterion.OTHER_DANGEROUS, offence="Affray",
            identified=first, recorder=tm["west"], today=today, levels=[(1, first, INITIAL_REASON)],
            ended=(CAL.on_or_before(today - days(days=21)), "Order completed; the MAPPA unit agreed to end management"),
        )  # fmt: skip

    # Last quarter's share with the MAPPA unit; this quarter's task for the development manager.
    dev = by_name.get("devmgr")
    if dev is not None:
        last = previous_quarter(quarter_of(today))
        shared_on = CAL.subtract_working_days(quarter_bounds(last)[1], 2)
        RegisterShare.objects.create(
            quarter=last, shared_on=shared_on, shared_by=dev, rows=MappaRecord.objects.count() - 1
        )
        mappa_share_task_ensure(today=today, assignees=[dev])
