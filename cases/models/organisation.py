"""The organisation: teams, staff roles and the staff themselves (000 §2, 001 §2, 003)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
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


class StaffChange(models.Model):
    """A change to a member of staff's access (role, team, line manager, active), asked for by one person
    and made only when a second approves it (issue 18): nobody grants themselves, or anyone alone, a
    role. Every change made is written to the audit log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second person"
        APPROVED = "approved", "Approved and made"
        REJECTED = "rejected", "Rejected"

    FIELDS = ("role", "team", "line_manager", "is_active")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_changes")
    # The values asked for; a blank field means "no change" (team and line manager may be set to none).
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    change_team = models.BooleanField(default=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    change_line_manager = models.BooleanField(default=False)
    line_manager = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(null=True, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-requested_at"])]

    def __str__(self):
        return f"Change to {self.user}: {self.summary}"

    @property
    def summary(self) -> str:
        """What is asked for, in words (names records and fields, never free text)."""
        parts = []
        if self.role:
            parts.append(f"role to {self.get_role_display()}")
        if self.change_team:
            parts.append(f"team to {self.team or 'none'}")
        if self.change_line_manager:
            parts.append(f"line manager to {self.line_manager or 'none'}")
        if self.is_active is not None:
            parts.append("reactivate" if self.is_active else "deactivate")
        return "; ".join(parts) or "nothing"
