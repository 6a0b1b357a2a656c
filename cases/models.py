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


MANAGER_ROLES = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER}
SERVICE_WIDE_ROLES = {Role.SERVICE_MANAGER}


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_STATED = "not_stated", "Prefer not to say"


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


class Child(models.Model):
    """A child open to the service. Fictional in all demo data and tests."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    gender_identity = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_STATED)
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["kind", "end_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%-d %b %Y}"


class EventType(models.TextChoices):
    """Kinds of case note named by 001 and 004."""

    CONTACT = "contact", "Contact"
    HOME_VISIT = "home_visit", "Home visit"
    ASSETPLUS_COMPLETION = "assetplus_completion", "AssetPlus completion"
    CMM_ACTIONS = "cmm_actions", "CMM actions"
    MANAGEMENT_OVERSIGHT_SUPERVISION = "mo_supervision", "Management oversight – supervision"
    MANAGEMENT_OVERSIGHT_PANEL = "mo_panel", "Management oversight by a panel"
    TRANSFER = "transfer", "Transfer"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    COURT = "court", "Court"
    NOTE = "note", "Case note"


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

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["child", "is_current", "-occurred_on"])]

    def __str__(self):
        return f"{self.get_event_type_display()}: {self.summary}"


class AuditEntry(models.Model):
    """Who saw or changed what, and when. Append-only; read by the service manager."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CORRECT = "correct", "Corrected"
        UPDATE = "update", "Updated"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"


class Obligation(models.Model):
    """What a policy requires for a child, as the rules module computed it from the child's facts.

    Stored per child and recomputed whenever the child's record changes (architecture.md): pages and
    beat jobs read these rows and never compute a deadline themselves.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        OVERDUE = "overdue", "Overdue"
        MET = "met", "Met"
        MET_LATE = "met_late", "Met late"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="obligations")
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
        indexes = [models.Index(fields=["status", "due"]), models.Index(fields=["child", "position"])]

    def __str__(self):
        return f"{self.code} due {self.due} ({self.status})"
