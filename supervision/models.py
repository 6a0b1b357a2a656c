"""Staff supervision, case discussions and management oversight (000 §3-§6, 001 §2, §6.3-§6.4, 002, 003 §5.3, 004 §7).

- `SupervisionSession` is the Record of Supervision (000 App. C): a worker's formal supervision with their
  supervisor. Its personal wellbeing and performance sections are restricted (supervision/access.py).
  While not cancelled and not a group session, it states `staff_supervision_held` for the supervisee.
- `CaseDiscussion` is the Case Discussion Record (001 App. 5; 000 App. D the older form) on a child's
  file: held (states `case_discussion_held`, or `co_allocation_discussion` for co-allocated workers),
  then recorded on the file (states `case_discussion_recorded` and writes the "Management Oversight -
  Supervision" event, 004 §7). Its actions become tracked `core.Task`s.
- `OversightDecision` is a management decision outside formal supervision (004 §7, 002 "Management
  oversight and informal supervision"): states `oversight_decision` (dated when it was made) and
  `oversight_recorded` (dated when it was put on the file).
- `SupervisionFrequency` is a more frequent supervision agreed for a worker (002: new case managers).
- `OversightHolder` and `ClosureCheck` are the OOC / My Future oversight of 001 §6.3-§6.4, 000 §3.
"""

from django.conf import settings
from django.db import models

from cases.models import Child, Event, Programme
from core.models import Task


class SupervisionMethod(models.TextChoices):
    """000 App. C "Supervision Method (eg 1:1, group etc)"; 000 §3.2 allows Teams and phone."""

    ONE_TO_ONE = "one_to_one", "1:1 in person"
    ONLINE = "online", "1:1 online (for example Microsoft Teams)"
    PHONE = "phone", "1:1 by phone"
    GROUP = "group", "Group supervision"


# 002 "Group Supervision": group supervision does not replace formal 1:1 supervision.
FORMAL_METHODS = frozenset({SupervisionMethod.ONE_TO_ONE, SupervisionMethod.ONLINE, SupervisionMethod.PHONE})


class SupervisionSession(models.Model):
    """One Record of Supervision (000 App. C, 000 §6.1): the sections, cases discussed and next date."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Held – record in progress"
        FINALISED = "finalised", "Finalised"
        CANCELLED = "cancelled", "Cancelled"

    # A record is held as a draft, then finalised or cancelled once (000 App. C); only a draft changes.
    TRANSITIONS = {
        Status.DRAFT: frozenset({Status.FINALISED, Status.CANCELLED}),
        Status.FINALISED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_received"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    held_on = models.DateField("date of supervision")
    starts_at = models.TimeField("start time", null=True, blank=True)
    method = models.CharField("supervision method", max_length=20, choices=SupervisionMethod.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    # The agenda of 000 App. C / 000 §6.1. Personal wellbeing and performance are restricted.
    personal_wellbeing = models.TextField(
        "personal wellbeing", blank=True, help_text="Including attendance, flexi leave, health and safety"
    )
    matters_arising = models.TextField(
        "matters arising and actions from previous supervision", blank=True, help_text="Not case related"
    )
    performance = models.TextField(
        blank=True,
        help_text="Good practice, areas for improvement, capability procedures, obstacles to effective "
        "service delivery",
    )
    training_development = models.TextField(
        "training and development",
        blank=True,
        help_text="Space to reflect on practice, case consultations, learning reviews, QA audits",
    )
    team_relationships = models.TextField("team and service relationships", blank=True)
    policies_procedures = models.TextField("policies and procedures", blank=True)
    aob = models.TextField("any other business", blank=True)
    discussion_notes = models.TextField("discussion notes", blank=True)

    # 002 Frequency: a gap caused by leave is recorded on the next supervision record.
    leave_gap = models.TextField("gap in supervision because of leave", blank=True)

    # "Date, Time and Place of Next Supervision"
    next_date = models.DateField("date of next supervision", null=True, blank=True)
    next_time = models.TimeField("time of next supervision", null=True, blank=True)
    next_place = models.CharField("place of next supervision", max_length=200, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_on = models.DateField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_reason = models.CharField(max_length=300, blank=True)
    # The rendered Record of Supervision. Kept here, not as a child's Document: it is about a member of
    # staff and carries the restricted sections, so only the restricted readers may download it.
    pdf = models.BinaryField(null=True, blank=True)
    pdf_version = models.PositiveIntegerField(default=0)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["supervisee", "-held_on"]),
            models.Index(fields=["supervisor", "-held_on"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self):
        return f"Supervision of {self.supervisee} on {self.held_on:%-d %b %Y}"

    def can_move_to(self, status: str) -> bool:
        """Whether the record may move from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS[self.status]

    @property
    def is_draft(self) -> bool:
        """Held, the record still being written: the only status that may change."""
        return self.status == self.Status.DRAFT

    @property
    def is_finalised(self) -> bool:
        """Finalised: fixed, with its PDF."""
        return self.status == self.Status.FINALISED

    @property
    def counts_as_formal(self) -> bool:
        """Whether it meets the worker's formal 1:1 supervision (002 Group Supervision)."""
        return self.status != self.Status.CANCELLED and self.method in FORMAL_METHODS


