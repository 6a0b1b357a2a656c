"""Case discussions (001 App. 5; 000 App. D), their agreed actions, and management oversight decisions
outside formal supervision (004 §7, 002)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, Event
from core.models import StatusTransitions, Task, Versioned

from .sessions import SupervisionSession


class CaseDiscussion(StatusTransitions, Versioned):
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
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.DRAFT: frozenset({Status.RECORDED}),
        Status.RECORDED: frozenset(),
    }

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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "-held_on"]),
            models.Index(fields=["manager", "-held_on"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self):
        return f"Case discussion for {self.child.case_number} on {self.held_on:%-d %b %Y}"

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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.action

    @property
    def by_whom(self) -> str:
        """Who will complete it: the colleague's name, or the person outside the service."""
        return str(self.owner.get_full_name() or self.owner) if self.owner is not None else self.owner_name


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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

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
