"""Case Management Meetings, combined CSC meetings, compliance reports and their records.

000 §1 and 001 §6.2, §6.5, App. 4 (the CMM Record), 000 App. B (the compliance report), and MAPPA level 1
information sharing meetings (001 §8), which follow the same machinery with their own template.

A meeting moves booked → held → finalised (or cancelled). Its facts (meetings/facts.py) are what the
rules module sees: `cmm_held` (or `csc_meeting_held`, `mappa_meeting_held`) once it is held, then
`cmm_actions_recorded` and `cmm_minutes_completed` when the chair records them.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, Event, RiskLevel
from core.models import StatusTransitions, Versioned


class MeetingKind(models.TextChoices):
    """The CMM types of 000 §1.1 and 001 §6.1, and MAPPA level 1 meetings (001 §8).

    The values are the `reason` of the `cmm_held` fact (timescales.md), except MAPPA level 1.
    """

    RISK_REVIEW = "risk_review", "Risk review (RoSH and SaW)"
    BAIL = "bail", "Bail strategy"
    ISS_REVIEW = "iss_review", "ISS review"
    COMPLIANCE = "compliance", "Compliance"
    RELEASE = "release", "Release from custody review"
    REOFFENDING = "reoffending", "Re-offending review"
    SIGNIFICANT_EVENT = "significant_event", "Significant event"
    MAPPA_LEVEL_1 = "mappa_level_1", "MAPPA level 1 information sharing meeting"


class Participation(models.TextChoices):
    """How the child and parent/carer take part, by meeting type (000 §1.2)."""

    VIEWS_BEFORE = "views_before", "Views gathered before the meeting"
    ASKED_TO_ATTEND = "asked_to_attend", "Asked whether they wish to attend; views gathered if not"
    MEET_TM = "meet_tm", "Team manager or AP meets the child and parent/carer about non-compliance"


class Meeting(StatusTransitions, Versioned):
    """One CMM (or combined CSC meeting, or MAPPA level 1 meeting) and its record (001 App. 4)."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Held – record in progress"
        FINALISED = "finalised", "Finalised"
        CANCELLED = "cancelled", "Cancelled"

    # 001 §6.2: a meeting is booked, then held, then its record finalised; only a booked meeting is
    # cancelled (a held one has a record to finish). Recording a held meeting again is an edit, not a move.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.BOOKED: frozenset({Status.HELD, Status.CANCELLED}),
        Status.HELD: frozenset({Status.FINALISED}),
        Status.FINALISED: frozenset(),
        Status.CANCELLED: frozenset(),
    }
    # The statuses whose record (participation, compliance report, sections, actions) may still change.
    OPEN = frozenset({Status.BOOKED, Status.HELD})

    class CscDecision(models.TextChoices):
        """000 §1.4, 001 §6.5: when a CSC meeting falls inside the 11-week review window."""

        COMBINE = "combine", "Combine: TM or AP attends the CSC meeting and records RoSH oversight here"
        NO_CMM_NEEDED = "no_cmm_needed", "No CMM needed: agreed with the case manager (Low RoSH, SaW Medium+)"

    class CscMeetingType(models.TextChoices):
        CHILD_PROTECTION_CONFERENCE = "cp_conference", "Child protection conference"
        CORE_GROUP = "core_group", "Core group meeting"
        CHILD_IN_NEED = "child_in_need", "Child in need meeting"
        CCE_MAM = "cce_mam", "CSC-led exploitation multi-agency meeting"
        LAC_REVIEW = "lac_review", "Looked-after child review"
        OTHER = "other", "Other CSC meeting"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    # The obligation it was booked from ("cmm.risk_review"), so "What is due" can say it is booked.
    for_obligation = models.CharField(max_length=60, blank=True)
    reason = models.TextField("reason for the meeting", blank=True)

    # Booking (001 §6.2)
    starts_at = models.DateTimeField("date and time")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("online meeting link", max_length=400, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_as_case_manager"
    )
    panel_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings_on_panel",
        verbose_name="standing panel members",
    )
    # 001 §8: a MAPPA level 1 meeting is chaired by the team manager; when the TM is not available, by
    # whoever the service agrees, and this records that agreement (who agreed, when, why).
    chair_agreement = models.TextField(
        "agreement that someone other than the team manager chairs", blank=True
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # 001 §6.2 minimum attendance: at least one standing panel member, or the booking says why not.
    no_panel_member_reason = models.TextField("why no standing panel member is invited", blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    short_notice_reason = models.TextField(
        "why the meeting is booked with less than two weeks' notice", blank=True
    )
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    # Combined CSC meeting (000 §1.4, 001 §6.5): set when a CSC meeting takes the CMM's place.
    csc_meeting_type = models.CharField(max_length=20, choices=CscMeetingType.choices, blank=True)
    csc_decision = models.CharField(max_length=20, choices=CscDecision.choices, blank=True)
    csc_decision_rationale = models.TextField(blank=True)
    confidential_discussion_needed = models.BooleanField(
        "a confidential professionals-only discussion was needed", null=True, blank=True
    )

    # The child's and parent/carer's participation (000 §1.2)
    participation = models.CharField(max_length=20, choices=Participation.choices, blank=True)
    child_attending = models.BooleanField("the child or parent/carer will attend", null=True, blank=True)
    views_gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    views_gathered_on = models.DateField(null=True, blank=True)

    # Compliance report (000 App. B), completed by the case manager at least 24 hours before (000 §1.3)
    compliance_period_start = models.DateField(null=True, blank=True)
    compliance_period_end = models.DateField(null=True, blank=True)
    compliance_figures = models.JSONField(default=dict, blank=True)  # the App. B counts and rows, frozen
    compliance_actions_taken = models.JSONField(default=dict, blank=True)  # contact pk → action taken
    unacceptable_behaviour = models.TextField("details of any unacceptable behaviour", blank=True)
    plan_progress = models.TextField(
        "details of the current intervention plan and any progress or barriers", blank=True
    )
    compliance_report_submitted_at = models.DateTimeField(null=True, blank=True)
    breach_presumption_considered = models.BooleanField(
        "the presumption against breach for a child in care was considered", null=True, blank=True
    )

    # The record (001 App. 4), section by section
    held_at = models.DateTimeField("date and time held", null=True, blank=True)
    attendees = models.TextField(blank=True)
    apologies = models.TextField(blank=True)
    previous_actions_review = models.TextField("review of actions from the previous meeting", blank=True)
    current_rosh = models.CharField("RoSH", max_length=10, choices=RiskLevel.choices, blank=True)
    current_saw = models.CharField("SaW", max_length=10, choices=RiskLevel.choices, blank=True)
    current_lor = models.CharField("LoR", max_length=10, choices=RiskLevel.choices, blank=True)
    circumstances = models.TextField("current circumstances and new incidents of concern", blank=True)
    changing_circumstances = models.TextField("dealing with changing circumstances", blank=True)
    diversity = models.TextField("diversity and disproportionality factors", blank=True)
    agency_updates = models.TextField("further information and updates from other agencies", blank=True)
    views = models.TextField("the child's and parent/carer's views", blank=True)
    rosh_analysis = models.TextField("Risk of Serious Harm assessment", blank=True)
    saw_analysis = models.TextField("Safety and Wellbeing assessment", blank=True)
    lor_analysis = models.TextField("Likelihood of Re-offending", blank=True)
    strengths = models.TextField("protective and desistance factors and strengths", blank=True)
    risk_management_plan = models.TextField(blank=True)
    revised_rosh = models.CharField("revised RoSH", max_length=10, choices=RiskLevel.choices, blank=True)
    revised_saw = models.CharField("revised SaW", max_length=10, choices=RiskLevel.choices, blank=True)
    revised_lor = models.CharField("revised LoR", max_length=10, choices=RiskLevel.choices, blank=True)
    next_meeting_at = models.DateTimeField("date and time of the next meeting", null=True, blank=True)
    next_meeting_venue = models.CharField("venue of the next meeting", max_length=200, blank=True)

    # Follow-up (001 §6.2): actions into an event within 48 hours, minutes within five working days.
    actions_recorded_on = models.DateField(null=True, blank=True)
    actions_event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_actions"
    )
    finalised_on = models.DateField("minutes completed on", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_sent_on = models.DateField(null=True, blank=True)
    mappa_minutes_sent_on = models.DateField("minutes sent to the MAPPA unit on", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["child", "-starts_at"]),
            models.Index(fields=["chair", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self):
        """The meeting's title and date."""
        return f"{self.title} on {self.starts_at:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        """Whether its record may still be written: booked or held, not finalised or cancelled."""
        return self.status in self.OPEN

    @property
    def is_csc_combined(self) -> bool:
        """Whether a CSC meeting takes the CMM's place (000 §1.4, 001 §6.5)."""
        return bool(self.csc_meeting_type)

    @property
    def is_mappa(self) -> bool:
        """Whether this is a MAPPA level 1 information sharing meeting (001 §8)."""
        return self.kind == MeetingKind.MAPPA_LEVEL_1

    @property
    def title(self) -> str:
        """The meeting as pages, events and emails name it."""
        if self.is_csc_combined:
            return f"Combined CSC meeting ({self.get_csc_meeting_type_display()})"
        if self.is_mappa:
            return "MAPPA level 1 information sharing meeting"
        return f"CMM: {self.get_kind_display()}"

    @property
    def source(self) -> str:
        """The `source` of the events, tasks and documents the meeting makes."""
        return f"meeting:{self.pk}"


class Invitation(models.Model):
    """Someone invited to the meeting: a colleague or an agency (001 §6.2: at least two weeks ahead)."""

    class Response(models.TextChoices):
        INVITED = "invited", "Invited"
        ATTENDING = "attending", "Attending"
        APOLOGIES = "apologies", "Apologies"
        WRITTEN_UPDATE = "written_update", "Cannot attend: written update sent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    role_in_meeting = models.CharField(max_length=80, blank=True)
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.INVITED)
    written_update = models.TextField(blank=True)
    attended = models.BooleanField(null=True, blank=True)
    # When the invitation was issued (the notice given, 001 §6.2); `message` is its email in the outbox,
    # whose status says whether the mail server has taken it yet (ADR 0010).
    sent_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "core.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        """The invitee's name, with their agency."""
        return f"{self.name} ({self.agency})" if self.agency else self.name

    @property
    def is_external(self) -> bool:
        """Outside the organisation: gets the minutes as a password-protected PDF (001 §6.2)."""
        return self.user_id is None


class MeetingAction(models.Model):
    """An agreed action: action, by whom, by when (001 App. 4). Becomes a tracked Task when recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField("by whom (outside the service)", max_length=120, blank=True)
    due = models.DateField("by when")
    task = models.OneToOneField(
        "core.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_action"
    )

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        """The action's text."""
        return self.action

    @property
    def by_whom(self) -> str:
        """The colleague's name, or the name of the person outside the service."""
        return str(self.owner.get_full_name() or self.owner) if self.owner is not None else self.owner_name


class FurtherOffence(models.Model):
    """A further offence while the child is open: it calls a re-offending CMM (000 §1.3).

    Before a PSR court date, or sentenced without a PSR (the CMM within 15 working days of sentence).
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="further_offences")
    offence_date = models.DateField(null=True, blank=True)
    description = models.TextField()
    psr_court_date = models.DateField("PSR court date", null=True, blank=True)
    sentence_date = models.DateField(null=True, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self):
        """When the offence was recorded."""
        return f"Further offence recorded {self.recorded_on:%-d %b %Y}"


class BailApplication(models.Model):
    """A bail application listed for a date: the bail strategy CMM must be held before it (000 §1.3)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="bail_applications")
    bail_date = models.DateField("date of the bail application")
    court = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-bail_date", "-pk"]

    def __str__(self):
        """When the application is listed."""
        return f"Bail application on {self.bail_date:%-d %b %Y}"
