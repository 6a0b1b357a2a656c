"""Court tracking services (003 §9-§10, App. C): the screening's band proposal, the BSS refusal, the
programme and its timescales through the rules module (48-hour allocation across the clock change,
contact in 5 days, monthly, face to face every 3 months), the oversight and ending, and the App. C
screening leading to My Futures."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Allocation, Event, EventType, Obligation, Programme, RiskLevel, Role
from cases.services.core import child_obligations_refresh
from core.models import AuditEntry
from courts import services
from courts.models import AwaitingHearing, Band, CrownCourtTracking, Seriousness
from courts.selectors import tracking as selectors
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Tuesday in term time, no bank holiday near.
NOW = datetime.datetime(2025, 3, 11, 15, 0, tzinfo=LONDON)
FIRST = datetime.datetime(2025, 3, 10, 10, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def pinned():
    """Pin the clock: the services read it for "not in the future"."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def business_support(north):
    """North's business support officer (003 §9.6)."""
    return UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=north)


@pytest.fixture
def low_child(north, case_manager):
    """A North child with Low RoSH and Medium SaW: Band A unless the offence is serious."""
    return ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.MEDIUM)


def start(child, user, **kw):
    """Start tracking through the service with a medium-seriousness offence yesterday."""
    data = {
        "first_appearance_at": FIRST,
        "offence": "Robbery",
        "seriousness": Seriousness.MEDIUM,
        "band": Band.A,
        "rosh": child.rosh,
        "saw": child.saw,
    }
    data.update(kw)
    return services.crown_court_start(child=child, user=user, **data)


def codes(child) -> dict[str, list[Obligation]]:
    """The child's obligations grouped by code."""
    rows: dict[str, list[Obligation]] = {}
    for o in child.obligations.order_by("position"):
        rows.setdefault(o.code, []).append(o)
    return rows


# ---------------------------------------------------------------------------------------------------
# The screening (003 §9.2)


@pytest.mark.parametrize(
    "seriousness, rosh, saw, band",
    [
        (Seriousness.HIGH, RiskLevel.LOW, RiskLevel.LOW, Band.B),
        (Seriousness.LOW, RiskLevel.HIGH, RiskLevel.LOW, Band.B),
        (Seriousness.LOW, RiskLevel.LOW, RiskLevel.VERY_HIGH, Band.B),
        (Seriousness.MEDIUM, RiskLevel.VERY_HIGH, "", Band.B),
        (Seriousness.MEDIUM, RiskLevel.MEDIUM, RiskLevel.MEDIUM, Band.A),
        (Seriousness.LOW, "", "", Band.A),
    ],
)
def test_screening_proposes_band_b_for_high_seriousness_or_high_rosh_or_saw(seriousness, rosh, saw, band):
    """003 §9.2: Band B for high seriousness or High/Very High RoSH or SaW; Band A otherwise."""
    assert selectors.proposed_band(seriousness=seriousness, rosh=rosh, saw=saw) == band


def test_worker_band_and_band_check(low_child, team_manager):
    """A Band A worker on a Band B decision is a mismatch; a senior on Band A is above, not a mismatch."""
    tracking = CrownCourtTracking(child=low_child, band=Band.B)
    senior = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=low_child.team)
    assert selectors.band_check(tracking=tracking, worker=low_child.case_manager)["status"] == "mismatch"
    assert selectors.band_check(tracking=tracking, worker=senior)["status"] == "match"
    assert selectors.band_check(tracking=tracking, worker=None)["status"] == "unallocated"
    tracking.band = Band.A
    assert selectors.band_check(tracking=tracking, worker=low_child.case_manager)["status"] == "match"
    assert selectors.band_check(tracking=tracking, worker=senior)["status"] == "above"
    student = UserFactory(role=Role.STUDENT, team=low_child.team)
    assert selectors.band_check(tracking=tracking, worker=student)["status"] == "mismatch"


