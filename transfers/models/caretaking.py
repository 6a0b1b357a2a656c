"""A caretaking agreement (003 App. B, §12.1-§12.2, §12.5, §12.7): what each area does, its reviews and
its end."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child
from core.models import StatusTransitions

from .transfer_in import TransferIn


class CaretakingAgreement(StatusTransitions, models.Model):
    """Transfer of Case on Caretaking Basis Agreement (003 App. B)."""

    # The App. B suggested responsibilities (code, label).
    OUR_RESPONSIBILITIES = [
        ("assessments", "Subsequent assessments (utilising AssetPlus)"),
        (
            "planning",
            "Updating planning elements in AssetPlus where agreed, and delivering agreed interventions",
        ),
        ("non_compliance", "Inform the home YJS of any non-compliance and, where agreed, list for breach"),
        ("updates", "Provide updates to the home YJS, including the passing of data at agreed intervals"),
        ("mappa", "Multi-Agency Public Protection Arrangements (MAPPA) co-ordination"),
    ]
    HOME_RESPONSIBILITIES = [
        ("psr", "Pre-sentence reports"),
        ("last_assetplus", "Last completed AssetPlus stage"),
        ("care_plan", "Regular contact with the host YJS and input from the young person's care plan"),
        ("sentence_planning", "Sentence planning (utilising AssetPlus) and attendance at reviews"),
        ("breach", "Completion of breach documents"),
        ("integration", "Ensuring YJS activity is fully integrated into the care plan"),
    ]

    class Status(models.TextChoices):
        ACTIVE = "active", "Caretaking"
        FULL_TRANSFER = "full_transfer", "Ended: full transfer accepted"
        RETURNED = "returned", "Ended: returned to the home YJS"
        ENDED = "ended", "Ended: order finished"

    # 003 §12.1: an agreement in force ends once, by full transfer, return home or the order ending.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.ACTIVE: {Status.FULL_TRANSFER, Status.RETURNED, Status.ENDED}
    }

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="caretaking_agreements")
    transfer_in = models.OneToOneField(
        TransferIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreement"
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.ACTIVE)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="our case manager"
    )
    home_yjs = models.CharField("home YJS", max_length=120)
    home_officer = models.CharField("responsible officer in the home YJS", max_length=120)
    starts_on = models.DateField("date we assume caretaking responsibilities")
    our_responsibilities = models.JSONField(default=list, blank=True)
    our_other = models.TextField("other responsibilities we undertake", blank=True)
    home_responsibilities = models.JSONField(default=list, blank=True)
    home_other = models.TextField("other responsibilities the home YJS keeps", blank=True)
    contact_frequency = models.CharField(
        "contact frequency agreed with the home YJS", max_length=200, blank=True
    )
    review_on = models.DateField("date of review (no later than three months after acceptance)")
    reviewed_on = models.DateField(null=True, blank=True, help_text="The first review")
    # Every review's date (ISO), oldest first: the review recurs every three months until caretaking
    # ends (timescales revision 2, 003 §12.1), and each one meets that period's `caretaking.review`.
    review_dates = models.JSONField(default=list, blank=True)
    review_notes = models.TextField(blank=True)
    host_signed_name = models.CharField("host YJS: name", max_length=120, blank=True)
    host_signed_role = models.CharField("host YJS: role", max_length=120, blank=True)
    host_signed_on = models.DateField(null=True, blank=True)
    home_signed_name = models.CharField("home YJS: name", max_length=120, blank=True)
    home_signed_role = models.CharField("home YJS: role", max_length=120, blank=True)
    home_signed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"]), models.Index(fields=["status", "review_on"])]

    def __str__(self):
        return f"Caretaking agreement for {self.child.case_number} from {self.starts_on:%-d %b %Y}"

    @property
    def in_force(self) -> bool:
        """Not yet ended: it may be reviewed and ended (TRANSITIONS)."""
        return self.status in self.TRANSITIONS
