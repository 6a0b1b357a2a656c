"""Internal transfers, transfers in and out, caretaking agreements (003 §11-§12, App. A-B).

- `InternalTransfer`: a move between locality teams (003 §11). Responsibility stays with the original
  team and case manager until the three-way meeting (§11.7-§11.8): only then do `Child.team` and
  `Child.case_manager` change. States `transfer_agreed` (endorsed), `reallocated` (receiving team
  allocated) and `three_way_meeting_held`.
- `TransferIn`: the Transfer In Summary of App. A and its document checklist; the TM/AP's decision
  (accept on a caretaking basis, stay, reject, §12.4-§12.5). States `transfer_in_documents_received`
  and `transfer_in_requirements_confirmed`.
- `CaretakingAgreement`: App. B; review no later than three months on (§12.1). States
  `caretaking_started` and `caretaking_reviewed`.
- `HostContact`: a contact the host YJS reports for a child we are responsible for (§12.8).
- `TransferOut`: a move out of the area (§12.6, §12.9-§12.11). States `transfer_out_needed` and
  `transfer_out_requested`.
"""

from django.conf import settings
from django.db import models

from cases.models import Child, Team


class MoveTerm(models.TextChoices):
    SHORT = "short", "Short term"
    LONG = "long", "Long term or permanent"
    UNKNOWN = "unknown", "Not yet known"


class InternalTransfer(models.Model):
    """A proposed move of a child's case to another locality team (003 §11)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed: waiting for the manager's endorsement"
        ESCALATED = "escalated", "Escalated to the service manager"
        ENDORSED = "endorsed", "Endorsed: waiting for the receiving team to allocate"
        ALLOCATED = "allocated", "Allocated: waiting for the three-way meeting"
        COMPLETED = "completed", "Transferred at the three-way meeting"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The moves each status allows (003 §11.4-§11.7): the manager endorses or declines a proposal, a
    # disagreement escalates to the service manager (until the receiving team allocates), the receiving
    # team allocates, the three-way meeting completes; any active transfer may be withdrawn.
    TRANSITIONS = {
        Status.PROPOSED: {Status.ENDORSED, Status.DECLINED, Status.ESCALATED, Status.WITHDRAWN},
        Status.ESCALATED: {Status.ENDORSED, Status.DECLINED, Status.WITHDRAWN},
        Status.ENDORSED: {Status.ESCALATED, Status.ALLOCATED, Status.WITHDRAWN},
        Status.ALLOCATED: {Status.COMPLETED, Status.WITHDRAWN},
    }
    # In progress: any status that may still move.
    ACTIVE = tuple(TRANSITIONS)
    # 003 §11.5: the MAPPA meeting's endorsement is recorded before the decision.
    MAPPA_ENDORSABLE = (Status.PROPOSED, Status.ESCALATED)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="internal_transfers")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    from_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField()
    # 003 §11.2: the case-by-case considerations.
    new_address = models.TextField("new address", blank=True)
    move_term = models.CharField(
        "is the move short or long term?", max_length=10, choices=MoveTerm.choices, default=MoveTerm.UNKNOWN
    )
    time_left = models.TextField("time left on the order or intervention", blank=True)
    saw_effect = models.TextField("effect on the child's needs and safety and wellbeing", blank=True)
    rosh_effect = models.TextField("effect on the management of RoSH", blank=True)
    continuity = models.TextField("continuity and stability: other changes in the child's life", blank=True)
    detriment = models.TextField("would a change of worker be detrimental to progress?", blank=True)
    child_views = models.TextField("the child's thoughts and feelings about a change of worker", blank=True)
    # 003 §11.3: the home visit confirming the address, and the review assessment (a significant event).
    home_visit_on = models.DateField("home visit confirming the new address", null=True, blank=True)
    review_assessment_on = models.DateField("review assessment completed", null=True, blank=True)
    # 003 §11.5: MAPPA level 2 or 3 needs the MAPPA meeting's endorsement first.
    mappa_endorsed_on = models.DateField("endorsed by the MAPPA meeting", null=True, blank=True)
    # 003 §11.4: the current case manager's manager endorses or declines; disagreement escalates.
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_on = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    escalation_reason = models.TextField(blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    # 003 §11.4, §11.7: the receiving team allocates within two working days.
    to_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_on = models.DateField(null=True, blank=True)
    # 003 §11.7: the three-way meeting is the formal date of transfer; if the child does not attend,
    # or it does not happen, the case has not transferred.
    meeting_on = models.DateField("three-way meeting", null=True, blank=True)
    meeting_notes = models.TextField(blank=True)
    # 003 §11.7: enforcement action pending should be completed before transfer.
    enforcement_pending = models.BooleanField("enforcement action pending", default=False)
    enforcement_notes = models.TextField(blank=True)
    closed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "status"]),
            models.Index(fields=["to_team", "status"]),
            models.Index(fields=["from_team", "status"]),
        ]

    def __str__(self):
        return f"Transfer of {self.child.case_number} from {self.from_team} to {self.to_team}"

    @property
    def is_active(self) -> bool:
        """In progress: not yet completed, declined or withdrawn."""
        return self.status in self.ACTIVE

    def can_move_to(self, status: str) -> bool:
        """Whether the transfer may move from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS.get(self.status, ())