def test_manager_may_override_the_proposal_only_with_a_note(low_child, team_manager):
    """The manager confirms or overrides with a note (003 §9.2)."""
    with pytest.raises(ValidationError, match="enter a note"):
        start(low_child, team_manager, seriousness=Seriousness.HIGH, band=Band.A)
    tracking = start(
        low_child,
        team_manager,
        seriousness=Seriousness.HIGH,
        band=Band.A,
        screening_notes="Co-accused adult led",
    )
    assert tracking.band == Band.A
    assert tracking.screening_notes == "Co-accused adult led"


def test_business_support_adds_tracking_but_cannot_override(low_child, business_support):
    """003 §9.6: business support adds the programme at the proposed band; only a manager overrides."""
    with pytest.raises(ValidationError, match="only a team manager or advanced practitioner"):
        start(low_child, business_support, band=Band.B, screening_notes="Feels risky")
    tracking = start(low_child, business_support)
    assert tracking.band == Band.A and tracking.recorded_by == business_support


def test_case_manager_and_outsider_cannot_start(low_child, case_manager, outsider):
    """Only the TM/AP or business support of the child's team (or the service manager) starts tracking."""
    for user in (case_manager, outsider):
        with pytest.raises(ValidationError):
            start(low_child, user)
    assert not CrownCourtTracking.objects.exists()


def test_bss_child_is_refused(low_child, team_manager):
    """003 §9.1: tracking is for a child not on a bail supervision and support package."""
    ProgrammeFactory(child=low_child, kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT, start_date=FIRST.date())
    with pytest.raises(ValidationError, match=r"bail supervision and support.*003 §9.1"):
        start(low_child, team_manager)
    assert not low_child.programmes.filter(kind=Programme.Kind.CROWN_COURT_TRACKING).exists()


def test_ended_bss_does_not_block(low_child, team_manager):
    """A BSS package that has ended no longer blocks tracking."""
    ProgrammeFactory(
        child=low_child,
        kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT,
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 3, 1),
    )
    assert start(low_child, team_manager).pk


def test_future_first_appearance_and_second_tracking_refused(low_child, team_manager):
    """A first appearance must have happened; one running tracking at a time."""
    with pytest.raises(ValidationError, match="in the past"):
        start(low_child, team_manager, first_appearance_at=NOW + datetime.timedelta(hours=1))
    start(low_child, team_manager)
    with pytest.raises(ValidationError, match="already on Crown Court tracking"):
        start(low_child, team_manager)


def test_programme_created_with_the_first_appearance_date(low_child, team_manager):
    """003 §9.6: the crown_court_tracking programme starts on the first appearance date, linked, with a
    Court event and audit entries."""
    tracking = start(low_child, team_manager, court="Nottingham Crown Court", out_of_area_home_yjs="")
    programme = tracking.programme
    assert programme.kind == Programme.Kind.CROWN_COURT_TRACKING
    assert programme.start_date == datetime.date(2025, 3, 10)
    assert programme.end_date is None
    assert tracking.rosh == RiskLevel.LOW and tracking.saw == RiskLevel.MEDIUM
    event = Event.objects.get(child=low_child, event_type=EventType.COURT)
    assert event.source == f"crown_court:{tracking.pk}"
    assert "within 48 hours" in event.summary
    assert AuditEntry.objects.filter(
        object_type="crowncourttracking", object_id=str(tracking.pk), action=AuditEntry.Action.CREATE
    ).exists()


