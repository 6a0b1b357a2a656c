"""MAPPA (001 §8): eligibility by category, Form H notification, management level with its history,
and the register that replaces the SharePoint MAPPA spreadsheet.

States `mappa_eligible` (category, when identified), `mappa_form_h_sent` and `mappa_level_set` (each
level, when set). Level 1 meetings are CMM-machinery meetings (meetings.Meeting kind mappa_level_1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child


class Category(models.IntegerChoices):
    ONE = 1, "Category 1: registered sexual offender"
    TWO = 2, "Category 2: violent or other sexual offender"
    THREE = 3, "Category 3: other dangerous offender"


class Criterion(models.TextChoices):
    """The eligibility criteria 001 §8 lists under each category."""

    REGISTERED_SEXUAL_OFFENDER = "rso", "Registered sexual offender (category 1)"
    SCH15_CUSTODY = (
        "sch15_custody",
        "12 months or more custody for a Schedule 15 CJA 2003 offence (category 2)",
    )
    CUSTODY_HOSPITAL_TRANSFER = (
        "hospital_transfer",
        "12 months or more custody and transferred to hospital under s.47/49 MHA 1983 (category 2)",
    )
    HOSPITAL_ORDER = (
        "hospital_order",
        "Detained in hospital under s.37 MHA 1983, with or without s.41 (category 2)",
    )
    OTHER_DANGEROUS = (
        "other_dangerous",
        "Cautioned for or convicted of an offence showing capacity for serious harm, needing multi-agency "
        "management (category 3)",
    )


# 001 §8 category 2: "sentenced to 12 months or more custody" (Schedule 15 offence, or transferred to
# hospital under s.47/49 MHA 1983). The hospital order (s.37) needs no custodial sentence.
CUSTODY_CRITERIA = frozenset({Criterion.SCH15_CUSTODY, Criterion.CUSTODY_HOSPITAL_TRANSFER})
CATEGORY_2_CUSTODY_MONTHS = 12

CRITERION_CATEGORY = {
    Criterion.REGISTERED_SEXUAL_OFFENDER: Category.ONE,
    Criterion.SCH15_CUSTODY: Category.TWO,
    Criterion.CUSTODY_HOSPITAL_TRANSFER: Category.TWO,
    Criterion.HOSPITAL_ORDER: Category.TWO,
    Criterion.OTHER_DANGEROUS: Category.THREE,
}


class Level(models.IntegerChoices):
    ONE = 1, "Level 1: managed by the YJS through CMM procedures"
    TWO = 2, "Level 2: multi-agency, chaired by the MAPPA co-ordinator"
    THREE = 3, "Level 3: exceptional resources or media attention"


class MappaRecord(models.Model):
    """A child's MAPPA eligibility: category, criterion, Form H, and the current level (001 §8)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="mappa_records")
    category = models.PositiveSmallIntegerField(choices=Category.choices)
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    offence = models.CharField("index offence", max_length=200, blank=True)
    # 001 §8 category 2 (custody criteria): the custodial sentence, in months; 12 or more qualifies.
    custody_months = models.PositiveSmallIntegerField(
        "length of the custodial sentence in months", null=True, blank=True
    )
    identified_on = models.DateField("date identified as eligible")
    form_h_sent_on = models.DateField("Form H sent to the MAPPA Co-ordination Unit", null=True, blank=True)
    form_h_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Denormalised from the latest MappaLevel for the register's filters (kept in step by the services).
    current_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    ended_on = models.DateField("no longer managed under MAPPA", null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-identified_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "ended_on"]),
            models.Index(fields=["category", "current_level"]),
            models.Index(fields=["ended_on", "current_level"]),
        ]

    def __str__(self):
        return f"MAPPA category {self.category} for {self.child.case_number}"

    @property
    def is_open(self) -> bool:
        """Still managed under MAPPA: an ended record is kept but no longer changed (001 §8)."""
        return self.ended_on is None


class MappaLevel(models.Model):
    """One setting of the MAPPA management level, kept as history (001 §8 "lowest defensible level")."""

    record = models.ForeignKey(MappaRecord, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    set_on = models.DateField()
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_on", "-pk"]
        indexes = [models.Index(fields=["record", "-set_on"])]

    def __str__(self):
        return f"MAPPA level {self.level} from {self.set_on:%-d %b %Y}"


class RegisterShare(models.Model):
    """A quarterly share of the register with the MAPPA unit, by the development manager (001 §8)."""

    quarter = models.CharField(max_length=7, unique=True, help_text="For example 2026-Q4")
    shared_on = models.DateField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"MAPPA register shared for {self.quarter}"