class CaseDiscussion(models.Model):
    """One Case Discussion Record (001 App. 5; 000 App. D) on a child's file."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "Case discussion in supervision"
        OOC = "ooc", "Out-of-court case discussion (001 §6.3)"
        MY_FUTURE = "my_future", "My Future case discussion (001 §6.4)"
        SIGNIFICANT_EVENT = "significant_event", "Significant event or change"
        CO_ALLOCATED = "co_allocated", "Co-allocated workers' discussion (003 §5.3)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Held – record not yet on the file"
        RECORDED = "recorded", "Recorded on the child's file"

    # Held as a draft, then recorded on the child's file once (001 App. 5, 004 §7); only a draft changes.
    TRANSITIONS = {Status.DRAFT: frozenset({Status.RECORDED}), Status.RECORDED: frozenset()}

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_discussions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUPERVISION)
    session = models.ForeignKey(
        SupervisionSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_discussions",
        help_text="The supervision it was held in, if any",
    )
    held_on = models.DateField("date of case discussion")
    held_at = models.DateTimeField(null=True, blank=True, help_text="When the time of day matters (24 hours)")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # 002: 24 hours (not 5 working days) for significant case decisions or urgent matters.
    significant = models.BooleanField("significant case decision or urgent matter", default=False)
    # 000 §4.3: a case discussed at a CMM in the last month with no significant concerns gets a brief check.
    brief_check = models.BooleanField("brief check of CMM actions (CMM in the last month)", default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    # 001 App. 5 sections.
    previous_actions = models.TextField("update on actions from previous case discussion / CMM", blank=True)
    overview = models.TextField(
        "case overview / progress of case",
        blank=True,
        help_text="What outcomes are we trying to achieve? Barriers? Diversity factors?",
    )
    new_concerns = models.TextField(
        "new concerns, incidents or events since the most recent assessment",
        blank=True,
        help_text="And the action taken; consider their impact on RoSH, SaW or LoR levels",
    )
    multi_agency = models.TextField(
        "effectiveness of multi-agency partnership working",
        blank=True,
        help_text="Frequency of contact, agency/child/parent feedback, any need for escalation",
    )
    exit_strategy = models.TextField(
        "exit strategy considerations",
        blank=True,
        help_text="Internal and external support to put in place now for the end of the order",
    )
    # 001 §6.3 / 000 §3.5: the first OOC discussion reviews the professionals plan and intervention plan.
    plans_reviewed = models.BooleanField("professionals plan and intervention plan reviewed", default=False)

    recorded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_discussion"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "-held_on"]),
            models.Index(fields=["manager", "-held_on"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self):
        return f"Case discussion for {self.child.case_number} on {self.held_on:%-d %b %Y}"

    def can_move_to(self, status: str) -> bool:
        """Whether the discussion may move from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS[self.status]

    @property
    def is_draft(self) -> bool:
        """Held, not yet on the child's file: it, and its actions, may still change."""
        return self.status == self.Status.DRAFT

    @property
    def is_recorded(self) -> bool:
        """On the child's file, with its event and PDF: fixed."""
        return self.status == self.Status.RECORDED


class DiscussionAction(models.Model):
    """An agreed action of a case discussion: action, who, by when (001 App. 5). Becomes a Task."""

    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField("who (outside the service)", max_length=120, blank=True)
    due = models.DateField("date to be completed by")
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="discussion_action"
    )

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.action

    @property
    def by_whom(self) -> str:
        return str(self.owner.get_full_name() or self.owner) if self.owner_id else self.owner_name


