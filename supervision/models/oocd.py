"""The oversight of out-of-court (OOC) and My Future cases (001 §6.3-§6.4, 000 §3): who holds it, and
the AP's closure checks."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, Programme
from core.models import StatusTransitions, Task

from .discussions import OversightDecision


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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-from_date", "-pk"]
        indexes = [models.Index(fields=["child", "-from_date"]), models.Index(fields=["holder"])]

    def __str__(self):
        return f"{self.holder} holds oversight of {self.child.case_number}"


class ClosureCheck(StatusTransitions, models.Model):
    """The AP's closure checks on an OOC or My Future case before business support closes it (001 §6.3-§6.4)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested by the worker"
        APPROVED = "approved", "Checked: business support may close"
        RETURNED = "returned", "Returned to the worker"

    # 001 §6.3: the worker requests, the AP reviews once (approve, or return with a note); a returned
    # check stays returned, and the worker requests again.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"])]

    def __str__(self):
        return f"Closure check for {self.child.case_number} ({self.get_status_display()})"

    @property
    def awaits_review(self) -> bool:
        """Requested and not yet reviewed by the AP."""
        return bool(self.TRANSITIONS[self.status])
