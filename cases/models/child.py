"""The child's record: the child, their programmes and orders, and the case notes (events)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .organisation import Gender, Team


class RiskLevel(models.TextChoices):
    """RoSH, SaW and LoR levels (001 §4, §5)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# 003 §4-§5 and 001 App. 1 turn on "High or Very High"; 000 §1.3 and 001 §6.2 on "Medium or above".
HIGH_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.VERY_HIGH})
MEDIUM_OR_ABOVE = frozenset({RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH})


class Child(models.Model):
    """A child open to the service. Fictional in all demo data and tests."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    gender_identity = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_STATED)
    # 003 §2.3: where a child's gender identity differs from that assigned at birth, their wishes decide.
    gender_differs_from_birth = models.BooleanField(
        "gender identity differs from that assigned at birth", default=False
    )
    ethnicity = models.CharField(max_length=80, blank=True)
    # The policies call it the CAPITA or COREPLUS number (GLOSSARY); the product plays their part.
    case_number = models.CharField("case number", max_length=20, unique=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="children", verbose_name="locality team"
    )
    looked_after = models.BooleanField("looked after (in care)", default=False)
    open_to_csc = models.BooleanField("open to Children's Social Care", default=False)
    rosh = models.CharField("RoSH", max_length=10, choices=RiskLevel.choices, blank=True)
    saw = models.CharField("SaW", max_length=10, choices=RiskLevel.choices, blank=True)
    lor = models.CharField("LoR", max_length=10, choices=RiskLevel.choices, blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocated_children",
    )
    co_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_allocated_children",
        verbose_name="co-allocated workers",
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[co_workers])
    # simple-history's hook, not a field: set before save() to date the history row of this change (levels
    # agreed earlier than now, cases/services/core.py); never set unless a caller sets it.
    _history_date: datetime.datetime

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["team", "last_name", "first_name"]),
            models.Index(fields=["case_manager", "last_name", "first_name"]),
            models.Index(fields=["rosh"]),
            models.Index(fields=["saw"]),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.case_number})"

    def get_absolute_url(self):
        """The child's record page."""
        return reverse("child_detail", args=[self.pk])

    @property
    def full_name(self):
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self):
        """The child's initials, as correspondence outside the service's pages names them."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()


class Programme(models.Model):
    """A programme or order a child is on; its dates drive the timescales (001 §6 table)."""

    class Kind(models.TextChoices):
        PSR = "psr", "Pre-sentence report"
        MY_FUTURE = "my_future", "My Future"
        OOCD_NO_INTERVENTION = "oocd_no_intervention", "Out of court: no intervention"
        OOCD_INTERVENTION = "oocd_intervention", "Out of court: with intervention"
        OOCD_YCC = "oocd_ycc", "Youth Conditional Caution"
        REFERRAL_ORDER = "referral_order", "Referral Order"
        YRO = "yro", "Youth Rehabilitation Order"
        BAIL_SUPERVISION_SUPPORT = "bail_supervision_support", "Bail Supervision and Support"
        REMAND = "remand", "Remand"
        DTO_CUSTODY = "dto_custody", "DTO / section 91 custody"
        DTO_LICENCE = "dto_licence", "DTO / section 91 licence"
        CROWN_COURT_TRACKING = "crown_court_tracking", "Crown Court tracking"
        SPECIFIC_INTERVENTION = "specific_intervention", "Specific intervention"
        # 003 §12.11: recorded with the child's order; no timescales of its own in 001 §6.
        PARENTING_ORDER = "parenting_order", "Parenting order"

    class ClosureReason(models.TextChoices):
        COMPLETED = "completed", "Completed"
        REVOKED = "revoked", "Revoked or varied by the court"
        BREACHED = "breached", "Ended after breach"
        SENTENCED = "sentenced", "Superseded by sentence"
        TRANSFERRED = "transferred", "Transferred out"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="programmes")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    start_date = models.DateField(
        help_text="As the 001 §6 table says: sentence, panel, allocation or request date"
    )
    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # The dates and flags that drive particular timescales (timescales.md, "Programmes").
    court_date = models.DateField(null=True, blank=True, help_text="PSR: the court date")
    panel_date = models.DateField(null=True, blank=True, help_text="Referral Order: initial panel date")
    custody_threshold = models.BooleanField(default=False, help_text="Referral Order at custody threshold")
    iss = models.BooleanField(
        "with ISS", default=False, help_text="YRO with Intensive Supervision and Surveillance"
    )
    custody_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="DTO custody length")
    # Bail support: an AssetPlus was done for the court that imposed it, so none is due now (001 §6 table:
    # BSS "if not done for Court"; timescales revision 2).
    assessed_for_court = models.BooleanField(
        "AssetPlus done for court", default=False, help_text="Bail supervision and support"
    )
    release_date = models.DateField(null=True, blank=True, help_text="DTO custody: expected release date")
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["kind", "end_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%-d %b %Y}"

    @property
    def is_open(self):
        """No end date yet: the programme or order is running."""
        return self.end_date is None


class EventType(models.TextChoices):
    """Kinds of case note named by 001 and 004."""

    CONTACT = "contact", "Contact"
    HOME_VISIT = "home_visit", "Home visit"
    ASSETPLUS_COMPLETION = "assetplus_completion", "AssetPlus completion"
    CMM_ACTIONS = "cmm_actions", "CMM actions"
    MANAGEMENT_OVERSIGHT_SUPERVISION = "mo_supervision", "Management oversight – supervision"
    MANAGEMENT_OVERSIGHT_PANEL = "mo_panel", "Management oversight by a panel"
    # 004 §7: multi-agency concerns, escalation, audit responses; 002's "Management Supervision of Case".
    MANAGEMENT_OVERSIGHT = "mo_decision", "Management oversight"
    CLOSURE_CHECK = "closure_check", "Closure checks"
    TRANSFER = "transfer", "Transfer"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    COURT = "court", "Court"
    NOTE = "note", "Case note"
    # Written by the product for structured records (source set); their facts come from the record.
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    PROGRAMME = "programme", "Programme"
    ALLOCATION = "allocation", "Allocation"
    LEAVE_COVER = "leave_cover", "Leave cover arrangements"
    CMM = "cmm", "Case management meeting"
    CSC_MEETING = "csc_meeting", "Combined CSC meeting"
    MANAGEMENT_ENTRY = "management_entry", "Management entry"
    FURTHER_OFFENCE = "further_offence", "Further offence"
    BAIL_APPLICATION = "bail_application", "Bail application"
    # Issue 21 (outcomes/): accommodation, ETE, SEND, health screening, wider services, offences, victims.
    CIRCUMSTANCES = "circumstances", "Circumstances"
    # Events that state a fact on their own (cases/facts.py EVENT_FACTS).
    CO_ALLOCATION_AGREEMENT = "co_allocation_agreement", "Co-allocation agreement"
    CO_ALLOCATION_DISCUSSION = "co_allocation_discussion", "Co-allocated workers' discussion"
    REFERRAL_PANEL_INITIAL = "panel_initial", "Referral Order initial panel"
    REFERRAL_PANEL_REVIEW = "panel_review", "Referral Order review panel"
    PSR_SHARED = "psr_shared", "PSR shared with the family"
    PLANNING_MEETING = "planning_meeting", "Custody or remand planning meeting"
    VICTIM_CONTACT_REFERRAL = "victim_contact_referral", "Referral to Probation about victim contact"
    YJAF_ENTERING_CUSTODY = "yjaf_entering_custody", "Entering Custody uploaded to YJAF"
    # Revision 2 (001 §6 table: Remand, DTO Custody): after each planning meeting.
    YJAF_PLAN_UPLOADED = "yjaf_plan_uploaded", "Remand plan uploaded to YJAF"
    YJAF_COMMENT = "yjaf_comment", "Comment on YJAF on the custody planning documents"


class Event(models.Model):
    """A case note. Never edited in place: a correction is a new version that keeps the old (001, 004)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField("type", max_length=30, choices=EventType.choices)
    occurred_on = models.DateField("date")
    summary = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The version this one corrects; the corrected version stays, marked as superseded.
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    correction_reason = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)
    # "assessment:12", "contact:7"...: written by the product for a structured record, whose own facts
    # count; the event is the record's entry on the timeline and adds no fact of its own.
    source = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["child", "is_current", "-occurred_on"])]

    def __str__(self):
        return f"{self.get_event_type_display()}: {self.summary}"
