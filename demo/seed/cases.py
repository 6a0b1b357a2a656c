"""The demo's case work: what a child's programme looks like as records, from its start to today or to
its end (seed_demo), over the years of the demo's history.

Mostly on time, sometimes late, occasionally missed, so every page, every due date and every month of
the compliance figures has something to show. All names are fictional (factories); nothing here runs
outside `seed_demo`.
"""

import datetime

from cases.models import MEDIUM_OR_ABOVE, Allocation, Assessment, Contact, Event, EventType, Plan, Programme

from .children import PlannedChild
from .common import CAL, may_miss, on_time_rate
from .records import CaseRecords

REVIEWED_3_MONTHLY = {
    Programme.Kind.YRO,
    Programme.Kind.REFERRAL_ORDER,
    Programme.Kind.BAIL_SUPERVISION_SUPPORT,
}
CUSTODY = {Programme.Kind.DTO_CUSTODY, Programme.Kind.REMAND}
OOCD = {Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC, Programme.Kind.OOCD_NO_INTERVENTION}
# Contacts, assessments and plans are structured records (CaseWork); these are the other notes. Case
# discussions are records too (discussions.py), so no generic "Management Oversight - Supervision" notes
# here: they would count as discussions twice.
EVENT_MIX = [
    (EventType.HOME_VISIT, "Home visit to confirm address and living arrangements"),
    (EventType.CMM_ACTIONS, "CMM actions recorded: safety plan refreshed, ETE referral"),
    (EventType.MANAGEMENT_OVERSIGHT_PANEL, "Management Oversight by OOCD panel: intervention agreed"),
    (EventType.SAFEGUARDING, "Safeguarding concern shared with the allocated social worker"),
    (EventType.COURT, "Court update: adjourned for reports"),
    (EventType.NOTE, "Email from school: attendance improving this half term"),
]


