"""Demo court tracking for `seed_demo` (003 §9-§10, App. C). All names and text are fictional.

- Three children committed to the Crown Court (fresh case numbers YJ93000x, so their contacts are
  ours alone): a Band B case held by a senior case manager with trial attendance agreed (003 §9.5), a
  Band A case whose monthly contact is overdue, and a first appearance yesterday still to be allocated
  within 48 hours (003 §9.2) for tm.north to allocate.
- Six North children awaiting a Magistrates' Court hearing (003 §10, App. C): two not yet screened, two
  offered My Futures, one accepted (with its My Future programme), one with no offer.

Rows are made directly (no services: seed_demo recomputes every child's obligations afterwards).
"""

import datetime

from cases.models import Allocation, Child, Contact, Event, EventType, Gender, Programme, RiskLevel, Team
from courts.models import AwaitingHearing, Band, CrownCourtTracking, Seriousness

from ..factories import ChildFactory
from .common import aware, birthday

CROWN_NUMBERS = ("YJ930001", "YJ930002", "YJ930003")


def clear() -> None:
    """Remove this module's demo rows before seed_demo rebuilds the service."""
    AwaitingHearing.objects.all().delete()
    CrownCourtTracking.objects.all().delete()
    # The fresh children (and their programmes, contacts, events) go with seed_demo's own clear-out.


def _by_name(staff) -> dict:
    """Staff by username."""
    return {u.username: u for u in staff}


def _team(prefix: str) -> Team:
    """A locality team by its first word."""
    return Team.objects.get(name__startswith=prefix, kind=Team.Kind.LOCALITY)


def _crown(*, child, first, recorded_by, **fields) -> CrownCourtTracking:
    """A Crown Court tracking with its programme from the first appearance and its timeline entry."""
    programme = Programme.objects.create(
        child=child, kind=Programme.Kind.CROWN_COURT_TRACKING, start_date=first.date(), created_by=recorded_by
    )
    tracking = CrownCourtTracking.objects.create(
        child=child,
        programme=programme,
        first_appearance_at=first,
        rosh=child.rosh,
        saw=child.saw,
        recorded_by=recorded_by,
        **fields,
    )
    Event.objects.create(
        child=child,
        author=recorded_by,
        event_type=EventType.COURT,
        occurred_on=first.date(),
        summary=f"Crown Court tracking started: {tracking.get_band_display()} to be allocated within 48 hours",
        details=f"First appearance at {tracking.court}. Alleged offence: {tracking.offence}.",
        source=f"crown_court:{tracking.pk}",
    )
    return tracking


def _allocate(child, worker, allocated_by, on: datetime.date) -> None:
    """The case manager allocated on a day (the 48-hour allocation, 003 §9.2)."""
    child.case_manager = worker
    child.save(update_fields=["case_manager"])
    Allocation.objects.create(
        child=child,
        worker=worker,
        started_on=on,
        allocated_by=allocated_by,
        reason="Allocated for Crown Court tracking at the band the screening decided (003 §9.2).",
        checks=[],
    )


def _contact(child, worker, day: datetime.date, kind: str, notes: str) -> None:
    """A kept contact with the child and family."""
    Contact.objects.create(
        child=child,
        kind=kind,
        is_appointment=False,
        date=day,
        time=datetime.time(16, 0),
        outcome=Contact.Outcome.KEPT,
        notes=notes,
        worker=worker,
        author=worker,
    )


