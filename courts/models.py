"""Court tracking (003 §9-§10, App. C).

- `CrownCourtTracking`: a child committed to the Crown Court and not on bail supervision and support
  (003 §9.1): the screening (offence seriousness, RoSH, SaW → Band A or B, §9.2), the management
  oversight decision on trial attendance and welfare support (§9.5), and the case tracking principles
  as a checklist. Its programme (`crown_court_tracking`) carries the timescales (allocation in 48 hours,
  contact in 5 days, monthly contact, face to face every three months).
- `AwaitingHearing`: a child awaiting a Magistrates' Court hearing on the court lead's list, screened
  with the App. C questions (§10.1-§10.2), leading to a My Futures offer (§10.3).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, Programme
from core.models import StatusTransitions


class Seriousness(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High (grave crime, serious violence or sexual offence)"


class Band(models.TextChoices):
    A = "a", "Band A case manager"
    B = "b", "Band B (senior) case manager"


class CrownCourtTracking(models.Model):
    """Crown Court tracking of one child's case (003 §9)."""

    # The case tracking principles of 003 §9 (code, label).
    PRINCIPLES = [
        ("details_given", "Child and parent/guardian given the case manager's details and the duty number"),
        ("monthly_contact", "Monthly contact, with face to face at least every three months"),
        ("after_appearance", "After each appearance: their understanding checked and the outcome recorded"),
        ("prepared", "Child and parent/guardian prepared for each appearance"),
        ("needs_assessed", "Specific needs assessed for onward referral to specialist services"),
        ("solicitor", "Contact made with the representing solicitor"),
        ("court_alerted", "Court/cells staff alerted to any special needs or risks"),
    ]

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="crown_court_trackings")
    programme = models.OneToOneField(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="crown_court_tracking"
    )
    first_appearance_at = models.DateTimeField("first appearance at the Crown Court")
    court = models.CharField(max_length=120, default="Nottingham Crown Court")
    offence = models.CharField("alleged offence", max_length=200)
    seriousness = models.CharField(max_length=10, choices=Seriousness.choices)
    rosh = models.CharField("RoSH at screening", max_length=10, blank=True)
    saw = models.CharField("SaW at screening", max_length=10, blank=True)
    band = models.CharField("screening decision", max_length=1, choices=Band.choices)
    screening_notes = models.TextField(blank=True)
    next_hearing_on = models.DateField(null=True, blank=True)
    trial_attendance = models.TextField(
        "management oversight: trial attendance and welfare support (003 §9.5)", blank=True
    )
    oversight_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    oversight_on = models.DateField(null=True, blank=True)
    principles = models.JSONField(default=list, blank=True)
    out_of_area_home_yjs = models.CharField(
        "home YJS, if from out of area (003 §9.7)", max_length=120, blank=True
    )
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_appearance_at", "-pk"]
        indexes = [models.Index(fields=["child", "ended_on"])]

    def __str__(self):
        return f"Crown Court tracking for {self.child.case_number}"

    @property
    def is_open(self) -> bool:
        """Still running: not ended, and its programme (if any) not closed (a closed programme stops the
        contact timescales, timescales.md "Recurring")."""
        if self.ended_on is not None:
            return False
        return self.programme is None or self.programme.end_date is None


class AwaitingHearing(StatusTransitions, models.Model):
    """A child awaiting a Magistrates' Court hearing, screened for a My Futures offer (003 §10, App. C)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet screened"
        OFFER = "offer", "Offer My Futures"
        NO_OFFER = "no_offer", "No offer"
        ACCEPTED = "accepted", "Offer accepted: My Futures allocated"
        DECLINED = "declined", "Offer declined by the child or family"

    # The decisions a screening makes (003 §10.2).
    SCREEN_DECISIONS = (Decision.OFFER, Decision.NO_OFFER)
    # Still on the list for the hearing: not screened, or offered and not yet answered (003 §10.1).
    ON_LIST = (Decision.PENDING, Decision.OFFER)
    # 003 §10.1-§10.3: screened (and screened again) until the child answers an offer; the answer is
    # final (an acceptance starts the My Future programme).
    STATUS_FIELD: ClassVar[str] = "decision"
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Decision.PENDING: frozenset(SCREEN_DECISIONS),
        Decision.OFFER: frozenset({*SCREEN_DECISIONS, Decision.ACCEPTED, Decision.DECLINED}),
        Decision.NO_OFFER: frozenset(SCREEN_DECISIONS),
        Decision.ACCEPTED: frozenset(),
        Decision.DECLINED: frozenset(),
    }

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="awaiting_hearings")
    hearing_on = models.DateField("next hearing")
    court = models.CharField(max_length=120, default="Nottingham Magistrates' Court")
    offence = models.CharField(max_length=200)
    listed_on = models.DateField("added to the list (from the 'Future Court' report)")
    # App. C questions.
    adjournment_over_six_weeks = models.BooleanField(
        "Is there an adjournment of more than six weeks?", null=True, blank=True
    )
    risk_to_others = models.BooleanField("Does the offence indicate a risk to others?", null=True, blank=True)
    no_other_agencies = models.BooleanField("Are there no other agencies involved?", null=True, blank=True)
    # 003 §10.2 circumstances.
    circumstances = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_on = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    programme = models.OneToOneField(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="awaiting_hearing"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing_on", "pk"]
        indexes = [models.Index(fields=["decision", "hearing_on"])]

    def __str__(self):
        return f"{self.child.case_number} awaiting a hearing on {self.hearing_on:%-d %b %Y}"

    @property
    def is_screenable(self) -> bool:
        """The screening may still be made or changed: the child has not answered an offer."""
        return any(self.can_move_to(decision) for decision in self.SCREEN_DECISIONS)

    @property
    def awaits_answer(self) -> bool:
        """My Futures has been offered and the child's answer is not yet recorded (003 §10.3)."""
        return self.can_move_to(self.Decision.ACCEPTED)
