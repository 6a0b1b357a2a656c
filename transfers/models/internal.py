"""An internal transfer between locality teams (003 §11): the proposal, its decision, the receiving
team's allocation and the three-way meeting, with the moves each status allows."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, Team
from core.models import StatusTransitions


class MoveTerm(models.TextChoices):
    SHORT = "short", "Short term"
    LONG = "long", "Long term or permanent"
    UNKNOWN = "unknown", "Not yet known"


class InternalTransfer(StatusTransitions, models.Model):
    """A proposed move of a child's case to another locality team (003 §11)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed: waiting for the manager's endorsement"
        ESCALATED = "escalated", "Escalated to the service manager"
        ENDORSED = "endorsed", "Endorsed: waiting for the receiving team to allocate"
        ALLOCATED = "allocated", "Allocated: waiting for the three-way meeting"
        COMPLETED = "completed", "Transferred at the three-way meeting"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The moves each status allows (003 §11.4-§11.7): the manager endorses or declines a proposal, a
    # disagreement escalates to the service manager (until the receiving team allocates), the receiving
    # team allocates, the three-way meeting completes; any active transfer may be withdrawn.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PROPOSED: {Status.ENDORSED, Status.DECLINED, Status.ESCALATED, Status.WITHDRAWN},
        Status.ESCALATED: {Status.ENDORSED, Status.DECLINED, Status.WITHDRAWN},
        Status.ENDORSED: {Status.ESCALATED, Status.ALLOCATED, Status.WITHDRAWN},
        Status.ALLOCATED: {Status.COMPLETED, Status.WITHDRAWN},
    }
    # In progress: any status that may still move.
    ACTIVE = tuple(TRANSITIONS)
    # 003 §11.5: the MAPPA meeting's endorsement is recorded before the decision.
    MAPPA_ENDORSABLE = (Status.PROPOSED, Status.ESCALATED)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="internal_transfers")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    from_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField()
    # 003 §11.2: the case-by-case considerations.
    new_address = models.TextField("new address", blank=True)
    move_term = models.CharField(
        "is the move short or long term?", max_length=10, choices=MoveTerm.choices, default=MoveTerm.UNKNOWN
    )
    time_left = models.TextField("time left on the order or intervention", blank=True)
    saw_effect = models.TextField("effect on the child's needs and safety and wellbeing", blank=True)
    rosh_effect = models.TextField("effect on the management of RoSH", blank=True)
    continuity = models.TextField("continuity and stability: other changes in the child's life", blank=True)
    detriment = models.TextField("would a change of worker be detrimental to progress?", blank=True)
    child_views = models.TextField("the child's thoughts and feelings about a change of worker", blank=True)
    # 003 §11.3: the home visit confirming the address, and the review assessment (a significant event).
    home_visit_on = models.DateField("home visit confirming the new address", null=True, blank=True)
    review_assessment_on = models.DateField("review assessment completed", null=True, blank=True)
    # 003 §11.5: MAPPA level 2 or 3 needs the MAPPA meeting's endorsement first.
    mappa_endorsed_on = models.DateField("endorsed by the MAPPA meeting", null=True, blank=True)
    # 003 §11.4: the current case manager's manager endorses or declines; disagreement escalates.
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_on = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    escalation_reason = models.TextField(blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    # 003 §11.4, §11.7: the receiving team allocates within two working days.
    to_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_on = models.DateField(null=True, blank=True)
    # 003 §11.7: the three-way meeting is the formal date of transfer; if the child does not attend,
    # or it does not happen, the case has not transferred.
    meeting_on = models.DateField("three-way meeting", null=True, blank=True)
    meeting_notes = models.TextField(blank=True)
    # 003 §11.7: enforcement action pending should be completed before transfer.
    enforcement_pending = models.BooleanField("enforcement action pending", default=False)
    enforcement_notes = models.TextField(blank=True)
    closed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "status"]),
            models.Index(fields=["to_team", "status"]),
            models.Index(fields=["from_team", "status"]),
        ]

    def __str__(self):
        return f"Transfer of {self.child.case_number} from {self.from_team} to {self.to_team}"

    @property
    def is_active(self) -> bool:
        """In progress: not yet completed, declined or withdrawn."""
        return self.status in self.ACTIVE
