"""The unsaved rows a child's case work is made of (assessments, plans, contacts, allocations and the
events they put on the timeline), gathered for bulk creation: `cases.CaseWork` builds them per
programme, and the CMM history and sign-off queues add assessments through the same methods."""

import datetime

from cases.models import Allocation, Assessment, Contact, Event, EventType, Plan, Role

from .common import CAL, aware


class CaseRecords:
    """Gathers one child's records (unsaved) at a time, for bulk creation by `flush`."""

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

    def add_assessment(
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
            a.submitted_at = aware(self.today - datetime.timedelta(days=self.rnd.randint(0, 4)))
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
        a.submitted_at = aware(a.gatekept_on or on)
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

    def add_plan(self, child, programme, author, kind, on, reviews=None, review=False):
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

    def add_contact(self, child, programme, author, kind, day, outcome, explanation=""):
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
