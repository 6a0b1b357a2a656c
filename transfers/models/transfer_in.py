"""A transfer into the service: the Transfer In Summary (003 App. A), its document checklist and the TM/AP's
decision (003 §12.4-§12.5), with the moves each status allows."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Child, RiskLevel, Team
from core.models import StatusTransitions


class TransferIn(StatusTransitions, models.Model):
    """The Transfer In Summary (003 App. A) and the TM/AP's decision on it (003 §12.4-§12.5)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received: waiting for review"
        ACCEPTED = "accepted", "Accepted on a caretaking basis"
        STAYED = "stayed", "Stayed: information missing or not of sufficient quality"
        REJECTED = "rejected", "Rejected"

    # 003 §12.4: the TM/AP decides a request received, or one stayed and re-requested; a decision
    # accepts, stays again or rejects. Accepted and rejected are final.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.RECEIVED: {Status.ACCEPTED, Status.STAYED, Status.REJECTED},
        Status.STAYED: {Status.ACCEPTED, Status.STAYED, Status.REJECTED},
    }

    class YesNoNa(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NA = "na", "N/A"

    # The App. A document checklist: (code, label, N/A allowed).
    DOCUMENTS = [
        ("summary", "Completed Transfer in summary", False),
        ("assetplus", "AssetPlus (where relevant; updated within the last month)", True),
        ("transfer_questions", "YJS to YJS transfer questions", False),
        ("referral_order", "Referral order pre panel report/contract", True),
        ("psr", "Pre-Sentence Report", True),
        ("contacts", "Record of contacts", False),
        ("court_order", "Copy of court order/licence", True),
        ("custody_planning", "Most recent custody planning documents", True),
        ("cps", "CPS documentation for the current offence", False),
        ("previous_offending", "Previous offending profile/previous convictions", True),
        # N/A where the young person is not looked after (issue 17; refused for a looked-after child).
        ("lac", "Any relevant LAC paperwork", True),
        ("psychiatric", "Any psychiatric/psychological reports", True),
        # N/A where the young person has no special educational need statement (issue 17).
        ("sen", "Copy of the Special Educational Need Statement and Educational Psychology Report", True),
    ]

    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers_in"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="receiving team")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField("date all the documents were received")
    # App. A fields.
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    home_yjs = models.CharField("home YJS", max_length=120)
    home_case_id = models.CharField("home YJS's case ID", max_length=40)
    proposed_address = models.TextField("proposed address (include post code)")
    living_with = models.CharField("who they propose to live with", max_length=120, blank=True)
    living_with_relationship = models.CharField("their relationship to the child", max_length=120, blank=True)
    parental_responsibility_name = models.CharField(
        "name of person with parental responsibility", max_length=120, blank=True
    )
    parental_responsibility_address = models.TextField("their address", blank=True)
    social_worker = models.TextField("social worker: name, address, phone, email", blank=True)
    csc_advised = models.CharField(
        "if looked after or a child in need, have our Children's Social Care been advised?",
        max_length=3,
        choices=YesNoNa.choices,
        default=YesNoNa.NA,
    )
    home_case_manager = models.TextField("current case manager: name, address, phone, email", blank=True)
    order_type = models.CharField("type of order (with requirements if YRO)", max_length=200)
    order_start = models.DateField("start date of order", null=True, blank=True)
    order_length = models.CharField("length of order", max_length=60, blank=True)
    iom = models.BooleanField("IOM", default=False)
    high_risk = models.BooleanField("high or very high risk of harm", default=False)
    high_risk_details = models.TextField(blank=True)
    # The levels the home YJS rated, asked for when the risk of harm is high or very high (003 §4.1: they
    # decide the band of case manager at allocation); they become the child's levels when the record opens.
    rosh = models.CharField("RoSH", max_length=10, choices=RiskLevel.choices, blank=True)
    saw = models.CharField("SaW", max_length=10, choices=RiskLevel.choices, blank=True)
    lor = models.CharField("LoR", max_length=10, choices=RiskLevel.choices, blank=True)
    mappa_category = models.PositiveSmallIntegerField("MAPPA category", null=True, blank=True)
    mappa_level = models.PositiveSmallIntegerField("MAPPA risk management level", null=True, blank=True)
    home_mappa_agreed = models.CharField(
        "has the home MAPPA meeting agreed the move?",
        max_length=3,
        choices=YesNoNa.choices,
        default=YesNoNa.NA,
    )
    mappa_coordinator_alerted = models.CharField(
        "has our MAPPA co-ordinator been alerted?", max_length=3, choices=YesNoNa.choices, default=YesNoNa.NA
    )
    safeguarding = models.BooleanField("safeguarding issues", default=False)
    safeguarding_details = models.TextField(blank=True)
    child_protection_plan = models.BooleanField("subject to a child protection plan", default=False)
    child_protection_details = models.TextField(blank=True)
    looked_after = models.BooleanField("looked after by the home local authority", default=False)
    offence_details = models.TextField("offence details, including risks to specific victims")
    order_summary = models.TextField("order summary: work so far, response, outstanding work", blank=True)
    # {code: {"answer": "yes"|"no"|"na", "reason": "..."}}
    documents = models.JSONField(default=dict, blank=True)
    missing_reasons = models.TextField("reasons for any missing paperwork", blank=True)
    # The TM/AP's decision (003 §12.4).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    communicated_on = models.DateField("reasons communicated to the home YJS", null=True, blank=True)
    # App. A: within 2 working days the home YJS is told the supervision requirements.
    requirements = models.TextField("supervision requirements agreed with the home YJS", blank=True)
    requirements_confirmed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Issue 18: every change to a record holding case content is kept (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self):
        return f"Transfer in from {self.home_yjs} ({self.home_case_id})"

    @property
    def awaits_decision(self) -> bool:
        """Received or stayed: the TM/AP's decision is still to make (TRANSITIONS)."""
        return self.status in self.TRANSITIONS
