"""The organisation (teams, staff) and the child's record (children, programmes, events, audit)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Team(models.Model):
    """A team of the service: locality teams hold children; the Interventions team co-works (000 §2)."""

    class Kind(models.TextChoices):
        LOCALITY = "locality", "Locality team"
        INTERVENTIONS = "interventions", "Interventions team"
        SERVICE = "service", "Service management"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LOCALITY)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """Staff roles named by 000 §2, 001 §2 and 003."""

    CASE_MANAGER = "case_manager", "Case manager (Band A)"
    YJS_OFFICER = "yjs_officer", "YJS officer"
    SENIOR_CASE_MANAGER = "senior_case_manager", "Senior case manager (Band B)"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner (Band C)"
    TEAM_MANAGER = "team_manager", "Team manager"
    INTERVENTION_WORKER = "intervention_worker", "Intervention worker"
    STUDENT = "student", "Student"
    BUSINESS_SUPPORT = "business_support", "Business support"
    SERVICE_MANAGER = "service_manager", "Service manager"
    ADMINISTRATOR = "administrator", "Administrator"
    # Seconded and coordinator roles, each supervised as 000 §2.2-§2.7 and 001 §2 say (supervision/chain.py).
    DEVELOPMENT_MANAGER = "development_manager", "YJS development manager"
    SECONDED_PROBATION = "seconded_probation", "Seconded probation officer"
    SECONDED_POLICE = "seconded_police", "Seconded police officer, PCSO or PLAS"
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", "Volunteer coordinator"
    ETE_COORDINATOR = "ete_coordinator", "ETE coordinator"
    MENTORING_COORDINATOR = "mentoring_coordinator", "Mentoring coordinator"
    YOUTH_WORKER = "youth_worker", "Part-time youth worker"
    FUTURES_ETE_COORDINATOR = "futures_ete_coordinator", "Seconded Futures ETE coordinator"
    FUTURES_ETE_ADVISOR = "futures_ete_advisor", "Seconded Futures ETE advisor"
    MENTOR = "mentor", "Part-time mentor"


MANAGER_ROLES = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER}
SERVICE_WIDE_ROLES = {Role.SERVICE_MANAGER}


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_STATED = "not_stated", "Prefer not to say"


class EmailPreference(models.TextChoices):
    """What a member of staff gets by email from the alerts (alerts/); in-app notifications always appear."""

    DIGEST = "digest", "A daily email digest of what is due today, due soon and overdue"
    OVERDUE_ONLY = "overdue_only", "No digest: email me only about overdue work"


class User(AbstractUser):
    """A member of staff. The line manager walks the supervision chain (000 §2, 002)."""

    role = models.CharField(max_length=30, choices=Role.choices, default=Role.CASE_MANAGER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    # 003 §3: allocation considers the worker's gender against the child's.
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_STATED)
    # 003 §7: cover arrangements while a worker is absent.
    is_absent = models.BooleanField("currently absent", default=False)
    # 003 §2.1: allocation has regard to capacity, as weighted complexity points (cases/allocation.py).
    capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Weighted complexity points this worker can hold; blank uses the role's default",
    )
    # Alerts (alerts/): the daily digest, or email only about overdue work, which cannot be switched off.
    email_preference = models.CharField(
        max_length=20, choices=EmailPreference.choices, default=EmailPreference.DIGEST
    )

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_manager(self):
        """Team managers and advanced practitioners oversee a team's cases."""
        return self.role in MANAGER_ROLES

    @property
    def is_service_wide(self):
        """The service manager sees every team."""
        return self.role in SERVICE_WIDE_ROLES


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
        return reverse("child_detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self):
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
    # Events that state a fact on their own (cases/facts.py EVENT_FACTS).
    CO_ALLOCATION_AGREEMENT = "co_allocation_agreement", "Co-allocation agreement"
    CO_ALLOCATION_DISCUSSION = "co_allocation_discussion", "Co-allocated workers' discussion"
    REFERRAL_PANEL_INITIAL = "panel_initial", "Referral Order initial panel"
    REFERRAL_PANEL_REVIEW = "panel_review", "Referral Order review panel"
    PSR_SHARED = "psr_shared", "PSR shared with the family"
    PLANNING_MEETING = "planning_meeting", "Custody or remand planning meeting"
    VICTIM_CONTACT_REFERRAL = "victim_contact_referral", "Referral to Probation about victim contact"
    YJAF_ENTERING_CUSTODY = "yjaf_entering_custody", "Entering Custody uploaded to YJAF"


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


class Obligation(models.Model):
    """What a policy requires for a child (or a worker), as the rules module computed it from facts.

    Stored per child and recomputed whenever the child's record changes (architecture.md): pages and
    beat jobs read these rows and never compute a deadline themselves.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        OVERDUE = "overdue", "Overdue"
        MET = "met", "Met"
        MET_LATE = "met_late", "Met late"

    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations"
    )
    # Worker obligations (003 §7.2 leave, 000 §4.1 supervision) name the worker and no child.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations"
    )
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="For hour-based rules")
    earliest = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    met_on = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=200)
    position = models.PositiveIntegerField(help_text="Order given by the rules module")
    as_of = models.DateField()

    class Meta:
        ordering = ["child", "position"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["child", "position"]),
            models.Index(fields=["worker", "position"]),
            # The compliance dashboard counts what fell due in a period, per code (dashboards/).
            models.Index(fields=["due", "code"]),
        ]

    def __str__(self):
        return f"{self.code} due {self.due} ({self.status})"

    @property
    def is_outstanding(self):
        return self.status in (self.Status.OPEN, self.Status.OVERDUE)


class FactSnapshot(models.Model):
    """The facts a child's (or worker's) obligations were last computed from (cases/services/core.py).

    Facts change only when a record changes, and every change recomputes the obligations, which stores
    them here; so the alerts sweep can re-judge every obligation as of a new date with the rules module
    alone, without re-reading each child's records (alerts/services.py).
    """

    child = models.OneToOneField(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="fact_snapshot"
    )
    worker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fact_snapshot",
    )
    facts = models.JSONField(default=list)
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, worker__isnull=True)
                | models.Q(child__isnull=True, worker__isnull=False),
                name="fact_snapshot_child_xor_worker",
            )
        ]

    def __str__(self):
        return (
            f"Facts for {'child ' + str(self.child_id) if self.child_id else 'worker ' + str(self.worker_id)}"
        )


class Assessment(models.Model):
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

    class Meta:
        ordering = ["-started_on", "-created_at"]
        indexes = [models.Index(fields=["child", "-started_on"]), models.Index(fields=["worker", "ended_on"])]

    def __str__(self):
        return f"{self.worker} ({self.get_role_display()}) from {self.started_on:%-d %b %Y}"


class Leave(models.Model):
    """A worker's planned or unplanned leave, and the cover for their cases (003 §7)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "Planned leave"
        UNPLANNED = "unplanned", "Unplanned leave (for example sickness)"

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