def test_obligations_from_the_rules(low_child, team_manager, django_capture_on_commit_callbacks):
    """The rules module places crown_court.allocate 48 hours after the first appearance (`at` given by
    cases/facts.py), contact.initial 5 days after, contact.monthly and a face to face every 3 months."""
    low_child.case_manager = None  # nobody holds the child yet: the 48 hours run
    low_child.save()
    with django_capture_on_commit_callbacks(execute=True):
        start(low_child, team_manager)
    rows = codes(low_child)
    allocate = rows["crown_court.allocate"][0]
    assert allocate.due_at == FIRST.astimezone(datetime.UTC) + datetime.timedelta(hours=48)
    assert allocate.due == datetime.date(2025, 3, 12)
    assert allocate.status == Obligation.Status.OPEN
    # 5 days after 10 March is Saturday 15 March: moved back to the last working day (timescales.md).
    assert rows["contact.initial"][0].due == datetime.date(2025, 3, 14)
    assert rows["contact.monthly"][0].due == datetime.date(2025, 4, 10)
    assert rows["contact.face_to_face"][0].due == datetime.date(2025, 6, 10)
    assert {o.basis for o in rows["crown_court.allocate"]} == {"003 §9.2"}


def test_initial_contact_on_a_bank_holiday_moves_back(low_child, team_manager):
    """5 days after Wednesday 30 April 2025 is the Early May bank holiday: due Friday 2 May."""
    first = datetime.datetime(2025, 4, 30, 11, 0, tzinfo=LONDON)
    with time_machine.travel(datetime.datetime(2025, 4, 30, 16, 0, tzinfo=LONDON), tick=False):
        start(low_child, team_manager, first_appearance_at=first)
        child_obligations_refresh(child_id=low_child.pk)
    rows = codes(low_child)
    assert rows["contact.initial"][0].due == datetime.date(2025, 5, 2)
    # Hours are never moved: 48 hours lands on Friday 2 May 11:00.
    assert rows["crown_court.allocate"][0].due_at == first.astimezone(datetime.UTC) + datetime.timedelta(
        hours=48
    )


def test_allocation_within_48_hours_meets_it(low_child, team_manager, case_manager):
    """An allocation recorded after the first appearance meets crown_court.allocate."""
    start(low_child, team_manager)
    Allocation.objects.create(
        child=low_child, worker=case_manager, started_on=NOW.date(), allocated_by=team_manager
    )
    child_obligations_refresh(child_id=low_child.pk)
    allocate = codes(low_child)["crown_court.allocate"][0]
    assert allocate.status == Obligation.Status.MET


