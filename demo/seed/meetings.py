"""Demo meetings for `seed_demo`: a history of CMMs over the years for the children who need them, with
the AssetPlus updates that follow a risk review (the fresh cases for the North team manager to run each
CMM type are `meeting_journeys`). All names and text are fictional."""

import datetime

from cases.models import MEDIUM_OR_ABOVE, Assessment, Contact, Programme
from core.models import Task
from meetings.models import Meeting, MeetingAction, MeetingKind

from .common import CAL, aware, may_miss, on_time_rate

RISK_REVIEW_WEEKS = 11  # 000 §1.3

SECTIONS = {
    "attendees": "Team manager (chair), case manager, standing panel member, police liaison officer",
    "apologies": "Education inclusion officer (written update sent)",
    "circumstances": "Settled at home; attending a college taster course. No new incidents since the last review.",
    "changing_circumstances": "Peer group changes noted in the assessment are starting to show; monitored.",
    "views": "The child says the sessions help and wants to keep the same worker. Parent agrees with the plan.",
    "rosh_analysis": "Risk is linked to peers in the evenings; no current indication of imminence.",
    "saw_analysis": "Safety concerns when out late; protective factors at home are strong.",
    "lor_analysis": "Likelihood reduced with college engagement; review if attendance falls.",
    "strengths": "Good relationship with the case manager; interest in motor mechanics.",
    "risk_management_plan": "Curfew checks by the case manager; police liaison shares intelligence weekly.",
}
ACTIONS = [
    "Share the updated plan with the child and parent",
    "Refer to the substance misuse worker",
    "Check college attendance with the education inclusion officer",
    "Update AssetPlus within one week of this meeting",
]


def _meeting(*, child, kind, held: datetime.date, chair, today, rnd, reason: str) -> Meeting:
    """One finalised meeting held on `held`, its actions and minutes recorded on time or a little late."""
    actions_on = held + datetime.timedelta(days=1 if rnd.random() < 0.85 else 4)
    minutes_on = CAL.add_working_days(held, rnd.randint(1, 4) if rnd.random() < 0.85 else rnd.randint(6, 9))
    return Meeting(
        child=child,
        kind=kind,
        status=Meeting.Status.FINALISED,
        reason=reason,
        starts_at=aware(held),
        venue="Locality office, meeting room 2",
        chair=chair,
        case_manager=child.case_manager,
        booked_by=chair,
        participation="views_before",
        held_at=aware(held),
        current_rosh=child.rosh,
        current_saw=child.saw,
        current_lor=child.lor,
        revised_rosh=child.rosh,
        revised_saw=child.saw,
        revised_lor=child.lor,
        actions_recorded_on=min(actions_on, today),
        finalised_on=min(minutes_on, today),
        finalised_by=chair,
        invitations_sent_at=aware(held - datetime.timedelta(days=15)),
        **SECTIONS,
    )


def _review_after(*, work, child, programme, held: datetime.date, until: datetime.date) -> None:
    """000 §1.3: AssetPlus updated within a week of a risk review CMM; mostly on time, some late, a few
    not done (the demo's `assetplus.review_after_cmm` figures)."""
    rnd = work.rnd
    roll = rnd.random()
    if roll < 0.06:
        return
    on_time = roll < on_time_rate(team_id=child.team_id, due=held, today=work.today) + 0.04
    on = CAL.add_working_days(held, rnd.randint(1, 4) if on_time else rnd.randint(6, 9))
    if on > until:
        return
    work.add_assessment(
        child,
        programme,
        child.case_manager,
        Assessment.Kind.ASSETPLUS,
        Assessment.Stage.REVIEW,
        on,
        None,
    )


def _due_chain(
    *, rnd, first_due: datetime.date, every: datetime.timedelta, until: datetime.date, today, team_id: int
):
    """When each meeting of a recurring chain was held: mostly in the days before it fell due, some a
    few working days late, a few missed (the next one then falls due from the missed date); the latest
    sometimes not yet held, so the demo has overdue and due-soon meetings."""
    held_days = []
    due = first_due
    while due <= min(until, today + datetime.timedelta(days=7)):
        if due > today - datetime.timedelta(days=14) and rnd.random() < 0.3:
            break  # the latest review not held yet: overdue or due soon in the demo
        roll = rnd.random()
        if roll < 0.03:
            due += every  # missed: overdue in the figures for its month
            continue
        if roll < 0.03 + on_time_rate(team_id=team_id, due=due, today=today):
            held = CAL.on_or_before(due - datetime.timedelta(days=rnd.randint(0, 9)))
        else:
            held = CAL.add_working_days(due, rnd.randint(1, 8))
        if held > min(until, today):
            break
        held_days.append(held)
        due = held + every
    return held_days


