"""Writes for out-of-court (OOC) and My Future oversight (001 §6.3, §6.4; 000 §3, §5).

- `oversight_holder_set`: the TM/AP decision on who holds management oversight, recorded on the child's
  file as an oversight decision (004 §7 label "who holds oversight"), closing any open prompt.
- `oversight_prompt_for_child`: a significant change (levels rising to High) or re-offending prompts a
  discussion between the locality TM and the AP on who holds oversight (001 §6.3, 000 §3.6): a Task
  for the team's TM, once while it is open.
- `closure_check_request` / `closure_check_review`: the worker asks the AP for the closure checks; the
  AP approves (business support is told the case can be closed) or returns them (001 §6.3, 000 §3.4).
- `closure_gate_check`: a completed OOC / My Future programme may only be closed after approved
  closure checks (called by cases.services.programmes.programme_close).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import policy
from cases.models import Child, EventType, Programme, Role, User
from cases.services.core import event_create
from core.audit import audit_record
from core.models import AuditEntry, Task

from ..models import ClosureCheck, OversightDecision, OversightHolder
from ..selectors import oocd as selectors
from .discussions import oversight_decision_record

CLOSURE_GATE_MESSAGE = "The AP must complete the closure checks before this case is closed (001 §6.3)."


class ClosureGateRefused(ValidationError, ValueError):
    """The closure gate's refusal: a ValidationError, and a ValueError so the programme-closing view
    (which shows a ValueError from its service as a form error) shows it without a change."""

    def __str__(self):
        return " ".join(self.messages)


def _ref(child: Child) -> str:
    """ "AT YJ100001": the child's initials and case number, as the policy forms use (001 App. 5)."""
    return f"{child.initials} {child.case_number}"


def _oversight_programme_check(*, child: Child, programme: Programme) -> None:
    """The programme must be the child's open OOC or My Future programme."""
    if (
        programme.child_id != child.pk
        or programme.end_date is not None
        or (programme.kind not in selectors.OVERSIGHT_KINDS)
    ):
        raise ValidationError("Choose the child's open out-of-court or My Future programme.")


def _task_done(task: Task, *, user: User, today: datetime.date, note: str) -> None:
    """Mark a task done today by the user, with a note."""
    task.done_on = today
    task.done_by = user
    task.done_note = note[:300]
    task.save(update_fields=["done_on", "done_by", "done_note"])


@transaction.atomic
def oversight_holder_set(
    *,
    child: Child,
    programme: Programme,
    holder: User,
    decided_at: datetime.datetime,
    reason: str,
    significant: bool,
    user: User,
    today: datetime.date | None = None,
) -> OversightHolder:
    """Record who holds management oversight of an OOC / My Future case (001 §6.3, §6.4; 000 §3.6).

    Only a TM or AP of the child's team (or the service manager) decides, and the holder is a TM or AP
    of the child's team. The decision goes on the file as an oversight decision, any open prompt for
    the discussion is marked done, and the change is audited.
    """
    today = today or timezone.localdate()
    if not selectors.can_decide_holder(user=user, child=child):
        raise ValidationError(
            "Only a team manager or advanced practitioner of the child's team, or the service manager, "
            "can decide who holds oversight."
        )
    _oversight_programme_check(child=child, programme=programme)
    if not selectors.holder_candidates(child=child).filter(pk=holder.pk).exists():
        raise ValidationError(
            "The person holding oversight must be a team manager or advanced practitioner of the child's team."
        )
    if not reason.strip():
        raise ValidationError("Enter the reason for the decision.")
    decided_on = timezone.localdate(decided_at)
    if decided_on < programme.start_date:
        raise ValidationError(
            f"The date of the decision must be on or after the programme started, {programme.start_date:%-d %B %Y}."
        )
    if decided_at > timezone.now():
        raise ValidationError("The date and time of the decision must be in the past.")
    decision = oversight_decision_record(
        child=child,
        user=user,
        label=OversightDecision.Label.OVERSIGHT_HOLDER,
        panel_name="",
        decided_at=decided_at,
        significant=significant,
        decision=(
            f"{holder} ({holder.get_role_display()}) holds management oversight of the "
            f"{programme.get_kind_display()} from {decided_on:%-d %B %Y} (001 §6.3)."
        ),
        rationale=reason.strip(),
        actions="",
        today=today,
    )
    record = OversightHolder(
        child=child, programme=programme, holder=holder, from_date=decided_on, decision=decision
    )
    record.full_clean()
    record.save()
    # The prompt asked for exactly this decision: it is done (001 §6.3 "decision making ...").
    for task in selectors.open_prompts(child=child):
        _task_done(task, user=user, today=today, note=f"Decision recorded: {holder} holds oversight")
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=record,
        child=child,
        description=f"Recorded who holds oversight of the {programme.get_kind_display()}: {holder}",
    )
    return record


