"""A move out of the area (003 §12.6-§12.11), with the moves each status allows, and the contacts a host
YJS reports while we keep the case (003 §12.8)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child
from core.models import StatusTransitions, Versioned


class HostContact(models.Model):
    """A contact the host YJS reports for a child we remain responsible for (003 §12.8)."""

    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        VIRTUAL = "virtual", "Virtual"
        PHONE = "phone", "Phone"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="host_contacts")
    transfer_out = models.ForeignKey(
        "TransferOut", null=True, blank=True, on_delete=models.SET_NULL, related_name="host_contacts"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    host_worker = models.CharField("host YJS worker", max_length=120)
    summary = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["child", "-date"])]

    def __str__(self):
        return f"Host contact for {self.child.case_number} on {self.date:%-d %b %Y}"


class TransferOut(StatusTransitions, Versioned):
    """A move out of the area: a request to the host area for transfer or caretaking (003 §12.6-§12.11)."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Full transfer"
        CARETAKING = "caretaking", "Caretaking by the host area"

    class Status(models.TextChoices):
        NEEDED = "needed", "Move known: request to send"
        REQUESTED = "requested", "Requested from the host area"
        CARETAKEN = "caretaken", "Host area caretaking"
        TRANSFERRED = "transferred", "Transferred to the host area"
        DECLINED = "declined", "Declined by the host area"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The statuses an update may move to from each (003 §12.6-§12.7): an update may keep the status; a
    # caretaken case may still transfer. Transferred, declined and withdrawn are final.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.NEEDED: {
            Status.NEEDED,
            Status.REQUESTED,
            Status.CARETAKEN,
            Status.TRANSFERRED,
            Status.DECLINED,
            Status.WITHDRAWN,
        },
        Status.REQUESTED: {
            Status.REQUESTED,
            Status.CARETAKEN,
            Status.TRANSFERRED,
            Status.DECLINED,
            Status.WITHDRAWN,
        },
        Status.CARETAKEN: {Status.CARETAKEN, Status.TRANSFERRED, Status.WITHDRAWN},
    }
    # Open: any status that may still move.
    ACTIVE = tuple(TRANSITIONS)
    # 003 §12.8: the host YJS provides contact while we keep the case.
    HOST_CONTACT = (Status.REQUESTED, Status.CARETAKEN)

    # 003 §12.11: what the responsible officer provides for a parenting order.
    PARENTING_DOCUMENTS = [
        ("summary", "A written case transfer summary"),
        ("assessment", "A current Parenting Assessment"),
        ("court_report", "A copy of the report provided to the court when the Order was made"),
        ("plan", "A copy of the intervention plan"),
        ("contacts", "Record of contacts"),
    ]

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transfers_out")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEEDED)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    host_area = models.CharField("host YJS area", max_length=120)
    host_contact = models.TextField("host YJS contact", blank=True)
    move_known_on = models.DateField("date the move was known")
    new_address = models.TextField(blank=True)
    # 003 §12.6 checklist.
    assetplus_updated_on = models.DateField("AssetPlus fully updated", null=True, blank=True)
    yot_request_on = models.DateField(
        "'YOT to YOT Transfer' request completed on AssetPlus", null=True, blank=True
    )
    requested_on = models.DateField("request sent to the host area", null=True, blank=True)
    # 003 §12.9-§12.11: a parenting order moves with the child's order.
    parenting_order = models.BooleanField("a parent is subject to a Parenting Order", default=False)
    parenting_simultaneous = models.BooleanField(
        "the parenting order transfers with the child's order", default=False
    )
    parenting_documents = models.JSONField(default=list, blank=True)
    # 003 §12.7: which area does what, in writing.
    responsibilities = models.TextField("agreed responsibilities of each area", blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-move_known_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"])]

    def __str__(self):
        return f"Transfer out of {self.child.case_number} to {self.host_area}"

    @property
    def is_active(self) -> bool:
        """Open: needed, requested or caretaken (TRANSITIONS)."""
        return self.status in self.ACTIVE

    @property
    def host_provides_contact(self) -> bool:
        """The host YJS provides contact while we keep the case (003 §12.8)."""
        return self.status in self.HOST_CONTACT

    def next_statuses(self) -> list[str]:
        """The statuses an update may choose, in the order of Status (none once finished)."""
        return [status for status in self.Status.values if self.can_move_to(status)]