class CaseWork(CaseRecords):
    """Builds one child's records (unsaved) for bulk creation, programme by programme."""

    def _late(self, due: datetime.date) -> datetime.date:
        """A completion date: usually a few working days early, sometimes a little late."""
        if self.rnd.random() < on_time_rate(team_id=self.team_id, due=due, today=self.today):
            return CAL.subtract_working_days(due, self.rnd.randint(0, 3))
        return CAL.add_working_days(due, self.rnd.randint(1, 6))

    def build(
        self, *, child, programme, manager, signers, allocator, allocate=True, closed_on=None, co_workers=()
    ):
        """Allocation, assessments, plans and contacts for one child's programme, up to today or its end.

        A closed programme's work stops at its end date; the allocation ends there too, or on `closed_on`,
        the day the child's record closed. `allocate` is False for a child's second programme (a DTO
        licence after custody), whose worker is the same; the first also co-allocates `co_workers`.
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
                    ended_on=closed_on,
                    allocated_by=allocator,
                    reason="Allocated at the start of the programme.",
                    checks=[],
                )
            )
        for co in co_workers if allocate else []:
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
        for co in co_workers if allocate else []:
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
            self.add_assessment(
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
            self.add_assessment(
                child,
                programme,
                author,
                Assessment.Kind.MY_FUTURE,
                Assessment.Stage.INITIAL,
                self._late(CAL.add_working_days(start, 10)),
                manager_signer,
            )
        elif kind == Programme.Kind.PSR and programme.court_date:
            self.add_assessment(
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
            done = self.add_assessment(
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
                        self.add_assessment(
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
                if rnd.random() < 0.07 and (ended or may_miss(due, today)):
                    break  # a missed review: overdue on the child's "What is due" (recent, if open)
                done = self.add_assessment(
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
                plan = self.add_plan(child, programme, author, plan_kind, first)
                if kind in (Programme.Kind.OOCD_INTERVENTION, Programme.Kind.OOCD_YCC):
                    self.add_plan(child, programme, author, Plan.Kind.PROFESSIONALS, first)
                step = 1 if programme.iss else 3
                if kind in (Programme.Kind.YRO, Programme.Kind.BAIL_SUPERVISION_SUPPORT):
                    done = first
                    while (due := CAL.add_months(done, step)) <= until and (
                        rnd.random() > 0.06 or not (ended or may_miss(due, today))
                    ):
                        done = self._late(due)
                        self.add_plan(child, programme, author, plan_kind, done, reviews=plan)
        elif kind == Programme.Kind.DTO_LICENCE:
            # 001 §6 table: the plan reviewed a month after release, then 3-monthly.
            plan = getattr(child, "demo_pre_release_plan", None)
            due = CAL.add_months(start, 1)
            while due <= until and (rnd.random() > 0.06 or not (ended or may_miss(due, today))):
                done = self._late(due)
                self.add_plan(
                    child, programme, author, Plan.Kind.INTERVENTION, done, reviews=plan, review=True
                )
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
                self.add_contact(
                    child, programme, author, Contact.Kind.FACE_TO_FACE, day, Contact.Outcome.BOOKED
                )
                break
            if kind in CUSTODY:
                self.add_contact(
                    child, programme, author, Contact.Kind.WELFARE_VISIT, day, Contact.Outcome.KEPT
                )
                continue
            roll = rnd.random()
            contact_kind = rnd.choice(
                [Contact.Kind.FACE_TO_FACE] * 5 + [Contact.Kind.PHONE, Contact.Kind.VIRTUAL]
            )
            if roll < 0.82:
                self.add_contact(child, programme, author, contact_kind, day, Contact.Outcome.KEPT)
            elif roll < 0.97:
                self.add_contact(
                    child,
                    programme,
                    author,
                    contact_kind,
                    day,
                    Contact.Outcome.ACCEPTABLE_FAILURE,
                    "Unwell: carer phoned in advance with a reason.",
                )
            else:
                self.add_contact(
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
        self.add_assessment(
            child, programme, author, Assessment.Kind.ASSETPLUS, Assessment.Stage.PRE_RELEASE, on, signer
        )
        child.demo_pre_release_plan = self.add_plan(child, programme, author, Plan.Kind.PRE_RELEASE, on)

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
            if kind == Programme.Kind.DTO_CUSTODY:
                # 001 §6 table: the case manager comments on YJAF after each planning meeting.
                commented = self._late(CAL.add_working_days(held, 5))
                steps.append(
                    (EventType.YJAF_COMMENT, commented, "Comment added on YJAF on the planning documents")
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


def build_case_work(
    *, planned: list[PlannedChild], by_name: dict, holders: dict, rnd, work: CaseWork
) -> list[tuple]:
    """Every planned child's case work (`CaseWork.build` per programme) and, every 10-40 days of their
    programmes, one of the other notes on the timeline. `planned` is a PlannedChild per child; the
    records wait in `work` (flushed as it grows, to keep memory flat at large sizes) and the notes are
    added last. Returns (child, programme, team slug) per programme."""
    events, cases = [], []
    for child, programmes, slug, manager, closed_on, co_workers in planned:
        signers = {
            "manager": by_name[f"tm.{slug}"] if rnd.random() < 0.5 else by_name[f"ap.{slug}"],
            "duty": by_name[f"scm.{slug}.1"],
        }
        for i, programme in enumerate(programmes):
            work.build(
                child=child,
                programme=programme,
                manager=manager,
                signers=signers,
                allocator=by_name[f"tm.{slug}"],
                allocate=i == 0,
                closed_on=closed_on,
                co_workers=co_workers,
            )
            cases.append((child, programme, slug))
        author = manager or rnd.choice(holders[child.team_id])
        until = closed_on or work.today
        day = programmes[0].start_date
        while True:
            day += datetime.timedelta(days=rnd.randint(10, 40))
            if day > until:
                break
            event_type, summary = rnd.choice(EVENT_MIX)
            events.append(
                Event(
                    child=child,
                    author=author,
                    event_type=event_type,
                    occurred_on=day,
                    summary=summary,
                    details="Fictional demonstration record.",
                )
            )
        if len(work.contacts) > 20000:
            work.flush()  # keep memory flat at large sizes
    work.events.extend(events)
    return cases
