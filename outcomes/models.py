"""The dated records behind the YJB's key performance indicators (KPI 1-10, issue 21).

Each record says what held from one date (and, once it stopped, until another), so the value at any
date, such as a programme's start or end, is the record whose dates cover it. Records are corrected in
place with their history kept (simple-history), never deleted by a practitioner. Victims are third
parties: they are known here by a reference, never by name.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Dated(models.Model):
    """What every KPI fact shares: the child, the dates it held, who recorded it and when."""

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="+")
    from_date = models.DateField("from")
    to_date = models.DateField("until", null=True, blank=True, help_text="Blank while it still holds")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-from_date", "-pk"]

    def covers(self, day) -> bool:
        """The record held on `day`."""
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)


class Accommodation(Dated):
    """KPI 1: where the child lives, and whether it is suitable."""

    class Kind(models.TextChoices):
        PARENTS = "parents", "With parents or carers"
        FAMILY_FRIENDS = "family_friends", "With other family or friends"
        FOSTER = "foster", "Foster care"
        CHILDRENS_HOME = "childrens_home", "Children's home"
        SUPPORTED = "supported", "Supported or semi-independent accommodation"
        INDEPENDENT = "independent", "Independent living"
        SECURE = "secure", "Secure estate (custody or secure children's home)"
        BED_AND_BREAKFAST = "bed_and_breakfast", "Bed and breakfast"
        NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"
        OTHER = "other", "Other"

    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    suitable = models.BooleanField("suitable")
    history = HistoricalRecords()

    class Meta(Dated.Meta):
        indexes = [models.Index(fields=["child", "from_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.from_date:%d/%m/%Y}"


class Education(Dated):
    """KPI 2 (and 3): the child's education, training or employment, the hours a week offered and attended,
    and whether it is suitable."""

    class Provision(models.TextChoices):
        MAINSTREAM_SCHOOL = "mainstream_school", "Mainstream school"
        SPECIAL_SCHOOL = "special_school", "Special school"
        ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision or pupil referral unit"
        HOME_EDUCATION = "home_education", "Elective home education"
        COLLEGE = "college", "College or further education"
        TRAINING = "training", "Training"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        EMPLOYMENT = "employment", "Employment"
        NONE = "none", "None (not in education, training or employment)"

    provision = models.CharField(max_length=30, choices=Provision.choices)
    hours_offered = models.DecimalField(
        "hours offered a week",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    hours_attended = models.DecimalField(
        "hours attended a week",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    suitable = models.BooleanField("suitable")
    history = HistoricalRecords()

    class Meta(Dated.Meta):
        indexes = [models.Index(fields=["child", "from_date"])]

    def __str__(self):
        return f"{self.get_provision_display()} from {self.from_date:%d/%m/%Y}"


class SpecialNeed(Dated):
    """KPI 3: an identified special educational need or disability (SEND; ALN in Wales) and the formal
    learning plan for an academic year."""

    class Plan(models.TextChoices):
        EHCP = "ehcp", "Education, health and care plan (EHCP)"
        IDP = "idp", "Individual development plan (IDP, Wales)"
        SEN_SUPPORT = "sen_support", "SEN support plan"
        NONE = "none", "No formal plan"

    # False records an assessment that found no special educational need (so the KPI knows it was asked).
    identified = models.BooleanField("special educational need or disability identified", default=True)
    need = models.CharField("identified need", max_length=200, blank=True)
    plan = models.CharField("formal learning plan", max_length=20, choices=Plan.choices)
    # "2026/27": the academic year the plan is for (1 September to 31 August).
    plan_academic_year = models.CharField("academic year of the plan", max_length=7, blank=True)
    history = HistoricalRecords()

    class Meta(Dated.Meta):
        indexes = [models.Index(fields=["child", "from_date"])]

    def __str__(self):
        return f"{self.need} ({self.get_plan_display()})"


class HealthNeed(Dated):
    """KPI 4 and 5: a screening (from_date is the screening date), whether it found a need for an
    intervention, the intervention planned or offered, and whether the child attends it."""

    class Area(models.TextChoices):
        MENTAL_HEALTH = "mental_health", "Mental health and emotional wellbeing"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"

    area = models.CharField(max_length=20, choices=Area.choices)
    need_identified = models.BooleanField("need for an intervention identified")
    intervention = models.CharField("intervention planned or offered", max_length=200, blank=True)
    offered_on = models.DateField("planned or offered on", null=True, blank=True)
    attending = models.BooleanField("attending", null=True, blank=True)
    history = HistoricalRecords()

    class Meta(Dated.Meta):
        indexes = [models.Index(fields=["child", "area", "from_date"])]

    def __str__(self):
        return f"{self.get_area_display()} screening on {self.from_date:%d/%m/%Y}"


class WiderService(Dated):
    """KPI 8: the child is on an Early Help plan, a Child in Need or Child Protection plan, or looked after."""

    class Kind(models.TextChoices):
        EARLY_HELP = "early_help", "Early Help plan"
        CHILD_IN_NEED = "child_in_need", "Child in Need plan"
        CHILD_PROTECTION = "child_protection", "Child Protection plan"
        LOOKED_AFTER = "looked_after", "Looked after"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta(Dated.Meta):
        indexes = [models.Index(fields=["child", "kind", "from_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.from_date:%d/%m/%Y}"


class Offence(models.Model):
    """KPI 9: an offence, its YJB gravity score (1-8), and whether it is a serious violence offence."""

    class Category(models.TextChoices):
        VIOLENCE = "violence", "Violence against the person"
        ROBBERY = "robbery", "Robbery"
        DRUGS = "drugs", "Drugs"
        SEXUAL = "sexual", "Sexual offences"
        WEAPONS = "weapons", "Possession of weapons"
        THEFT = "theft", "Theft and handling"
        BURGLARY = "burglary", "Burglary"
        CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage"
        PUBLIC_ORDER = "public_order", "Public order"
        MOTORING = "motoring", "Motoring"
        OTHER = "other", "Other"

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "cases.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_on = models.DateField("date of offence")
    proven_on = models.DateField("proven on", null=True, blank=True, help_text="Outcome or sentence date")
    description = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    gravity = models.PositiveSmallIntegerField(
        "gravity score", validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    serious_violence = models.BooleanField("serious violence offence", default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-committed_on", "-pk"]
        indexes = [models.Index(fields=["child", "committed_on"]), models.Index(fields=["proven_on"])]

    def __str__(self):
        return f"{self.description} ({self.committed_on:%d/%m/%Y})"


class VictimContact(models.Model):
    """KPI 10: one victim of the child's offence, known by a reference (never a name), and what the
    service did: consent to contact, views sought, information given, restorative justice offered and
    taken part in."""

    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        BUSINESS = "business", "A business or organisation"

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "cases.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offence = models.ForeignKey(Offence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reference = models.CharField("victim reference", max_length=40, help_text="Not the victim's name")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    identified_on = models.DateField("identified on")
    consented = models.BooleanField("consented to be contacted", null=True, blank=True)
    views_sought = models.BooleanField("asked for their views", default=False)
    information_given = models.BooleanField("given information about the case", default=False)
    rj_offered = models.BooleanField("restorative justice offered", default=False)
    rj_taken_part = models.BooleanField("took part in restorative justice", default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-identified_on", "-pk"]
        indexes = [models.Index(fields=["child", "identified_on"]), models.Index(fields=["identified_on"])]

    def __str__(self):
        return f"Victim {self.reference}"


class BoardMeeting(models.Model):
    """KPI 7: a meeting of the YJS management board."""

    held_on = models.DateField("held on", unique=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"Management board on {self.held_on:%d/%m/%Y}"


class BoardAttendance(models.Model):
    """KPI 7: whether a statutory partner was at a board meeting, and at a senior enough level."""

    class Partner(models.TextChoices):
        CHILDRENS_SERVICES = "childrens_services", "Local authority children's services"
        EDUCATION = "education", "Education"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    partner = models.CharField(max_length=30, choices=Partner.choices)
    attended = models.BooleanField()
    senior = models.BooleanField("attended by someone senior enough to commit resources", default=False)
    contributed_data = models.BooleanField("brought their agency's data", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "partner"], name="outcomes_board_partner_once")
        ]

    def __str__(self):
        return f"{self.get_partner_display()} at {self.meeting}"


class Snapshot(models.Model):
    """The KPI values as they stood at an intervention's start or end, taken by the product (issue 21).

    `values` holds one entry per KPI field (accommodation kind and suitability, ETE provision, hours and
    suitability, SEND and plan, health needs, wider services); `missing` lists the fields no record
    covered, which keep the snapshot incomplete (and its obligation open) until a record is entered."""

    class Point(models.TextChoices):
        START = "start", "Start"
        END = "end", "End"

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("cases.Programme", on_delete=models.CASCADE, related_name="+")
    point = models.CharField(max_length=5, choices=Point.choices)
    as_of = models.DateField("as it stood on")
    values = models.JSONField(default=dict)
    missing = models.JSONField(default=list)
    complete = models.BooleanField(default=False)
    completed_on = models.DateField(null=True, blank=True)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "point"]
        constraints = [models.UniqueConstraint(fields=["programme", "point"], name="outcomes_snapshot_once")]
        indexes = [models.Index(fields=["as_of", "point"])]

    def __str__(self):
        return f"{self.get_point_display()} snapshot of programme {self.programme_id}"