def build_history(*, rnd, today: datetime.date, cases: list[tuple], chairs: dict, work=None) -> int:
    """Finalised meetings over the years of history, up to today or each programme's end: risk reviews
    every 11 weeks for statutory orders over 3 months with Medium+ RoSH or SaW (each followed by the
    AssetPlus update, 000 §1.3), the release review and 3-monthly post-release CMMs on a DTO licence,
    and compliance CMMs after unacceptable failures. Some are late and a few missed, so the compliance
    figures have a trend. `cases` holds (child, programme, team slug); `work` (records.CaseRecords)
    gathers the AssetPlus updates. Returns how many meetings were made."""
    meetings: list[Meeting] = []
    eleven_weeks = datetime.timedelta(weeks=RISK_REVIEW_WEEKS)
    for child, programme, slug in cases:
        if child.case_manager_id is None:
            continue
        chair = chairs[slug]
        until = min(programme.end_date or today, today)

        def reviews(*, first_due, every, reason, child=child, programme=programme, chair=chair, until=until):
            """A chain of risk reviews from `first_due`, each followed by its AssetPlus update."""
            for held in _due_chain(
                rnd=rnd, first_due=first_due, every=every, until=until, today=today, team_id=child.team_id
            ):
                meetings.append(
                    _meeting(
                        child=child,
                        kind=MeetingKind.RISK_REVIEW,
                        held=held,
                        chair=chair,
                        today=today,
                        rnd=rnd,
                        reason=reason,
                    )
                )
                if work is not None:
                    _review_after(work=work, child=child, programme=programme, held=held, until=until)

        if (
            programme.kind in (Programme.Kind.YRO, Programme.Kind.REFERRAL_ORDER)
            and (programme.length_months or 0) > 3
            and (child.rosh in MEDIUM_OR_ABOVE or child.saw in MEDIUM_OR_ABOVE)
        ):
            reviews(
                first_due=programme.start_date + eleven_weeks,
                every=eleven_weeks,
                reason="11-weekly review of RoSH and SaW (000 §1.3)",
            )
        if programme.kind == Programme.Kind.DTO_LICENCE and programme.start_date <= today:
            # 000 §1.3: the release review within a month of release, then post-release CMMs 3-monthly.
            release_due = CAL.add_months(programme.start_date, 1)
            if rnd.random() < 0.9:
                held = CAL.on_or_before(release_due - datetime.timedelta(days=rnd.randint(2, 20)))
            else:
                held = CAL.add_working_days(release_due, rnd.randint(1, 6))
            if held > until:
                continue
            released = held
            meetings.append(
                _meeting(
                    child=child,
                    kind=MeetingKind.RELEASE,
                    held=released,
                    chair=chair,
                    today=today,
                    rnd=rnd,
                    reason="Release from custody review (000 §1.3)",
                )
            )
            every = datetime.timedelta(days=91)
            reviews(
                first_due=released + every,
                every=every,
                reason="Post-release review on licence (001 §6 table: DTO Licence)",
            )
    failures = Contact.objects.filter(
        outcome=Contact.Outcome.UNACCEPTABLE_FAILURE, child__case_manager__isnull=False
    ).select_related("child", "child__team", "child__case_manager")
    for contact in failures:
        recent = contact.date > today - datetime.timedelta(days=30)
        roll = rnd.random()
        if roll < (0.2 if recent else 0.05) and (recent or not contact.child.is_open):
            continue  # some compliance CMMs are still outstanding (a few never held, on closed cases)
        held = CAL.add_working_days(contact.date, rnd.randint(3, 9) if roll < 0.9 else rnd.randint(11, 16))
        if held >= today:
            continue
        slug = contact.child.team.name.split()[0].lower()
        meeting = _meeting(
            child=contact.child,
            kind=MeetingKind.COMPLIANCE,
            held=held,
            chair=chairs[slug],
            today=today,
            rnd=rnd,
            reason=f"Unacceptable failure to attend on {contact.date:%-d %B %Y} (000 §1.3)",
        )
        meeting.plan_progress = "Engaging with most sessions; transport to appointments is a barrier."
        meeting.compliance_report_submitted_at = aware(held - datetime.timedelta(days=2))
        meeting.breach_presumption_considered = True if contact.child.looked_after else None
        meetings.append(meeting)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    actions, tasks = [], []
    for meeting in meetings:
        if meeting.held_at is None:  # never: `_meeting` makes every meeting held
            continue
        for text in rnd.sample(ACTIONS, 2):
            due = meeting.held_at.date() + datetime.timedelta(days=14)
            # Mostly done two days early; the rest done late, unless still recent (RECENT_MISS).
            on_time = rnd.random() < 0.9
            done = due < today and (on_time or not may_miss(due, today))
            task = Task(
                child_id=meeting.child_id,
                assignee_id=meeting.case_manager_id,
                title=text,
                due=due,
                basis=f"{meeting.title} on {meeting.held_at:%-d %b %Y} (001 §6.2)",
                source=f"meeting:{meeting.pk}",
                done_on=due + datetime.timedelta(days=-2 if on_time else 9) if done else None,
                done_by_id=meeting.case_manager_id if done else None,
                created_by_id=meeting.chair_id,
            )
            tasks.append(task)
            actions.append(
                MeetingAction(
                    meeting=meeting, action=text, owner_id=meeting.case_manager_id, due=due, task=task
                )
            )
    Task.objects.bulk_create(tasks, batch_size=1000)
    for action, task in zip(actions, tasks, strict=True):  # one task per action, in the same order
        action.task_id = task.pk
    MeetingAction.objects.bulk_create(actions, batch_size=1000)
    return len(meetings)
