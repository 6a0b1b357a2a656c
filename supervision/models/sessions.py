"""The Record of Supervision (000 App. C) and a worker's agreed supervision frequency (002 Frequency)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import StatusTransitions, Versioned


class SupervisionMethod(models.TextChoices):
    """000 App. C "Supervision Method (eg 1:1, group etc)"; 000 §3.2 allows Teams and phone."""

    ONE_TO_ONE = "one_to_one", "1:1 in person"
    ONLINE = "online", "1:1 online (for example Microsoft Teams)"
    PHONE = "phone", "1:1 by phone"
    GROUP = "group", "Group supervision"


# 002 "Group Supervision": group supervision does not replace formal 1:1 supervision.
FORMAL_METHODS = frozenset({SupervisionMethod.ONE_TO_ONE, SupervisionMethod.ONLINE, SupervisionMethod.PHONE})


class SupervisionSession(StatusTransitions, Versioned):
    """One Record of Supervision (000 App. C, 000 §6.1): the sections, cases discussed and next date."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Held – record in progress"
        FINALISED = "finalised", "Finalised"
        CANCELLED = "cancelled", "Cancelled"

    # A record is held as a draft, then finalised or cancelled once (000 App. C); only a draft changes.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
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

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["supervisee", "-held_on"]),
            models.Index(fields=["supervisor", "-held_on"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self):
        return f"Supervision of {self.supervisee} on {self.held_on:%-d %b %Y}"

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