def test_case_manager_already_in_place_has_met_the_48_hours(low_child, team_manager, case_manager):
    """003 §9.2: a child whose case manager was allocated before the first appearance has one within 48
    hours; the tracking states `allocated` at the first appearance, so no false overdue follows."""
    Allocation.objects.create(
        child=low_child, worker=case_manager, started_on=datetime.date(2024, 11, 4), allocated_by=team_manager
    )
    start(low_child, team_manager)
    with time_machine.travel(datetime.datetime(2025, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        child_obligations_refresh(child_id=low_child.pk)
    allocate = codes(low_child)["crown_court.allocate"][0]
    assert allocate.status == Obligation.Status.MET
    assert allocate.met_on == FIRST.date()


def test_case_manager_recorded_without_allocation_history_counts(low_child, team_manager):
    """A child record naming its case manager but with no allocation rows (kept before allocations were
    recorded): the case manager named when tracking starts meets the 48 hours."""
    start(low_child, team_manager)
    child_obligations_refresh(child_id=low_child.pk)
    assert codes(low_child)["crown_court.allocate"][0].status == Obligation.Status.MET


def test_allocation_ended_before_the_first_appearance_does_not_count(low_child, team_manager, case_manager):
    """An allocation that ended before the first appearance is no case manager at the tracking's start;
    the late allocation three days on is late (met_late), not made on time by the tracking."""
    Allocation.objects.create(
        child=low_child,
        worker=case_manager,
        started_on=datetime.date(2024, 6, 3),
        ended_on=datetime.date(2025, 1, 31),
        allocated_by=team_manager,
    )
    start(low_child, team_manager)
    with time_machine.travel(datetime.datetime(2025, 3, 13, 16, 0, tzinfo=LONDON), tick=False):
        Allocation.objects.create(
            child=low_child,
            worker=case_manager,
            started_on=datetime.date(2025, 3, 13),
            allocated_by=team_manager,
        )
        child_obligations_refresh(child_id=low_child.pk)
    allocate = codes(low_child)["crown_court.allocate"][0]
    assert allocate.status == Obligation.Status.MET_LATE
    assert allocate.met_on == datetime.date(2025, 3, 13)


def test_48_hours_across_the_october_clock_change(low_child, team_manager):
    """timescales.md: 48 elapsed hours across the clock change end one wall-clock hour earlier."""
    first = datetime.datetime(2025, 10, 24, 10, 0, tzinfo=LONDON)
    with time_machine.travel(datetime.datetime(2025, 10, 24, 12, 0, tzinfo=LONDON), tick=False):
        start(low_child, team_manager, first_appearance_at=first)
        child_obligations_refresh(child_id=low_child.pk)
    allocate = codes(low_child)["crown_court.allocate"][0]
    local = allocate.due_at.astimezone(LONDON)
    assert allocate.due_at == first.astimezone(datetime.UTC) + datetime.timedelta(hours=48)
    assert (local.date(), local.hour) == (datetime.date(2025, 10, 26), 9)


def test_progress_oversight_and_end(
    low_child, team_manager, case_manager, django_capture_on_commit_callbacks
):
    """The case manager records the next hearing and principles; only a manager the §9.5 oversight;
    ending closes the programme (SENTENCED) so the contact chains stop."""
    tracking = start(low_child, team_manager)
    services.crown_court_progress(
        tracking=tracking,
        user=case_manager,
        next_hearing_on=datetime.date(2025, 4, 7),
        principles=["solicitor", "details_given"],
        out_of_area_home_yjs="Derby YJS",
    )
    tracking.refresh_from_db()
    assert tracking.principles == ["details_given", "solicitor"]  # the checklist's order
    assert tracking.out_of_area_home_yjs == "Derby YJS"
    with pytest.raises(ValidationError, match="from the list"):
        services.crown_court_progress(
            tracking=tracking, user=case_manager, next_hearing_on=None, principles=["x"]
        )
    with pytest.raises(ValidationError, match="team manager or advanced practitioner"):
        services.crown_court_oversight(
            tracking=tracking, user=case_manager, trial_attendance="Attend", oversight_on=NOW.date()
        )
    services.crown_court_oversight(
        tracking=tracking,
        user=team_manager,
        trial_attendance="Attend all 5 days; rota",
        oversight_on=NOW.date(),
    )
    tracking.refresh_from_db()
    assert tracking.oversight_by == team_manager and tracking.oversight_on == NOW.date()
    with django_capture_on_commit_callbacks(execute=True):
        services.crown_court_end(
            tracking=tracking,
            user=case_manager,
            ended_on=NOW.date(),
            outcome="Referral Order 9 months",
            closure_reason=Programme.ClosureReason.SENTENCED,
        )
    tracking.refresh_from_db()
    assert tracking.ended_on == NOW.date()
    assert tracking.programme.end_date == NOW.date()
    assert tracking.programme.closure_reason == Programme.ClosureReason.SENTENCED
    assert selectors.open_tracking_for(low_child) is None
    with pytest.raises(ValidationError, match="already ended"):
        services.crown_court_end(tracking=tracking, user=case_manager, ended_on=NOW.date(), outcome="x")
    with pytest.raises(ValidationError, match="has ended"):
        services.crown_court_progress(
            tracking=tracking, user=case_manager, next_hearing_on=None, principles=[]
        )


def test_end_before_first_appearance_refused(low_child, team_manager):
    """The end date cannot be before the first appearance."""
    tracking = start(low_child, team_manager)
    with pytest.raises(ValidationError, match="on or after the first appearance"):
        services.crown_court_end(
            tracking=tracking, user=team_manager, ended_on=datetime.date(2025, 3, 1), outcome="Acquitted"
        )


# ---------------------------------------------------------------------------------------------------
# Magistrates' Court tracking (003 §10, App. C)


def listed(child, user, **kw) -> AwaitingHearing:
    """A child on the list for a hearing in nine weeks."""
    data = {
        "hearing_on": datetime.date(2025, 5, 13),
        "offence": "Criminal damage",
        "listed_on": NOW.date(),
    }
    data.update(kw)
    return services.awaiting_hearing_add(user=user, child=child, **data)


def screened(hearing, user, **kw) -> AwaitingHearing:
    """Screen with answers that suggest an offer, and offer."""
    data = {
        "adjournment_over_six_weeks": True,
        "risk_to_others": False,
        "no_other_agencies": True,
        "decision": AwaitingHearing.Decision.OFFER,
    }
    data.update(kw)
    return services.awaiting_hearing_screen(hearing=hearing, user=user, **data)


@pytest.mark.parametrize(
    "answers, offer",
    [
        ((True, False, True), True),
        ((False, True, True), True),
        ((True, True, False), False),
        ((False, False, True), False),
        ((False, False, False), False),
    ],
)
def test_app_c_suggestion(answers, offer):
    """App. C: yes to question 1 or 2, and yes to question 3, suggests considering an offer."""
    assert (
        selectors.app_c_suggests_offer(adjournment=answers[0], risk=answers[1], no_agencies=answers[2])
        is offer
    )


def test_screening_requires_all_three_answers(low_child, team_manager):
    """App. C asks all three questions; the service refuses a missing answer."""
    hearing = listed(low_child, team_manager)
    with pytest.raises(ValidationError, match="all three"):
        screened(hearing, team_manager, no_other_agencies=None)
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.PENDING


def test_decision_against_the_suggestion_needs_a_note(low_child, team_manager):
    """The questions are indicators: deciding against them needs a note."""
    hearing = listed(low_child, team_manager)
    with pytest.raises(ValidationError, match="suggest an offer"):
        screened(hearing, team_manager, decision=AwaitingHearing.Decision.NO_OFFER)
    screened(
        hearing, team_manager, decision=AwaitingHearing.Decision.NO_OFFER, decision_notes="YOS open in Derby"
    )
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.NO_OFFER
    assert hearing.screened_by == team_manager and hearing.screened_on == NOW.date()


def test_case_manager_cannot_screen(low_child, team_manager, case_manager):
    """003 §10.1: the Court lead TM/AP screens, not a case manager."""
    hearing = listed(low_child, team_manager)
    with pytest.raises(ValidationError, match="team manager or advanced practitioner"):
        screened(hearing, case_manager)
    with pytest.raises(ValidationError):
        listed(low_child, case_manager, hearing_on=datetime.date(2025, 6, 2))


def test_accepted_offer_starts_my_futures(low_child, team_manager, django_capture_on_commit_callbacks):
    """003 §10.3: an accepted offer starts a my_future programme on the day of acceptance, linked."""
    hearing = screened(listed(low_child, team_manager), team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        hearing = services.awaiting_hearing_respond(
            hearing=hearing, user=team_manager, accepted=True, responded_on=NOW.date(), notes="Mum keen"
        )
    assert hearing.decision == AwaitingHearing.Decision.ACCEPTED
    assert hearing.programme.kind == Programme.Kind.MY_FUTURE
    assert hearing.programme.start_date == NOW.date()
    assert "Accepted on 11/03/2025: Mum keen" in hearing.decision_notes
    assert Event.objects.filter(child=low_child, source=f"awaiting_hearing:{hearing.pk}").count() == 2
    # The My Future timescales follow from the programme (001 §6 table).
    assert low_child.obligations.filter(code="assessment.due").exists()
    with pytest.raises(ValidationError, match="once My Futures has been offered"):
        services.awaiting_hearing_respond(
            hearing=hearing, user=team_manager, accepted=False, responded_on=NOW.date()
        )
    with pytest.raises(ValidationError, match="can no longer change"):
        screened(hearing, team_manager)


def test_declined_offer_starts_nothing(low_child, team_manager):
    """A declined offer is recorded and no programme starts."""
    hearing = screened(listed(low_child, team_manager), team_manager)
    hearing = services.awaiting_hearing_respond(
        hearing=hearing, user=team_manager, accepted=False, responded_on=NOW.date()
    )
    assert hearing.decision == AwaitingHearing.Decision.DECLINED and hearing.programme is None
    assert not low_child.programmes.filter(kind=Programme.Kind.MY_FUTURE).exists()


def test_listing_rules(low_child, team_manager, outsider):
    """Listed today or earlier, hearing on or after; no duplicate entry for one hearing; only children
    the manager may see."""
    with pytest.raises(ValidationError, match="today or in the past"):
        listed(low_child, team_manager, listed_on=datetime.date(2025, 3, 12))
    with pytest.raises(ValidationError, match="on or after"):
        listed(low_child, team_manager, hearing_on=datetime.date(2025, 3, 1))
    listed(low_child, team_manager)
    with pytest.raises(ValidationError, match="already on the list"):
        listed(low_child, team_manager)
    south_tm = UserFactory(role=Role.TEAM_MANAGER, team=outsider.team)
    with pytest.raises(ValidationError, match="cannot add this child"):
        listed(low_child, south_tm, hearing_on=datetime.date(2025, 6, 2))


# ---------------------------------------------------------------------------------------------------
# A child already on a programme (003 §10, App. C)


def test_child_already_on_a_programme_is_screened_but_not_offered_a_second(low_child, team_manager):
    """003 §10: every child awaiting a hearing is screened, but one already on a programme (a YRO here)
    is supported by their case manager: an offer is refused with the reason, "No offer" needs no note
    even where App. C suggests an offer, and the timeline says why."""
    ProgrammeFactory(child=low_child, kind=Programme.Kind.YRO, start_date=datetime.date(2025, 1, 6))
    hearing = listed(low_child, team_manager)
    with pytest.raises(
        ValidationError, match="already on a programme .Youth Rehabilitation Order since 6 January 2025"
    ):
        screened(hearing, team_manager)
    hearing = screened(hearing, team_manager, decision=AwaitingHearing.Decision.NO_OFFER)
    assert hearing.decision == AwaitingHearing.Decision.NO_OFFER
    event = Event.objects.get(child=low_child, source=f"awaiting_hearing:{hearing.pk}")
    assert "Already on a programme (Youth Rehabilitation Order since 6 January 2025)" in event.details
    assert list(selectors.awaiting_list(user=team_manager))[0].on_programme is True


def test_programme_started_after_the_offer_starts_no_second_one(low_child, team_manager):
    """A sentence after the offer: accepting My Futures would run two programmes with duplicate
    obligations, so the answer is refused and no My Future programme starts."""
    hearing = screened(listed(low_child, team_manager), team_manager)
    ProgrammeFactory(child=low_child, kind=Programme.Kind.REFERRAL_ORDER, start_date=NOW.date())
    with pytest.raises(ValidationError, match="change the screening to No offer"):
        services.awaiting_hearing_respond(
            hearing=hearing, user=team_manager, accepted=True, responded_on=NOW.date()
        )
    assert not low_child.programmes.filter(kind=Programme.Kind.MY_FUTURE).exists()
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.OFFER


def test_ended_programme_or_parenting_order_does_not_stop_an_offer(low_child, team_manager):
    """An ended order, or a parenting order (the parent's), leaves the child free to be offered My Futures."""
    ProgrammeFactory(
        child=low_child,
        kind=Programme.Kind.YRO,
        start_date=datetime.date(2024, 1, 8),
        end_date=datetime.date(2025, 1, 7),
    )
    ProgrammeFactory(
        child=low_child, kind=Programme.Kind.PARENTING_ORDER, start_date=datetime.date(2025, 2, 3)
    )
    hearing = screened(listed(low_child, team_manager), team_manager)
    assert hearing.decision == AwaitingHearing.Decision.OFFER