def _crown_court(by, today: datetime.date) -> None:
    """The three Crown Court trackings (003 §9)."""
    north, south = _team("North"), _team("South")
    tm_north, tm_south, bs_north = by["tm.north"], by["tm.south"], by["bs.north"]

    def fresh(number, team, first_name, last_name, rosh, saw, age):
        return ChildFactory.create(
            realistic=True,
            date_of_birth=birthday(today, age, int(number[-1]) * 97),
            team=team,
            case_number=number,
            first_name=first_name,
            last_name=last_name,
            rosh=rosh,
            saw=saw,
            lor=RiskLevel.MEDIUM,
            case_manager=None,
            gender_identity=Gender.MALE,
        )

    # 1. Band B, trial attendance agreed (003 §9.2, §9.5).
    child = fresh(CROWN_NUMBERS[0], north, "Rory", "Demo-Crown", RiskLevel.HIGH, RiskLevel.MEDIUM, 16)
    first = aware(today - datetime.timedelta(days=20), 10)
    scm = by["scm.north.1"]
    oversight_on = first.date() + datetime.timedelta(days=3)
    tracking = _crown(
        child=child,
        first=first,
        recorded_by=bs_north,
        offence="Wounding with intent (section 18)",
        seriousness=Seriousness.HIGH,
        band=Band.B,
        next_hearing_on=today + datetime.timedelta(days=24),
        trial_attendance="Case manager to attend each day of the five-day trial; welfare support in the "
        "breaks. Rota with scm.north.2 for days 3-4.",
        oversight_by=tm_north,
        oversight_on=oversight_on,
        principles=["details_given", "monthly_contact", "prepared", "solicitor"],
    )
    _allocate(child, scm, tm_north, first.date() + datetime.timedelta(days=1))
    _contact(
        child,
        scm,
        first.date() + datetime.timedelta(days=2),
        Contact.Kind.FACE_TO_FACE,
        "Home visit with mum.",
    )
    Event.objects.create(
        child=child,
        author=tm_north,
        event_type=EventType.COURT,
        occurred_on=oversight_on,
        summary="Crown Court tracking: management oversight of trial attendance and welfare support",
        details=tracking.trial_attendance,
        source=f"crown_court:{tracking.pk}",
    )

    # 2. Band A, the monthly contact overdue (003 §9 principles).
    child = fresh(CROWN_NUMBERS[1], south, "Kai", "Demo-Crown", RiskLevel.MEDIUM, RiskLevel.LOW, 15)
    first = aware(today - datetime.timedelta(days=45), 11)
    cm = by["cm.south.1"]
    _crown(
        child=child,
        first=first,
        recorded_by=tm_south,
        offence="Robbery (either way, committed with an adult co-accused)",
        seriousness=Seriousness.MEDIUM,
        band=Band.A,
        next_hearing_on=today + datetime.timedelta(days=40),
        principles=["details_given"],
    )
    _allocate(child, cm, tm_south, first.date() + datetime.timedelta(days=1))
    _contact(
        child,
        cm,
        first.date() + datetime.timedelta(days=3),
        Contact.Kind.PHONE,
        "Introduced myself and the duty number.",
    )

    # 3. First appearance yesterday, not yet allocated: due within 48 hours (003 §9.2).
    child = fresh(CROWN_NUMBERS[2], north, "Theo", "Demo-Crown", RiskLevel.LOW, RiskLevel.MEDIUM, 17)
    _crown(
        child=child,
        first=aware(today - datetime.timedelta(days=1), 14),
        recorded_by=bs_north,
        offence="Possession of a bladed article in a public place",
        seriousness=Seriousness.LOW,
        band=Band.A,
        out_of_area_home_yjs="",
    )


def _awaiting(by, today: datetime.date, rnd) -> None:
    """Six children awaiting a Magistrates' Court hearing (003 §10, App. C)."""
    taken = set(CROWN_NUMBERS)
    pool = list(
        # All in North, so the North court lead (tm.north, ap.north) sees the whole demo list.
        Child.objects.filter(is_open=True, team=_team("North"), case_manager__isnull=False)
        .exclude(case_number__startswith="YJ9")
        .exclude(programmes__kind=Programme.Kind.MY_FUTURE, programmes__end_date__isnull=True)
        .select_related("team")
        .order_by("-case_number")[:40]
    )
    rnd.shuffle(pool)
    children = [c for c in pool if c.case_number not in taken][:6]
    plans = [
        (AwaitingHearing.Decision.PENDING, None, 50, "Theft from a shop", ""),
        (AwaitingHearing.Decision.PENDING, None, 12, "Criminal damage", ""),
        (
            AwaitingHearing.Decision.OFFER,
            (True, False, True),
            63,
            "Possession of cannabis",
            "Long adjournment; CCE concerns.",
        ),
        (
            AwaitingHearing.Decision.OFFER,
            (False, True, True),
            30,
            "Assault by beating",
            "Speech and language needs.",
        ),
        (
            AwaitingHearing.Decision.ACCEPTED,
            (True, True, True),
            70,
            "Affray",
            "Risk to others; no agency involved.",
        ),
        (AwaitingHearing.Decision.NO_OFFER, (False, False, False), 20, "Driving without insurance", ""),
    ]
    for child, (decision, answers, days, offence, circumstances) in zip(children, plans, strict=False):
        slug = child.team.name.split()[0].lower()
        lead = by.get(f"ap.{slug}") or by[f"tm.{slug}"]
        listed = today - datetime.timedelta(days=rnd.randint(3, 10))
        hearing = AwaitingHearing(
            child=child,
            hearing_on=today + datetime.timedelta(days=days),
            offence=offence,
            listed_on=listed,
            created_by=lead,
        )
        if answers is not None:
            screened_on = listed + datetime.timedelta(days=1)
            hearing.adjournment_over_six_weeks, hearing.risk_to_others, hearing.no_other_agencies = answers
            hearing.circumstances = circumstances
            hearing.screened_by, hearing.screened_on = lead, screened_on
            hearing.decision = decision
            if decision == AwaitingHearing.Decision.ACCEPTED:
                accepted_on = min(screened_on + datetime.timedelta(days=2), today)
                hearing.decision_notes = f"Accepted on {accepted_on:%d/%m/%Y}: the family welcomed support."
                hearing.programme = Programme.objects.create(
                    child=child, kind=Programme.Kind.MY_FUTURE, start_date=accepted_on, created_by=lead
                )
        hearing.save()


def build(*, staff, today, rnd) -> None:
    """Add this module's demo rows (after children, meetings and supervision exist)."""
    by = _by_name(staff)
    _crown_court(by, today)
    _awaiting(by, today, rnd)