@transaction.atomic
def oversight_prompt_for_child(
    *, child: Child, reason: str, user: User, today: datetime.date | None = None
) -> Task | None:
    """Prompt the locality TM to discuss with the AP who holds oversight (001 §6.3, 000 §3.6).

    Only for a child with an open OOC or My Future programme; once while a prompt is open (idempotent).
    The Task is due five working days later in the profile's calendar. Returns the new Task, or None.
    """
    today = today or timezone.localdate()
    if selectors.oversight_programme(child=child) is None:
        return None
    # Lock the child's row so two hooks in parallel cannot both create a prompt.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    if selectors.open_prompts(child=child).exists():
        return None
    prefix = selectors.prompt_prefix(child.pk)
    n = Task.objects.filter(child=child, source__startswith=prefix).count() + 1
    tm = selectors.team_member(child=child, role=Role.TEAM_MANAGER)
    task = Task(
        child=child,
        assignee=tm,
        assignee_name="" if tm else "Locality team manager",
        title=f"Discuss {_ref(child)} with the AP and decide who holds oversight (001 §6.3): {reason}"[:300],
        # 001 §6.3 / 000 §3.6 give no timescale for the TM's discussion: the profile's `oversight.prompt`.
        due=policy.due_after("oversight.prompt", today),
        basis="001 §6.3, 000 §3.6",
        source=f"{prefix}{n}",
        created_by=user,
    )
    task.full_clean()
    task.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=task,
        child=child,
        description=f"Prompted the locality TM to decide who holds oversight: {reason}",
    )
    return task


@transaction.atomic
def closure_check_request(
    *, child: Child, programme: Programme, user: User, note: str, today: datetime.date | None = None
) -> ClosureCheck:
    """The worker asks the oversight holder for the closure checks (001 §6.3 "the YJS worker will email
    the AP"; 000 §3.4; 001 §6.4 "agreeing and overseeing closure"). One open request per programme."""
    today = today or timezone.localdate()
    if not selectors.can_request_closure(user=user, child=child):
        raise ValidationError(
            "Only the child's case manager or a manager of the team can ask for closure checks."
        )
    # Lock the programme so two requests at once cannot both pass the check below.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _oversight_programme_check(child=child, programme=programme)
    if ClosureCheck.objects.filter(programme=programme, status=ClosureCheck.Status.REQUESTED).exists():
        raise ValidationError("Closure checks have already been requested for this programme.")
    holder = selectors.oversight_holder_current(child, programme)
    check = ClosureCheck(
        child=child, programme=programme, requested_by=user, requested_on=today, request_note=note.strip()
    )
    check.full_clean()
    check.save()
    person = holder.holder if holder else None
    task = Task(
        child=child,
        assignee=person,
        assignee_name="" if person else "Locality advanced practitioner",
        title=f"Closure checks for {_ref(child)} (001 §6.3)",
        basis="001 §6.3",
        source=f"closure-check:{check.pk}",
        created_by=user,
    )
    task.full_clean()
    task.save()
    check.task = task
    check.save(update_fields=["task"])
    event_create(
        child=child,
        author=user,
        event_type=EventType.CLOSURE_CHECK,
        occurred_on=today,
        summary=f"Closure checks requested: {programme.get_kind_display()}",
        details=(f"Asked {person or 'the locality AP'} for the closure checks (001 §6.3).")
        + (f"\n{check.request_note}" if check.request_note else ""),
        source=f"closure-check:{check.pk}",
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=check,
        child=child,
        description=f"Asked for closure checks on the {programme.get_kind_display()}",
    )
    return check


def closure_checks_missing(values: dict) -> list[str]:
    """The labels of the closure checks not ticked (000 §3.5, §5.3), in order."""
    labels = selectors.closure_check_labels()
    return [labels[name] for name in selectors.CLOSURE_CHECKS if not values.get(name)]


def _review_status(*, check: ClosureCheck, decision: str, note: str, values: dict) -> str:
    """The status the AP's decision leads to (ClosureCheck.REVIEW_DECISIONS): approving needs every check
    done, returning needs a note (001 §6.3)."""
    status = ClosureCheck.REVIEW_DECISIONS.get(decision)
    if status is None or not check.can_move_to(status):
        raise ValidationError("Choose whether to approve the closure or return it to the worker.")
    if status == ClosureCheck.Status.APPROVED:
        missing = closure_checks_missing(values)
        if missing:
            raise ValidationError(
                "Complete every closure check before approving. Not yet done: " + "; ".join(missing) + "."
            )
    elif not note:
        raise ValidationError("Enter a note telling the worker what is still needed.")
    return status


