"""The work on a child's case: assessment stages, plans, contacts, allocations, and leave with its cover."""

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import StatusTransitions

from .child import Child, Programme, RiskLevel

if TYPE_CHECKING:
    from .organisation import User


class Assessment(StatusTransitions, models.Model):
    """An assessment stage (AssetPlus, OOCD, My Future) with its levels and its sign-off (001 §3-§6, App. 1)."""

    class Kind(models.TextChoices):
        ASSETPLUS = "assetplus", "AssetPlus"
        OOCD = "oocd", "Out of court disposal assessment"
        MY_FUTURE = "my_future", "My Future assessment"

    class Stage(models.TextChoices):
        INITIAL = "initial", "Initial assessment"
        PSR = "psr", "Pre-sentence report assessment"
        REVIEW = "review", "Review"
        INTERIM_REVIEW = "interim_review", "Interim review (change in risk factors or levels)"
        PRE_RELEASE = "pre_release", "Pre-release review"
        CLOSURE = "closure", "Closure"
        PLAN_ONLY = "plan_only", "Review to add an intervention plan or referral details"
        ADMINISTRATIVE = "administrative", "Administrative review to update details"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        RETURNED = "returned", "Returned for changes"
        COMPLETED = "completed", "Completed"

    class SignOff(models.TextChoices):
        """Who completes (signs off) the stage under 001 App. 1."""

        CASE_HOLDER = "case_holder", "Case holder"
        DUTY_SENIOR = "duty_senior", "Senior duty worker"
        MANAGER = "manager", "Team manager or advanced practitioner"

    # 001 App. 1: the author edits a draft or a stage returned for changes, then sends it for sign-off
    # or (a case-holder stage) completes it; the signer returns it for changes or completes it.
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
    AWAITING = frozenset({Status.AWAITING_SIGN_OFF})
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.DRAFT: frozenset({Status.AWAITING_SIGN_OFF, Status.COMPLETED}),
        Status.RETURNED: frozenset({Status.AWAITING_SIGN_OFF, Status.COMPLETED}),
        Status.AWAITING_SIGN_OFF: frozenset({Status.RETURNED, Status.COMPLETED}),
        # Completed is final: its levels became the child's; a change is a new stage.
        Status.COMPLETED: frozenset(),
    }

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ASSETPLUS)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Proposed levels with the worker's rationale (001 §4, §5); agreed ones become the child's.
    rosh = models.CharField("RoSH", max_length=10, choices=RiskLevel.choices, blank=True)
    saw = models.CharField("SaW", max_length=10, choices=RiskLevel.choices, blank=True)
    lor = models.CharField("LoR", max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_rationale = models.TextField("RoSH rationale", blank=True)
    saw_rationale = models.TextField("SaW rationale", blank=True)
    lor_rationale = models.TextField("LoR rationale", blank=True)
    # The decision frameworks of 001 App. 2 (RoSH) and App. 3 (SaW): the row the worker chose in each
    # column, as the level that row describes. A guided aid; the worker's own levels are what count.
    rosh_seriousness = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_protective = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_imminence = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    saw_seriousness = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    saw_protective = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    saw_imminence = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    summary = models.TextField("analysis and summary", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    created_at = models.DateTimeField(auto_now_add=True)
    # Sign-off (001 App. 1): who must complete the stage, why, and who has been asked.
    sign_off_by = models.CharField(max_length=20, choices=SignOff.choices, blank=True)
    sign_off_basis = models.CharField(max_length=200, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_off_requests",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    gatekept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gatekept_on = models.DateField(null=True, blank=True)
    # App. 1: a duty worker gatekeeping an apparent High agrees the levels with a TM/AP first.
    levels_agreed_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comments = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    # App. 1 "Complete Stage" comments: agreement with levels, CMM date, progress at closure.
    levels_agreed = models.BooleanField(null=True, blank=True)
    completion_comments = models.TextField(blank=True)
    cmm_date = models.DateField("CMM date", null=True, blank=True)
    progress_at_closure = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "assigned_to"]),
            models.Index(fields=["child", "-created_at"]),
            models.Index(fields=["author", "status"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_stage_display()} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """A draft or a stage returned for changes: its author may change, send or complete it."""
        return self.status in self.EDITABLE

    @property
    def is_awaiting_sign_off(self) -> bool:
        """Waiting for sign-off: the signer may gatekeep, return or complete it."""
        return self.status in self.AWAITING

    def move_to(self, status: str) -> None:
        """Set the new status; the services check who may act first, so a refusal here is a bug's guard."""
        if not self.can_move_to(status):
            raise ValidationError(
                f"This stage cannot move from {self.get_status_display().lower()} to "
                f"{self.Status(status).label.lower()}."
            )
        self.status = status


class Plan(models.Model):
    """An intervention, professionals, action or pre-release plan, or a review of one (001 §6 table)."""

    class Kind(models.TextChoices):
        INTERVENTION = "intervention", "Intervention plan"
        PROFESSIONALS = "professionals", "Professionals plan"
        ACTION = "action", "Action plan"
        PRE_RELEASE = "pre_release", "Pre-release plan"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_review = models.BooleanField(default=False)
    reviews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_by"
    )
    completed_on = models.DateField()
    objectives = models.TextField(help_text="What the plan aims to achieve, and the interventions agreed")
    child_views = models.TextField("the child's and parent or carer's views", blank=True)
    next_review = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        indexes = [models.Index(fields=["child", "-completed_on"])]

    def __str__(self):
        prefix = "Review of " if self.is_review else ""
        return f"{prefix}{self.get_kind_display().lower() if prefix else self.get_kind_display()}"


class Contact(models.Model):
    """A contact or appointment with the child, and whether it was kept (000 App. B)."""

    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        VIRTUAL = "virtual", "Virtual"
        PHONE = "phone", "Phone"
        WELFARE_VISIT = "welfare_visit", "Welfare visit (custody)"

    class Outcome(models.TextChoices):
        BOOKED = "booked", "Booked (not yet held)"
        KEPT = "kept", "Kept"
        ACCEPTABLE_FAILURE = "acceptable_failure", "Acceptable failure"
        UNACCEPTABLE_FAILURE = "unacceptable_failure", "Unacceptable failure"

    # 000 App. B: an appointment is booked until its outcome is recorded, once; a failure needs an
    # appointment given to the child and the explanation given.
    AWAITING_OUTCOME = frozenset({Outcome.BOOKED})
    FAILURES = frozenset({Outcome.ACCEPTABLE_FAILURE, Outcome.UNACCEPTABLE_FAILURE})

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_appointment = models.BooleanField("an appointment given to the child", default=True)
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    outcome = models.CharField(max_length=25, choices=Outcome.choices, default=Outcome.BOOKED)
    explanation = models.TextField("explanation given", blank=True)
    notes = models.TextField(blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts_held",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-time"]
        indexes = [models.Index(fields=["child", "-date"]), models.Index(fields=["outcome", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%-d %b %Y}: {self.get_outcome_display()}"

    @property
    def awaits_outcome(self) -> bool:
        """Booked: its outcome is still to be recorded."""
        return self.outcome in self.AWAITING_OUTCOME


class Allocation(models.Model):
    """Who held (or co-held) a child's case and when, with the policy checks seen and any rationale (003 §2-§6)."""

    class Role(models.TextChoices):
        CASE_MANAGER = "case_manager", "Case manager"
        CO_WORKER = "co_worker", "Co-allocated worker"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASE_MANAGER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    # The checks shown at confirmation: [{"code", "title", "basis", "ok", "rationale"}].
    checks = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: set by case_allocate on the allocation it made, the case manager it replaced and the
    # allocation it ended, if any (so the confirmation can say "Reallocated from X to Y", issue 16).
    replaced_worker: "User | None" = None
    replaced: "Allocation | None" = None

    class Meta:
        ordering = ["-started_on", "-created_at"]
        indexes = [models.Index(fields=["child", "-started_on"]), models.Index(fields=["worker", "ended_on"])]
        constraints = [
            # Issue 16: a child has one case manager at a time, whatever two people do at once.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(role="case_manager", ended_on__isnull=True),
                name="one_open_case_manager_allocation",
                violation_error_message="This child already has a case manager: reallocate instead.",
            )
        ]

    def __str__(self):
        return f"{self.worker} ({self.get_role_display()}) from {self.started_on:%-d %b %Y}"


class Leave(models.Model):
    """A worker's planned or unplanned leave, and the cover for their cases (003 §7)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "Planned leave"
        UNPLANNED = "unplanned", "Unplanned leave (for example sickness)"

    # 003 §7.2: unplanned leave has the manager's follow-ups (the first-week review of the cases, the
    # two-week reallocation decision) and a return to record; planned leave has its cover from the start.
    FOLLOWED_UP = frozenset({Kind.UNPLANNED})

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leave")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Blank while the return date is unknown")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # 003 §7.2: the manager's first-week review and the two-week reallocation decision.
    cases_reviewed_on = models.DateField(null=True, blank=True)
    reallocation_considered_on = models.DateField(null=True, blank=True)
    reallocation_decision = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["worker", "-start_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.worker} from {self.start_date:%-d %b %Y}"

    @property
    def is_followed_up(self) -> bool:
        """Leave with the manager's follow-ups and a return to record (003 §7.2)."""
        return self.kind in self.FOLLOWED_UP

    @property
    def is_open(self) -> bool:
        """No return recorded yet: the worker is still away."""
        return self.end_date is None


class LeaveCover(models.Model):
    """The named worker leading on one case during a leave, and the work expected (003 §7.1)."""

    leave = models.ForeignKey(Leave, on_delete=models.CASCADE, related_name="covers")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="leave_covers")
    cover_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arrangements = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leave", "child"], name="one_cover_per_case_per_leave")
        ]

    def __str__(self):
        return f"{self.cover_worker} covers {self.child.case_number}"
