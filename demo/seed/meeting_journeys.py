"""Fresh North cases for the team manager to run every CMM type (000 §1.1), from booking to PDF, and
meetings at each stage: an overdue risk review, a compliance, re-offending and bail strategy CMM due, a
release review held yesterday with its record open, a combined CSC meeting and a booked MAPPA level 1
meeting (README). All names and text are fictional."""

import datetime

from django.db import transaction

from cases.models import Child, Contact, Programme, RiskLevel
from meetings import services
from meetings.models import Meeting, MeetingKind

from .common import CAL, aware


@transaction.atomic
def build_journeys(*, today: datetime.date, team, tm, panel, make_child) -> list[Child]:
    """Fresh North cases for tm.north to run every CMM type (000 §1.1), and meetings at each stage.

    `make_child(case_number, **fields)` creates a child in `team`, held by its case manager (journeys.py
    spreads them over North's case holders); each record below is that case manager's.
    """
    now = aware(today, 8)  # the demo's "now" follows --today, so a past demo year still books ahead
    children = []
    # A risk review overdue: YRO started five months ago, Medium RoSH (000 §1.3).
    risk = make_child("YJ900004", rosh=RiskLevel.MEDIUM, saw=RiskLevel.MEDIUM, lor=RiskLevel.MEDIUM)
    Programme.objects.create(
        child=risk,
        kind=Programme.Kind.YRO,
        start_date=today - datetime.timedelta(weeks=13),
        length_months=12,
        created_by=tm,
    )
    children.append(risk)
    # A compliance CMM due: an unacceptable failure three working days ago; looked after, open to CSC.
    compliance = make_child(
        "YJ900005",
        rosh=RiskLevel.LOW,
        saw=RiskLevel.MEDIUM,
        lor=RiskLevel.MEDIUM,
        looked_after=True,
        open_to_csc=True,
    )
    programme = Programme.objects.create(
        child=compliance,
        kind=Programme.Kind.REFERRAL_ORDER,
        start_date=today - datetime.timedelta(weeks=6),
        length_months=9,
        panel_date=today - datetime.timedelta(weeks=5),
        created_by=tm,
    )
    for weeks, outcome, why in (
        (4, Contact.Outcome.KEPT, ""),
        (3, Contact.Outcome.ACCEPTABLE_FAILURE, "Hospital appointment; letter provided."),
        (2, Contact.Outcome.KEPT, ""),
    ):
        Contact.objects.create(
            child=compliance,
            programme=programme,
            kind=Contact.Kind.FACE_TO_FACE,
            date=today - datetime.timedelta(weeks=weeks),
            time=datetime.time(15),
            outcome=outcome,
            explanation=why,
            worker=compliance.case_manager,
            author=compliance.case_manager,
        )
    Contact.objects.create(
        child=compliance,
        programme=programme,
        kind=Contact.Kind.FACE_TO_FACE,
        date=CAL.subtract_working_days(today, 3),
        time=datetime.time(16),
        outcome=Contact.Outcome.UNACCEPTABLE_FAILURE,
        explanation="Said he forgot; no contact made with the office.",
        worker=compliance.case_manager,
        author=compliance.case_manager,
    )
    children.append(compliance)
    # Re-offending: sentenced five days ago on a new order without a PSR (000 §1.3).
    reoffending = make_child("YJ900006", rosh=RiskLevel.HIGH, saw=RiskLevel.MEDIUM, lor=RiskLevel.HIGH)
    Programme.objects.create(
        child=reoffending,
        kind=Programme.Kind.YRO,
        start_date=today - datetime.timedelta(weeks=9),
        length_months=12,
        created_by=tm,
    )
    children.append(reoffending)
    # Bail strategy: on remand, with a bail application listed in ten days.
    bail = make_child("YJ900007", rosh=RiskLevel.MEDIUM, saw=RiskLevel.HIGH, lor=RiskLevel.MEDIUM)
    Programme.objects.create(
        child=bail, kind=Programme.Kind.REMAND, start_date=today - datetime.timedelta(days=20), created_by=tm
    )
    children.append(bail)
    # Release review: DTO licence from release three weeks ago (000 §1.3: within one month of release).
    release = make_child("YJ900008", rosh=RiskLevel.HIGH, saw=RiskLevel.MEDIUM, lor=RiskLevel.MEDIUM)
    Programme.objects.create(
        child=release,
        kind=Programme.Kind.DTO_LICENCE,
        start_date=today - datetime.timedelta(weeks=3),
        length_months=3,
        created_by=tm,
    )
    children.append(release)
    # Combined CSC meeting: Low RoSH, Medium SaW, open to CSC, risk review due soon (000 §1.4).
    csc = make_child(
        "YJ900009", rosh=RiskLevel.LOW, saw=RiskLevel.MEDIUM, lor=RiskLevel.MEDIUM, open_to_csc=True
    )
    Programme.objects.create(
        child=csc,
        kind=Programme.Kind.YRO,
        start_date=today - datetime.timedelta(weeks=10),
        length_months=12,
        created_by=tm,
    )
    children.append(csc)
    # MAPPA level 1: a High RoSH child convicted of a Schedule 15 offence (001 §8); the level 1 meeting
    # follows the CMM timescales, so it is booked for the risk review due in three weeks.
    mappa = make_child("YJ900010", rosh=RiskLevel.HIGH, saw=RiskLevel.LOW, lor=RiskLevel.MEDIUM)
    Programme.objects.create(
        child=mappa,
        kind=Programme.Kind.YRO,
        start_date=today - datetime.timedelta(weeks=8),
        length_months=12,
        created_by=tm,
    )
    children.append(mappa)

    # The levels were agreed when each programme started (the risk-review chain's anchor, 000 §1.3).
    for child in children:
        start = child.programmes.order_by("start_date").values_list("start_date", flat=True).first()
        Child.history.filter(id=child.pk).update(history_date=aware(start, 9))

    # Records that call the CMMs, and meetings already under way, through the services (seed_demo keeps
    # their invitations out of the mail).
    services.further_offence_record(
        child=reoffending,
        user=reoffending.case_manager,
        description="Theft from a shop while on the order; new YRO requirement added.",
        offence_date=today - datetime.timedelta(days=40),
        sentence_date=today - datetime.timedelta(days=5),
        today=today,
    )
    services.bail_application_record(
        child=bail,
        user=bail.case_manager,
        bail_date=today + datetime.timedelta(days=10),
        court="County Youth Court",
        today=today,
    )
    # A booked meeting: the MAPPA level 1 meeting in three weeks, invitations sent.
    services.meeting_book(
        child=mappa,
        user=tm,
        kind=MeetingKind.MAPPA_LEVEL_1,
        for_obligation="cmm.risk_review",
        starts_at=aware(CAL.on_or_before(today + datetime.timedelta(days=21)), 14),
        chair=tm,
        case_manager=mappa.case_manager,
        panel_members=[panel],
        venue="Locality office, meeting room 1",
        reason="MAPPA level 1 review of risk of serious harm (001 §8)",
        invitees=[
            {"name": "PC Demo Officer", "agency": "Police", "email": "police.demo@example.invalid"},
            {
                "name": "Demo Probation Officer",
                "agency": "Probation",
                "email": "probation.demo@example.invalid",
            },
        ],
        now=now,
    )
    # A held meeting with its record in progress: the release review held yesterday.
    held_day = CAL.subtract_working_days(today, 1)
    meeting = services.meeting_book(
        child=release,
        user=tm,
        kind=MeetingKind.RELEASE,
        starts_at=now + datetime.timedelta(days=15),
        chair=tm,
        case_manager=release.case_manager,
        panel_members=[panel],
        venue="Secure estate video link",
        reason="Release from custody review (000 §1.3)",
        invitees=[{"name": "Demo Resettlement Worker", "agency": "Secure estate", "email": ""}],
        now=now,
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=aware(held_day, 11))
    meeting.refresh_from_db()
    services.meeting_held_record(
        meeting=meeting,
        user=tm,
        held_at=aware(held_day, 11),
        attended=list(meeting.invitations.values_list("pk", flat=True)),
        attendees=f"{tm.get_full_name()} (chair), {release.case_manager.get_full_name()} (case manager), "
        f"{panel.get_full_name()} (standing panel member), Demo Resettlement Worker (secure estate)",
        now=now,
    )
    return children