def _approved_follow_up(*, check: ClosureCheck, user: User, note: str) -> tuple[str, str]:
    """Approved: a task for locality business support to close the case, the TM informed (001 §6.3,
    000 §3.4); the event's summary and text."""
    child, kind = check.child, check.programme.get_kind_display()
    support = selectors.team_member(child=child, role=Role.BUSINESS_SUPPORT)
    tm = selectors.team_member(child=child, role=Role.TEAM_MANAGER)
    task = Task(
        child=child,
        assignee=support,
        assignee_name="" if support else "Locality business support",
        title=f"Close {kind} for {_ref(child)}: closure checks done",
        basis="001 §6.3",
        source=f"closure-check:{check.pk}",
        created_by=user,
    )
    task.full_clean()
    task.save()
    labels = selectors.closure_check_labels()
    # A User's str is their full name, or their username without one.
    details = (
        "Checked: "
        + "; ".join(labels[name] for name in selectors.CLOSURE_CHECKS)
        + f".\nLocality business support ({support or 'team'}) asked to close the case; "
        + f"the team manager ({tm or 'locality TM'}) informed (000 §3.4)."
        + (f"\n{note}" if note else "")
    )
    return f"Closure checks done: business support may close the {kind}", details


def _returned_follow_up(*, check: ClosureCheck, user: User, note: str) -> tuple[str, str]:
    """Returned: a task for the worker with the AP's note; the event's summary and text."""
    task = Task(
        child=check.child,
        assignee=check.requested_by,
        title=f"Closure checks returned: {note}"[:300],
        basis="001 §6.3",
        source=f"closure-check:{check.pk}",
        created_by=user,
    )
    task.full_clean()
    task.save()
    return f"Closure checks returned to the worker: {check.programme.get_kind_display()}", note


@transaction.atomic
def closure_check_review(
    *,
    check: ClosureCheck,
    user: User,
    decision: str,
    note: str = "",
    delivered: bool = False,
    plan_completed: bool = False,
    review_assessment: bool = False,
    exit_planning: bool = False,
    levels_reviewed: bool = False,
    today: datetime.date | None = None,
) -> ClosureCheck:
    """The AP's closure checks (001 §6.3; 000 §3.4-§3.5, §5.3): approve (every check done: business
    support is asked to close the case and the TM informed) or return to the worker with a note."""
    today = today or timezone.localdate()
    current = (
        ClosureCheck.objects.select_for_update(of=("self",))
        .select_related("child", "programme", "requested_by", "task")
        .get(pk=check.pk)
    )
    child, programme = current.child, current.programme
    if not selectors.can_review_closure(user=user, check=current):
        raise ValidationError(
            "Only the person holding oversight, or a team manager or advanced practitioner of the child's "
            "team, can review the closure checks."
        )
    if not current.awaits_review:
        raise ValidationError("These closure checks have already been reviewed.")
    values = {
        "delivered": delivered,
        "plan_completed": plan_completed,
        "review_assessment": review_assessment,
        "exit_planning": exit_planning,
        "levels_reviewed": levels_reviewed,
    }
    note = note.strip()
    status = _review_status(check=current, decision=decision, note=note, values=values)
    for name, value in values.items():
        setattr(current, name, bool(value))
    current.status = status
    current.checked_by = user
    current.checked_on = today
    current.check_note = note
    current.full_clean()
    current.save()
    task = current.task  # the AP's task to do the checks
    if task is not None and not task.done_on:
        _task_done(task, user=user, today=today, note=current.get_status_display())
    source = f"closure-check:{current.pk}"
    kind = programme.get_kind_display()
    if status == ClosureCheck.Status.APPROVED:
        summary, details = _approved_follow_up(check=current, user=user, note=note)
    else:
        summary, details = _returned_follow_up(check=current, user=user, note=note)
    event_create(
        child=child,
        author=user,
        event_type=EventType.CLOSURE_CHECK,
        occurred_on=today,
        summary=summary,
        details=details,
        source=source,
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"{'Approved' if status == ClosureCheck.Status.APPROVED else 'Returned'} the closure "
        f"checks on the {kind}",
    )
    return current


def closure_gate_check(*, programme: Programme, closure_reason: str) -> None:
    """Refuse to close a completed OOC / My Future programme before the AP's closure checks are approved
    (001 §6.3 "the AP ... will undertake the necessary closure checks"; 000 §3.4; 001 §6.4)."""
    if programme.kind not in selectors.OVERSIGHT_KINDS or closure_reason != Programme.ClosureReason.COMPLETED:
        return
    if not ClosureCheck.objects.filter(programme=programme, status=ClosureCheck.Status.APPROVED).exists():
        raise ClosureGateRefused(CLOSURE_GATE_MESSAGE)