class TransferIn(models.Model):
    """The Transfer In Summary (003 App. A) and the TM/AP's decision on it (003 §12.4-§12.5)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received: waiting for review"
        ACCEPTED = "accepted", "Accepted on a caretaking basis"
        STAYED = "stayed", "Stayed: information missing or not of sufficient quality"
        REJECTED = "rejected", "Rejected"

    # 003 §12.4: the TM/AP decides a request received, or one stayed and re-requested; a decision
    # accepts, stays again or rejects. Accepted and rejected are final.
    TRANSITIONS = {
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
        ("lac", "Any relevant LAC paperwork", False),
        ("psychiatric", "Any psychiatric/psychological reports", True),
        ("sen", "Copy of the Special Educational Need Statement and Educational Psychology Report", False),
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

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self):
        return f"Transfer in from {self.home_yjs} ({self.home_case_id})"

    @property
    def awaits_decision(self) -> bool:
        """Received or stayed: the TM/AP's decision is still to make (TRANSITIONS)."""
        return self.status in self.TRANSITIONS

    def can_move_to(self, status: str) -> bool:
        """Whether a decision may move the transfer in from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS.get(self.status, ())


class CaretakingAgreement(models.Model):
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
    TRANSITIONS = {Status.ACTIVE: {Status.FULL_TRANSFER, Status.RETURNED, Status.ENDED}}

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
    reviewed_on = models.DateField(null=True, blank=True)
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

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"]), models.Index(fields=["status", "review_on"])]

    def __str__(self):
        return f"Caretaking agreement for {self.child.case_number} from {self.starts_on:%-d %b %Y}"

    @property
    def in_force(self) -> bool:
        """Not yet ended: it may be reviewed and ended (TRANSITIONS)."""
        return self.status in self.TRANSITIONS

    def can_move_to(self, status: str) -> bool:
        """Whether the agreement may end in this status (TRANSITIONS)."""
        return status in self.TRANSITIONS.get(self.status, ())


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

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["child", "-date"])]

    def __str__(self):
        return f"Host contact for {self.child.case_number} on {self.date:%-d %b %Y}"


class TransferOut(models.Model):
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
    TRANSITIONS = {
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

    def can_move_to(self, status: str) -> bool:
        """Whether an update may move the transfer out from its status to this one (TRANSITIONS)."""
        return status in self.TRANSITIONS.get(self.status, ())

    def next_statuses(self) -> list[str]:
        """The statuses an update may choose, in the order of Status (none once finished)."""
        return [status for status in self.Status.values if self.can_move_to(status)]
