"""The demo's case work: what a year of a child's programme looks like as records (seed_demo).

Mostly on time, sometimes late, occasionally missed, so every page and every due date has something
to show. All names are fictional (factories); nothing here runs outside `seed_demo`.
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

    def _late(self, due: datetime.date) -> datetime.date:
        """A completion date: usually a few working days early, sometimes a little late."""
        if self.rnd.random() < 0.85:
            return CAL.subtract_working_days(due, self.rnd.randint(0, 3))
        return CAL.add_working_days(due, self.rnd.randint(1, 6))

    def build(self, *, child, programme, manager, signers, allocator):
        """Allocation, assessments, plans and contacts for one child's programme, up to today."""
        rnd, today, kind, start = self.rnd, self.today, programme.kind, programme.start_date
        if manager:
            self.allocations.append(
                Allocation(
                    child=child,
                    worker=manager,
                    role=Allocation.Role.CASE_MANAGER,
                    started_on=start,
                    allocated_by=allocator,
                    reason="Allocated at the start of the programme.",
                    checks=[],
                )
            )
        for co in child.demo_co_workers:
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
        for co in child.demo_co_workers:
            # 003 §5.3: the agreement within 5 days, then discussions at least six-weekly.
            day = start + datetime.timedelta(days=self.rnd.randint(1, 4))
            event_type = EventType.CO_ALLOCATION_AGREEMENT
            while day <= today:
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
                first = CAL.subtract_working_days(start, rnd.randint(1, 5))
            signer = manager_signer if elevated else signers["duty"]
            done = self._assessment(
                child, programme, author, Assessment.Kind.ASSETPLUS, Assessment.Stage.INITIAL, first, signer
            )
            step = 6 if kind in CUSTODY else 3
            while done:
                due = CAL.add_months(done, step)
                stage = Assessment.Stage.REVIEW
                review_signer = manager_signer if elevated else None
                if due > today:
                    # Some reviews are with a manager now: the sign-off queue has real work in it.
                    if elevated and rnd.random() < 0.25 and due - today < datetime.timedelta(days=30):
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
            if first <= today:
                plan = self._plan(child, programme, author, plan_kind, first)
                if kind in (Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC):
                    self._plan(child, programme, author, Plan.Kind.PROFESSIONALS, first)
                step = 1 if programme.iss else 3
                if kind in (Programme.Kind.YRO, Programme.Kind.BAIL_SUPERVISION_SUPPORT):
                    done = first
                    while (due := CAL.add_months(done, step)) <= today and rnd.random() > 0.06:
                        done = self._late(due)
                        self._plan(child, programme, author, plan_kind, done, reviews=plan)
        # Contacts: appointments roughly weekly in the community, monthly welfare visits in custody.
        day = start
        gap = (25, 32) if kind in CUSTODY else (5, 13)
        while True:
            day += datetime.timedelta(days=rnd.randint(*gap))
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
            if day <= self.today:
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

    def _plan(self, child, programme, author, kind, on, reviews=None):
        plan = Plan(
            child=child,
            programme=programme,
            kind=kind,
            is_review=reviews is not None,
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
                summary=("Review of " if reviews else "") + plan.get_kind_display().lower(),
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
