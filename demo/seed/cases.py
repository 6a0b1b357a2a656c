"""The demo's case work: what a child's programme looks like as records, from its start to today or to
its end (seed_demo), over the years of the demo's history.

Mostly on time, sometimes late, occasionally missed, so every page, every due date and every month of
the compliance figures has something to show. All names are fictional (factories); nothing here runs
outside `seed_demo`.
"""

import datetime

from django.utils import timezone

from .models import (
    MEDIUM_OR_ABOVE,
    Allocation,
    Assessment,
    Contact,
    Event,
    EventType,
    Plan,
    Programme,
    Role,
)
from .rules.calendar import get_calendar

CAL = get_calendar()
REVIEWED_3_MONTHLY = {
    Programme.Kind.YRO,
    Programme.Kind.REFERRAL_ORDER,
    Programme.Kind.BAIL_SUPERVISION_SUPPORT,
}
CUSTODY = {Programme.Kind.DTO_CUSTODY, Programme.Kind.REMAND}
OOCD = {Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC, Programme.Kind.OOCD_NO_INTERVENTION}


def on_time_rate(*, team_id: int, due: datetime.date, today: datetime.date) -> float:
    """How likely a piece of work due on `due` is done on time, so the compliance figures have a trend:
    the service improves over the years, the summer holidays and December are harder, and teams differ
    a little (about 0.78 three years ago to 0.90 now)."""
    team = 0.02 * ((team_id * 7919) % 5 - 2)
    season = -0.07 if due.month in (8, 12) else 0.0
    improving = -0.035 * max(0, (today - due).days) / 365
    return 0.88 + team + season + improving


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A London wall-clock time on a day, as the aware datetime the database stores."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class CaseWork:
    """Builds one child's records (unsaved) for bulk creation."""

    def __init__(self, rnd, today):
        self.rnd = rnd
        self.today = today
        self.assessments: list[Assessment] = []
        self.plans: list[Plan] = []
        self.contacts: list[Contact] = []
        self.allocations: list[Allocation] = []
        self.events: list[Event] = []
        self.until = today  # the day the programme being built stops (today, or its end)
        self.team_id = 0  # the team of the child being built (teams differ a little in timeliness)

    def flush(self) -> None:
        """Bulk-create what has been gathered so far (plans before the reviews that point at them)."""
        Assessment.objects.bulk_create(self.assessments, batch_size=1000)
        Plan.objects.bulk_create([p for p in self.plans if p.reviews is None], batch_size=1000)
        for plan in self.plans:
            if plan.reviews is not None:
                plan.reviews_id = plan.reviews.pk
        Plan.objects.bulk_create([p for p in self.plans if p.reviews is not None], batch_size=1000)
        Contact.objects.bulk_create(self.contacts, batch_size=1000)
        Allocation.objects.bulk_create(self.allocations, batch_size=1000)
        Event.objects.bulk_create(self.events, batch_size=1000)
        for records in (self.assessments, self.plans, self.contacts, self.allocations, self.events):
            records.clear()

    def _late(self, due: datetime.date) -> datetime.date:
        """A completion date: usually a few working days early, sometimes a little late."""
        if self.rnd.random() < on_time_rate(team_id=self.team_id, due=due, today=self.today):
            return CAL.subtract_working_days(due, self.rnd.randint(0, 3))
        return CAL.add_working_days(due, self.rnd.randint(1, 6))

    def build(self, *, child, programme, manager, signers, allocator, allocate=True):
        """Allocation, assessments, plans and contacts for one child's programme, up to today or its end.

        A closed programme's work stops at its end date; the allocation ends there too. `allocate` is
        False for a child's second programme (a DTO licence after custody), whose worker is the same.
        """
        rnd, today, kind, start = self.rnd, self.today, programme.kind, programme.start_date
        ended = programme.end_date is not None and programme.end_date <= today
        until = min(programme.end_date, today) if ended else today
        self.until = until
        self.team_id = child.team_id
        if manager and allocate:
            self.allocations.append(
                Allocation(
                    child=child,
                    worker=manager,
                    role=Allocation.Role.CASE_MANAGER,
                    started_on=start,
                    ended_on=getattr(child, "demo_closed_on", None),
                    allocated_by=allocator,
                    reason="Allocated at the start of the programme.",
                    checks=[],
                )
            )
        for co in child.demo_co_workers if allocate else []:
            self.allocations.append(
                Allocation(
                    child=child,
                    worker=co,
                    role=Allocation.Role.CO_WORKER,
                    started_on=start,
                    allocated_by=allocator,
                    reason="Co-allocated for specific work.",
                    checks=[],
                )
            )
        author = manager or allocator
        self._one_off_events(child, programme, author)
        for co in child.demo_co_workers if allocate else []:
            # 003 §5.3: the agreement within 5 days, then discussions at least six-weekly.
            day = start + datetime.timedelta(days=self.rnd.randint(1, 4))
            event_type = EventType.CO_ALLOCATION_AGREEMENT
            while day <= until:
                self.events.append(
                    Event(
                        child=child,
                        author=co,
                        occurred_on=day,
                        event_type=event_type,
                        summary=f"{EventType(event_type).label} with {co}",
                    )
                )
                event_type = EventType.CO_ALLOCATION_DISCUSSION
                day += datetime.timedelta(days=self.rnd.randint(30, 44))
        manager_signer = signers["manager"]
        elevated = child.rosh in MEDIUM_OR_ABOVE or child.saw in MEDIUM_OR_ABOVE
        # Assessments (001 §6 table): when the first one falls due and how often it is reviewed.
        if kind in OOCD:
            self._assessment(
                child,
                programme,
                author,
                Assessment.Kind.OOCD,
                Assessment.Stage.INITIAL,
                CAL.friday_before(start),
                manager_signer,
                gatekeep_only=True,
            )
        elif kind == Programme.Kind.MY_FUTURE:
            self._assessment(
                child,
                programme,
                author,
                Assessment.Kind.MY_FUTURE,
                Assessment.Stage.INITIAL,
                self._late(CAL.add_working_days(start, 10)),
                manager_signer,
            )
        elif kind == Programme.Kind.PSR and programme.court_date:
            self._assessment(
                child,
                programme,
                author,
                Assessment.Kind.ASSETPLUS,
                Assessment.Stage.PSR,
                CAL.subtract_working_days(programme.court_date, 2),
                manager_signer,
            )
        elif kind in REVIEWED_3_MONTHLY or kind in CUSTODY or kind == Programme.Kind.DTO_LICENCE:
            days = 15 if kind == Programme.Kind.YRO else 10
            first = self._late(CAL.add_working_days(start, days))
            if kind == Programme.Kind.DTO_LICENCE:
                # The pre-release review before release; the first review on licence a month after it.
                first = CAL.subtract_working_days(start, rnd.randint(1, 5))
            signer = manager_signer if elevated else signers["duty"]
            done = self._assessment(
                child, programme, author, Assessment.Kind.ASSETPLUS, Assessment.Stage.INITIAL, first, signer
            )
            step = 6 if kind in CUSTODY else 3
            while done:
                due = CAL.add_months(done, step)
                if kind == Programme.Kind.DTO_LICENCE and done < start:
                    due = CAL.add_months(start, 1)
                stage = Assessment.Stage.REVIEW
                review_signer = manager_signer if elevated else None
                if due > until:
                    # Some reviews are with a manager now: the sign-off queue has real work in it.
                    if (
                        not ended
                        and elevated
                        and rnd.random() < 0.25
                        and due - today < datetime.timedelta(days=30)
                    ):
                        self._assessment(
                            child,
                            programme,
                            author,
                            Assessment.Kind.ASSETPLUS,
                            stage,
                            None,
                            review_signer,
                            awaiting=True,
                        )
                    break
                if rnd.random() < 0.07:
                    break  # a missed review: overdue on the child's "What is due"
                done = self._assessment(
                    child, programme, author, Assessment.Kind.ASSETPLUS, stage, self._late(due), review_signer
                )
        if kind == Programme.Kind.DTO_CUSTODY and programme.release_date:
            self._pre_release(child, programme, author, manager_signer)
        # Plans (001 §6 table).
        plan_kind, plan_days = {
            Programme.Kind.YRO: (Plan.Kind.INTERVENTION, 15),
            Programme.Kind.BAIL_SUPERVISION_SUPPORT: (Plan.Kind.INTERVENTION, 10),
            Programme.Kind.OOCD_INTERVENTION: (Plan.Kind.INTERVENTION, 15),
            Programme.Kind.OOCD_YCC: (Plan.Kind.INTERVENTION, 15),
            Programme.Kind.MY_FUTURE: (Plan.Kind.ACTION, 15),
            Programme.Kind.SPECIFIC_INTERVENTION: (Plan.Kind.ACTION, 10),
            Programme.Kind.REFERRAL_ORDER: (Plan.Kind.INTERVENTION, 5),
        }.get(kind, (None, 0))
        if plan_kind:
            anchor = programme.panel_date or start if kind == Programme.Kind.REFERRAL_ORDER else start
            first = self._late(CAL.add_working_days(anchor, plan_days))
            if first <= until:
                plan = self._plan(child, programme, author, plan_kind, first)
                if kind in (Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC):
                    self._plan(child, programme, author, Plan.Kind.PROFESSIONALS, first)
                step = 1 if programme.iss else 3
                if kind in (Programme.Kind.YRO, Programme.Kind.BAIL_SUPERVISION_SUPPORT):
                    done = first
                    while (due := CAL.add_months(done, step)) <= until and rnd.random() > 0.06:
                        done = self._late(due)
                        self._plan(child, programme, author, plan_kind, done, reviews=plan)
        elif kind == Programme.Kind.DTO_LICENCE:
            # 001 §6 table: the plan reviewed a month after release, then 3-monthly.
            plan = getattr(child, "demo_pre_release_plan", None)
            due = CAL.add_months(start, 1)
            while due <= until and rnd.random() > 0.06:
                done = self._late(due)
                self._plan(child, programme, author, Plan.Kind.INTERVENTION, done, reviews=plan, review=True)
                due = CAL.add_months(done, 3)
        # Contacts: appointments roughly weekly in the community, monthly welfare visits in custody.
        day = start
        gap = (25, 32) if kind in CUSTODY else (5, 13)
        while True:
            day += datetime.timedelta(days=rnd.randint(*gap))
            if ended and day > until:
                break
            if day > today + datetime.timedelta(days=10):
                break
            if day > today:
                self._contact(
                    child, programme, author, Contact.Kind.FACE_TO_FACE, day, Contact.Outcome.BOOKED
                )
                break
            if kind in CUSTODY:
                self._contact(child, programme, author, Contact.Kind.WELFARE_VISIT, day, Contact.Outcome.KEPT)
                continue
            roll = rnd.random()
            contact_kind = rnd.choice(
                [Contact.Kind.FACE_TO_FACE] * 5 + [Contact.Kind.PHONE, Contact.Kind.VIRTUAL]
            )
            if roll < 0.82:
                self._contact(child, programme, author, contact_kind, day, Contact.Outcome.KEPT)
            elif roll < 0.97:
                self._contact(
                    child,
                    programme,
                    author,
                    contact_kind,
                    day,
                    Contact.Outcome.ACCEPTABLE_FAILURE,
                    "Unwell: carer phoned in advance with a reason.",
                )
            else:
                self._contact(
                    child,
                    programme,
                    author,
                    contact_kind,
                    day,
                    Contact.Outcome.UNACCEPTABLE_FAILURE,
                    "Did not attend and gave no reason when contacted.",
                )

    def _pre_release(self, child, programme, author, signer):
        """001 §6 table (DTO custody): the AssetPlus review and pre-release plan in the 10 working days
        before release, mostly on time, sometimes a day or two late, rarely missed."""
        release = programme.release_date
        due = CAL.subtract_working_days(release, 1)
        if CAL.subtract_working_days(release, 10) > self.until:
            return
        roll = self.rnd.random()
        if roll < 0.04:
            return
        on = (
            CAL.subtract_working_days(release, self.rnd.randint(1, 8))
            if roll < 0.88
            else CAL.add_working_days(due, self.rnd.randint(1, 3))
        )
        if on > self.today:
            return
        self._assessment(
            child, programme, author, Assessment.Kind.ASSETPLUS, Assessment.Stage.PRE_RELEASE, on, signer
        )
        child.demo_pre_release_plan = self._plan(child, programme, author, Plan.Kind.PRE_RELEASE, on)

    def _one_off_events(self, child, programme, author):
        """The single recorded steps some programmes need (001 §6 table), mostly on time."""
        kind, start = programme.kind, programme.start_date
        steps = []
        if kind == Programme.Kind.REFERRAL_ORDER and programme.panel_date:
            panel = programme.panel_date
            if programme.custody_threshold:
                panel = CAL.add_working_days(start, self.rnd.randint(2, 5))
            steps.append((EventType.REFERRAL_PANEL_INITIAL, panel, "Initial panel held; contract agreed"))
        if kind == Programme.Kind.PSR and programme.court_date:
            shared = CAL.subtract_working_days(programme.court_date, 1)
            steps.append((EventType.PSR_SHARED, shared, "PSR read through with the child and their carer"))
        if kind in CUSTODY:
            uploaded = start + datetime.timedelta(days=self.rnd.randint(0, 2))
            steps.append(
                (EventType.YJAF_ENTERING_CUSTODY, uploaded, "Entering Custody stage uploaded to YJAF")
            )
            days = 5 if kind == Programme.Kind.REMAND else 10
            held = self._late(CAL.add_working_days(start, days))
            steps.append(
                (EventType.PLANNING_MEETING, held, "Initial planning meeting held at the establishment")
            )
        if kind == Programme.Kind.DTO_CUSTODY and (programme.custody_months or 0) >= 12:
            referred = self._late(CAL.add_working_days(start, 20))
            steps.append(
                (EventType.VICTIM_CONTACT_REFERRAL, referred, "Referral made to Probation victim liaison")
            )
        for event_type, day, summary in steps:
            if day <= self.until:
                self.events.append(
                    Event(
                        child=child,
                        author=author,
                        occurred_on=day,
                        event_type=event_type,
                        summary=summary,
                        details="Fictional demonstration record.",
                    )
                )

    def _assessment(
        self, child, programme, author, kind, stage, on, signer, gatekeep_only=False, awaiting=False
    ):
        """One stage: completed on `on` (gatekept the working day before), or waiting for sign-off."""
        if on is not None and on > self.today:
            return None
        by = (
            Assessment.SignOff.MANAGER
            if signer is not None and signer.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER)
            else (Assessment.SignOff.DUTY_SENIOR if signer is not None else Assessment.SignOff.CASE_HOLDER)
        )
        basis = {
            Assessment.SignOff.MANAGER: "001 App. 1: completed by a TM/AP",
            Assessment.SignOff.DUTY_SENIOR: "001 App. 1: initial assessments are gatekept by the senior duty worker",
            Assessment.SignOff.CASE_HOLDER: "001 App. 1: Low/Low reviews are completed by the case holder",
        }[by]
        a = Assessment(
            child=child,
            programme=programme,
            kind=kind,
            stage=stage,
            rosh=child.rosh,
            saw=child.saw,
            lor=child.lor,
            rosh_rationale="Fictional demonstration rationale.",
            saw_rationale="Fictional demonstration rationale.",
            lor_rationale="Fictional demonstration rationale.",
            summary="Fictional demonstration assessment.",
            author=author,
            sign_off_by=by,
            sign_off_basis=basis,
        )
        if awaiting:
            a.status = Assessment.Status.AWAITING_SIGN_OFF
            a.assigned_to = signer
            a.submitted_at = _aware(self.today - datetime.timedelta(days=self.rnd.randint(0, 4)))
            self.assessments.append(a)
            return None
        gatekeeper = signer or author
        a.gatekept_by = gatekeeper if signer else None
        a.gatekept_on = CAL.subtract_working_days(on, 1) if signer else None
        if gatekeep_only:
            a.gatekept_on = on
        a.status = Assessment.Status.COMPLETED
        a.completed_by = gatekeeper
        a.completed_on = on
        a.levels_agreed = True
        a.completion_comments = "Agree with the levels; plan reflects the risks identified."
        a.submitted_at = _aware(a.gatekept_on or on)
        self.assessments.append(a)
        label = "AssetPlus" if kind == Assessment.Kind.ASSETPLUS else a.get_kind_display()
        self.events.append(
            Event(
                child=child,
                author=gatekeeper,
                occurred_on=on,
                event_type=EventType.ASSETPLUS_COMPLETION
                if kind == Assessment.Kind.ASSETPLUS
                else EventType.ASSESSMENT,
                summary=f"{label}: {a.get_stage_display().lower()} completed by {gatekeeper}",
                details=a.completion_comments,
                source="assessment:demo",
            )
        )
        return on

    def _plan(self, child, programme, author, kind, on, reviews=None, review=False):
        """A plan completed on `on`; a review of `reviews` (or, with `review`, of a plan kept elsewhere)."""
        review = review or reviews is not None
        plan = Plan(
            child=child,
            programme=programme,
            kind=kind,
            is_review=review,
            reviews=reviews,
            completed_on=on,
            objectives="Fictional demonstration plan: ETE, family work, victim awareness.",
            author=author,
        )
        self.plans.append(plan)
        self.events.append(
            Event(
                child=child,
                author=author,
                occurred_on=on,
                event_type=EventType.PLAN,
                summary=("Review of " if review else "") + plan.get_kind_display().lower(),
                source="plan:demo",
            )
        )
        return plan

    def _contact(self, child, programme, author, kind, day, outcome, explanation=""):
        self.contacts.append(
            Contact(
                child=child,
                programme=programme,
                kind=kind,
                date=day,
                time=datetime.time(self.rnd.choice([10, 11, 14, 15, 16])),
                outcome=outcome,
                explanation=explanation,
                worker=author,
                author=author,
                is_appointment=kind != Contact.Kind.WELFARE_VISIT,
            )
        )
        if outcome != Contact.Outcome.BOOKED:
            self.events.append(
                Event(
                    child=child,
                    author=author,
                    occurred_on=day,
                    event_type=EventType.CONTACT,
                    summary=f"{Contact.Kind(kind).label}: {Contact.Outcome(outcome).label.lower()}",
                    details=explanation,
                    source="contact:demo",
                )
            )