class OversightDecision(models.Model):
    """A management decision outside formal supervision, recorded on the child's file (004 §7, 002)."""

    class Label(models.TextChoices):
        """004 §7's labels, and 002's heading for decisions outside 1:1 supervision."""

        SUPERVISION = "supervision", "Management Oversight - Supervision"
        PANEL = "panel", "Management Oversight by [panel]"
        MULTI_AGENCY = "multi_agency", "Management Oversight (multi-agency concerns or escalation)"
        AUDIT = "audit", "Management Oversight (response to a case audit)"
        OVERSIGHT_HOLDER = "oversight_holder", "Management Oversight (who holds oversight of the case)"
        CASE_DIRECTION = "case_direction", "Management Supervision of Case (informal supervision or duty)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oversight_decisions")
    label = models.CharField(max_length=20, choices=Label.choices)
    panel_name = models.CharField("panel name", max_length=120, blank=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("when the decision was made")
    significant = models.BooleanField("significant case decision or urgent matter", default=False)
    decision = models.TextField("decision and case direction")
    rationale = models.TextField(
        "rationale", blank=True, help_text="The analysis of risk behind the decision"
    )
    actions = models.TextField("actions (SMART)", blank=True)
    recorded_on = models.DateField()
    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="oversight_decision"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["child", "-decided_at"])]

    def __str__(self):
        return f"{self.heading} for {self.child.case_number}"

    @property
    def heading(self) -> str:
        """The label as it appears on the file, with the panel's name (004 §7)."""
        if self.label == self.Label.PANEL:
            return f"Management Oversight by {self.panel_name or 'panel'}"
        return self.get_label_display()


class SupervisionFrequency(models.Model):
    """A supervision frequency agreed for a worker, more frequent than the profile's (002 Frequency).

    The latest row for a worker is in force; `weeks` of 0 returns them to the standard frequency.
    """

    class Weeks(models.IntegerChoices):
        STANDARD = 0, "The service's standard frequency"
        TWO = 2, "Every 2 weeks"
        THREE = 3, "Every 3 weeks"
        FOUR = 4, "Every 4 weeks"

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_frequencies"
    )
    weeks = models.PositiveSmallIntegerField(choices=Weeks.choices)
    from_date = models.DateField()
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-from_date", "-pk"]
        indexes = [models.Index(fields=["worker", "-from_date"])]

    def __str__(self):
        return f"{self.get_weeks_display()} for {self.worker} from {self.from_date:%-d %b %Y}"


class OversightHolder(models.Model):
    """Who holds management oversight of an OOC or My Future case, and the decision behind it (001 §6.3)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oversight_holders")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="oversight_holders")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_date = models.DateField()
    decision = models.OneToOneField(
        OversightDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="holder"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-from_date", "-pk"]
        indexes = [models.Index(fields=["child", "-from_date"]), models.Index(fields=["holder"])]

    def __str__(self):
        return f"{self.holder} holds oversight of {self.child.case_number}"


class ClosureCheck(models.Model):
    """The AP's closure checks on an OOC or My Future case before business support closes it (001 §6.3-§6.4)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested by the worker"
        APPROVED = "approved", "Checked: business support may close"
        RETURNED = "returned", "Returned to the worker"

    # 001 §6.3: the worker requests, the AP reviews once (approve, or return with a note); a returned
    # check stays returned, and the worker requests again.
    TRANSITIONS = {
        Status.REQUESTED: frozenset({Status.APPROVED, Status.RETURNED}),
        Status.APPROVED: frozenset(),
        Status.RETURNED: frozenset(),
    }
    # The AP's decision (ClosureReviewForm's values) and the status it leads to.
    REVIEW_DECISIONS = {"approve": Status.APPROVED, "return": Status.RETURNED}

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="closure_checks")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="closure_checks")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    request_note = models.TextField(blank=True)
    # 000 §3.5 / §5.3 and 001 §6.3: what the AP checks.
    delivered = models.BooleanField(
        "disposal or intervention delivered, paperwork on the file", default=False
    )
    plan_completed = models.BooleanField("action plan completed", default=False)
    review_assessment = models.BooleanField(
        "'Review Assessment at the end of an OOC' (or My Future review) completed and attached", default=False
    )
    exit_planning = models.BooleanField("exit and transition planning in place", default=False)
    levels_reviewed = models.BooleanField("RoSH, SaW and LoR reviewed", default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(null=True, blank=True)
    check_note = models.TextField(blank=True)
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="closure_check"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"])]

    def __str__(self):
        return f"Closure check for {self.child.case_number} ({self.get_status_display()})"

    def can_move_to(self, status: str) -> bool:
        """Whether the check may move from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS[self.status]

    @property
    def awaits_review(self) -> bool:
        """Requested and not yet reviewed by the AP."""
        return bool(self.TRANSITIONS[self.status])
