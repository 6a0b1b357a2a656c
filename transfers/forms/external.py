"""Forms for transfers into and out of the service (003 §12, App. A-B): the Transfer In Summary with its
document checklist, the TM/AP's decision, the supervision requirements, the Caretaking Agreement, its
review and end, host contacts, and a move out of the area.

Labels follow the wording of App. A and App. B. No GOV.UK conditional reveals (axe rejects aria-expanded
on radios): every field is shown and a field that applies to one answer says so in its hint. The policy
checks live in transfers/services/external.py; the forms run the same checks for field-level errors.
"""

from functools import partial

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.html import format_html

from cases.models import Team, User
from core.forms import GovDateField, GovErrorsMixin, gov_textarea, not_in_future

from ..models import CaretakingAgreement, HostContact, TransferIn, TransferOut
from ..services import external as services

MAX_TEXT = 10000
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NA = list(TransferIn.YesNoNa.choices)
MAPPA_CHOICES = [("1", "1"), ("2", "2"), ("3", "3"), ("na", "N/A")]
HINT_DATE = "For example, 27 3 2026"


def _text(
    label: str, *, max_length: int, required: bool = True, hint: str = "", noun: str = ""
) -> forms.CharField:
    """A GOV.UK text input with errors that name the field."""
    noun = noun or f"{label[0].lower()}{label[1:]}"
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        strip=True,
        error_messages={
            "required": f"Enter {noun}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


_textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)


def _radios(label: str, choices, *, noun: str, hint: str = "") -> forms.ChoiceField:
    """Radios with a GOV.UK "Choose ..." error."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Choose {noun}", "invalid_choice": f"Choose {noun}"},
    )


def _yes_no(label: str, *, noun: str, hint: str = "") -> forms.TypedChoiceField:
    """Yes or No as radios, coerced to a bool (App. A's Yes / No answers)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Choose whether {noun}", "invalid_choice": f"Choose whether {noun}"},
    )


def _date(label: str, *, required: bool = True, hint: str = HINT_DATE) -> GovDateField:
    """A GOV.UK date input whose errors name it."""
    return GovDateField(label=label, noun=label, required=required, help_text=hint)


class StaffChoiceField(forms.ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        """Name – role."""
        return f"{obj.get_full_name() or obj.username} – {obj.get_role_display()}"


class ServiceErrorsMixin(GovErrorsMixin):
    """Put a service's refusal on the fields it names (others in the summary)."""

    def service_errors(self, exc) -> None:
        """Each message against its field when the form has it, else form-wide."""
        if hasattr(exc, "error_dict"):
            for key, errors in exc.message_dict.items():
                self.add_error(key if key in self.fields else None, errors)
        else:
            self.add_error(None, list(exc.messages))


# ---------------------------------------------------------------------------------------------------
# Transfer In Summary (App. A)


class TransferInForm(ServiceErrorsMixin, forms.Form):
    """The Transfer In Summary (003 App. A), every field, with its document checklist."""

    team = forms.ModelChoiceField(
        label="Receiving locality team",
        queryset=Team.objects.none(),
        empty_label="Choose the receiving team",
        error_messages={
            "required": "Choose the receiving team",
            "invalid_choice": "Choose the receiving team",
        },
    )
    received_on = _date(
        "Date all the documents were received",
        hint="The supervision requirements are due to the home YJS 2 working days after this (App. A). "
        "For example, 27 3 2026",
    )
    first_name = _text("First name", max_length=80, noun="the young person's first name")
    last_name = _text("Last name", max_length=80, noun="the young person's last name")
    date_of_birth = _date("Date of birth", hint="For example, 27 3 2010")
    home_yjs = _text("Home YJS", max_length=120, hint="For example, Derbyshire YJS", noun="the home YJS")
    home_case_id = _text("Home YJS's case ID", max_length=40, noun="the home YJS's case ID")
    proposed_address = _textarea(
        "Young person's proposed address in our area (include post code)",
        required=True,
        rows=3,
        noun="the young person's proposed address",
    )
    living_with = _text("Who is the young person proposing to live with?", max_length=120, required=False)
    living_with_relationship = _text(
        "What is their relationship to the young person?", max_length=120, required=False
    )
    parental_responsibility_name = _text(
        "Name of person with parental responsibility", max_length=120, required=False
    )
    parental_responsibility_address = _textarea("Address of person with parental responsibility", rows=3)
    social_worker = _textarea(
        "Name, address, telephone number and email address of the social worker (if applicable)", rows=3
    )
    looked_after = _yes_no(
        "Is the young person looked after by the home local authority?",
        noun="the young person is looked after",
        hint="A looked-after child stays the case management responsibility of the home YOT (003 §12.2)",
    )
    csc_advised = _radios(
        "If the young person is looked after or a child in need, have our Children's Social Care been "
        "advised of the proposed move?",
        YES_NO_NA,
        noun="whether our Children's Social Care have been advised",
    )
    home_case_manager = _textarea(
        "Name, address, telephone number and email address of current case manager",
        required=True,
        rows=3,
        noun="the current case manager's details",
    )
    order_type = _text(
        "Type of order (including requirements if YRO)", max_length=200, noun="the type of order"
    )
    order_start = _date("Start date of order", required=False)
    order_length = _text("Length of order", max_length=60, required=False, hint="For example, 12 months")
    iom = _yes_no("IOM", noun="IOM applies")
    high_risk = _yes_no("High or very high risk of harm?", noun="there is a high or very high risk of harm")
    high_risk_details = _textarea(
        "Risk of harm: details", hint="Required if the risk of harm is high or very high"
    )
    mappa_category = _radios("MAPPA category", MAPPA_CHOICES, noun="the MAPPA category")
    mappa_level = _radios(
        "MAPPA risk management level", MAPPA_CHOICES, noun="the MAPPA risk management level"
    )
    home_mappa_agreed = _radios(
        "Has the home MAPPA meeting agreed to the proposed move and transfer request?",
        YES_NO_NA,
        noun="whether the home MAPPA meeting agreed",
    )
    mappa_coordinator_alerted = _radios(
        "Has our MAPPA co-ordinator been alerted to the proposed move?",
        YES_NO_NA,
        noun="whether our MAPPA co-ordinator has been alerted",
    )
    safeguarding = _yes_no("Safeguarding issues", noun="there are safeguarding issues")
    safeguarding_details = _textarea(
        "Safeguarding issues: details", hint="Required if there are safeguarding issues"
    )
    child_protection_plan = _yes_no(
        "Is the young person subject to a child protection plan?", noun="there is a child protection plan"
    )
    child_protection_details = _textarea(
        "Child protection plan: details", hint="If yes, give details if not recorded above"
    )
    offence_details = _textarea(
        "Offence details",
        required=True,
        hint="Summary of the current offence, including risks to specific victims",
        rows=5,
        noun="the offence details",
    )
    order_summary = _textarea(
        "Order summary",
        hint="Work undertaken with the young person to date, their response to the interventions and any "
        "outstanding work to be completed, including reasons for any delays",
        rows=5,
    )
    missing_reasons = _textarea(
        "Reasons for any missing paperwork",
        hint="Or give each missing document's reason beside it",
        rows=3,
    )

    def __init__(self, *args, teams, **kwargs):
        """Offer the teams the user may record for (one: the field is hidden), and the checklist."""
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.single_team = teams.first() if teams.count() == 1 else None
        if self.single_team is not None:
            del self.fields["team"]
        self.radio_first = {}
        doc_layout = []
        for code, label, na_allowed in TransferIn.DOCUMENTS:
            choices = YES_NO_NA if na_allowed else YES_NO
            self.fields[f"doc_{code}"] = _radios(
                f"{label}: attached?",
                choices,
                noun=f"whether “{label}” is attached",
                hint="" if na_allowed else "Yes or No (N/A does not apply to this document)",
            )
            self.fields[f"doc_{code}_reason"] = _text(
                f"Reason it is missing: {label}", max_length=300, required=False, hint="Only if No"
            )
            doc_layout += [
                Field.radios(f"doc_{code}", inline=True, small=True, legend_size=Size.SMALL),
                Field.text(f"doc_{code}_reason"),
            ]
        self.helper = FormHelper()
        head = [] if self.single_team else [Field.select("team")]
        self.helper.layout = Layout(
            *head,
            Fieldset(
                Field("received_on"),
                legend="When the documents were received",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field("date_of_birth"),
                Field.text("home_yjs", field_width=20),
                Field.text("home_case_id", field_width=10),
                legend="The young person",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("proposed_address", rows=3),
                Field.text("living_with"),
                Field.text("living_with_relationship"),
                legend="Proposed address",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("parental_responsibility_name"),
                Field.textarea("parental_responsibility_address", rows=3),
                Field.textarea("social_worker", rows=3),
                Field.radios("looked_after", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("csc_advised", inline=True, small=True, legend_size=Size.SMALL),
                legend="Parental responsibility and social care",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("home_case_manager", rows=3),
                Field.text("order_type"),
                Field("order_start"),
                Field.text("order_length", field_width=10),
                legend="Current case manager and order",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("iom", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("high_risk", inline=True, small=True, legend_size=Size.SMALL),
                Field.textarea("high_risk_details", rows=3),
                Field.radios("mappa_category", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("mappa_level", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("home_mappa_agreed", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("mappa_coordinator_alerted", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("safeguarding", inline=True, small=True, legend_size=Size.SMALL),
                Field.textarea("safeguarding_details", rows=3),
                Field.radios("child_protection_plan", inline=True, small=True, legend_size=Size.SMALL),
                Field.textarea("child_protection_details", rows=3),
                legend="Do any of the following apply?",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("offence_details", rows=5),
                Field.textarea("order_summary", rows=5),
                legend="Offence and order summary",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    format_html(
                        '<p class="govuk-body">{}</p>',
                        "Mark Yes, No or N/A where relevant. If No is indicated, give a reason for the "
                        "missing document, here or in the reasons for missing paperwork below.",
                    )
                ),
                *doc_layout,
                Field.textarea("missing_reasons", rows=3),
                legend="Documents required",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Record the transfer in summary"),
        )

    def clean_received_on(self):
        """The documents have been received: not in the future."""
        return not_in_future(self.cleaned_data.get("received_on"), "Date all the documents were received")

    def clean_date_of_birth(self):
        """A date of birth in the past."""
        return not_in_future(self.cleaned_data.get("date_of_birth"), "Date of birth")

    def _mappa(self, name: str):
        """1, 2, 3 or None for N/A."""
        value = self.cleaned_data.get(name)
        return None if value in (None, "", "na") else int(value)

    def clean(self):
        """Details where App. A asks for them; MAPPA level with a category; the document checklist."""
        data = super().clean()
        if data.get("high_risk") and not data.get("high_risk_details"):
            self.add_error("high_risk_details", "Give details of the high or very high risk of harm")
        if data.get("safeguarding") and not data.get("safeguarding_details"):
            self.add_error("safeguarding_details", "Give details of the safeguarding issues")
        category, level = data.get("mappa_category"), data.get("mappa_level")
        if category and level:
            if category == "na" and level != "na":
                self.add_error(
                    "mappa_level", "A MAPPA level needs a MAPPA category: choose N/A or the category"
                )
            elif category != "na" and level == "na":
                self.add_error("mappa_level", "Choose the MAPPA risk management level for the category")
        documents = self.documents()
        doc_errors = services.documents_errors(documents, data.get("missing_reasons", ""))
        for code, message in doc_errors.items():
            if f"doc_{code}" not in self.errors:
                self.add_error(f"doc_{code}", message)
        return data

    def documents(self) -> dict:
        """The checklist answers as the model stores them."""
        data = self.cleaned_data
        return {
            code: {"answer": data.get(f"doc_{code}") or "", "reason": data.get(f"doc_{code}_reason") or ""}
            for code, _label, _na in TransferIn.DOCUMENTS
        }

    def service_kwargs(self) -> dict:
        """The cleaned answers as transfer_in_create arguments."""
        data = self.cleaned_data
        summary = {name: data.get(name) for name in services.SUMMARY_FIELDS}
        for name in services.SUMMARY_FIELDS:
            if summary[name] is None and isinstance(self.fields.get(name), forms.CharField):
                summary[name] = ""
        summary["mappa_category"] = self._mappa("mappa_category")
        summary["mappa_level"] = self._mappa("mappa_level")
        return {
            "team": self.single_team or data["team"],
            "received_on": data["received_on"],
            "documents": self.documents(),
            "missing_reasons": data.get("missing_reasons", ""),
            **summary,
        }


class TransferInDecisionForm(ServiceErrorsMixin, forms.Form):
    """The TM/AP's review of the request (003 §12.4-§12.5)."""

    decision = _radios(
        "Decision",
        [
            ("accept", "Accept on a caretaking basis"),
            ("stay", "Stay: information is missing or not of sufficient quality"),
            ("reject", "Reject"),
        ],
        noun="accept, stay or reject",
    )
    reasons = _textarea(
        "Reasons",
        hint="Required to stay or reject: what is missing or not of sufficient quality, so the home YJS can "
        "address it and re-request the transfer (003 §12.4)",
        rows=5,
    )
    communicated_on = _date(
        "Date the reasons were communicated to the home YJS",
        required=False,
        hint="Required to stay or reject (by AssetPlus, or secure email). For example, 27 3 2026",
    )

    radio_first = {"decision": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the decision."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL, small=True),
            Field.textarea("reasons", rows=5),
            Field("communicated_on"),
            Submit("submit", "Record the decision"),
        )

    def clean_communicated_on(self):
        """The reasons have been communicated: not in the future."""
        return not_in_future(self.cleaned_data.get("communicated_on"), "Date the reasons were communicated")

    def clean(self):
        """A stay or rejection needs reasons and the date they were communicated (003 §12.4)."""
        data = super().clean()
        if data.get("decision") in ("stay", "reject"):
            if not data.get("reasons"):
                self.add_error(
                    "reasons",
                    "Give the reasons for the stay or rejection, so the home YJS can address them (003 §12.4)",
                )
            if not data.get("communicated_on") and "communicated_on" not in self.errors:
                self.add_error(
                    "communicated_on", "Enter the date the reasons were communicated to the home YJS"
                )
        return data


class RequirementsForm(ServiceErrorsMixin, forms.Form):
    """App. A: the supervision requirements agreed with and communicated to the home YJS."""

    requirements = _textarea(
        "Supervision requirements agreed with the home YJS",
        required=True,
        hint="How often the young person will be seen, by whom, and what each area will do",
        rows=6,
        noun="the supervision requirements",
    )
    confirmed_on = _date("Date the requirements were confirmed to the home YJS")

    def __init__(self, *args, **kwargs):
        """Lay out the requirements."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("requirements", rows=6),
            Field("confirmed_on"),
            Submit("submit", "Record the supervision requirements"),
        )

    def clean_confirmed_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("confirmed_on"), "Date the requirements were confirmed")


# ---------------------------------------------------------------------------------------------------
# Caretaking Agreement (App. B)


class CaretakingForm(ServiceErrorsMixin, forms.Form):
    """Transfer of Case on Caretaking Basis Agreement (003 App. B)."""

    case_manager = StaffChoiceField(
        label="Our case manager",
        queryset=User.objects.none(),
        empty_label="Choose the case manager",
        error_messages={
            "required": "Choose our case manager",
            "invalid_choice": "Choose our case manager from the list",
        },
    )
    home_yjs = _text("Home YJS", max_length=120, noun="the home YJS")
    home_officer = _text(
        "Name of responsible officer in the home YJS",
        max_length=120,
        noun="the home YJS's responsible officer",
    )
    starts_on = _date("Date we assume caretaking responsibilities")
    our_responsibilities = forms.MultipleChoiceField(
        label="Responsibilities to be undertaken by us",
        choices=CaretakingAgreement.OUR_RESPONSIBILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="App. B's suggestions: tick those agreed",
    )
    our_other = _textarea("Other responsibilities we undertake", rows=3)
    home_responsibilities = forms.MultipleChoiceField(
        label="Responsibilities to be retained by the home YJS area",
        choices=CaretakingAgreement.HOME_RESPONSIBILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="App. B's suggestions: tick those agreed",
    )
    home_other = _textarea("Other responsibilities the home YJS keeps", rows=3)
    contact_frequency = _text(
        "Contact frequency agreed with the home YJS",
        max_length=200,
        noun="the contact frequency agreed with the home YJS",
    )
    review_on = _date(
        "Date of review",
        required=False,
        hint="No later than three months after the start (003 §12.1). Leave blank for the latest working day "
        "allowed. For example, 27 3 2026",
    )
    host_signed_name = _text("Our signatory: name", max_length=120, required=False)
    host_signed_role = _text("Our signatory: role", max_length=120, required=False)
    host_signed_on = _date("Our signatory: date signed", required=False)
    home_signed_name = _text("Home YJS signatory: name", max_length=120, required=False)
    home_signed_role = _text("Home YJS signatory: role", max_length=120, required=False)
    home_signed_on = _date("Home YJS signatory: date signed", required=False)

    def __init__(self, *args, workers, levels_hint: str = "", **kwargs):
        """Offer the team's workers; show the child's levels beside the contact frequency (003 §12.5)."""
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = workers
        self.fields["contact_frequency"].help_text = (
            "Proportionate to the assessed RoSH and SaW (003 §12.5)"
            + (f": {levels_hint}" if levels_hint else "")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("case_manager"),
            Field.text("home_yjs"),
            Field.text("home_officer"),
            Field("starts_on"),
            Fieldset(
                Field.checkboxes("our_responsibilities", legend_size=Size.SMALL, small=True),
                Field.textarea("our_other", rows=3),
                Field.checkboxes("home_responsibilities", legend_size=Size.SMALL, small=True),
                Field.textarea("home_other", rows=3),
                legend="Responsibilities (003 §12.7)",
                legend_size=Size.MEDIUM,
            ),
            Field.text("contact_frequency"),
            Field("review_on"),
            Fieldset(
                Field.text("host_signed_name"),
                Field.text("host_signed_role"),
                Field("host_signed_on"),
                Field.text("home_signed_name"),
                Field.text("home_signed_role"),
                Field("home_signed_on"),
                legend="Signature of both parties",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Record the caretaking agreement"),
        )

    def clean_host_signed_on(self):
        """A signature has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("host_signed_on"), "Our signatory's date")

    def clean_home_signed_on(self):
        """A signature has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("home_signed_on"), "The home YJS signatory's date")

    def clean(self):
        """The review no later than three calendar months after the start (003 §12.1)."""
        data = super().clean()
        starts_on, review_on = data.get("starts_on"), data.get("review_on")
        if starts_on and review_on:
            message = services.review_errors(starts_on=starts_on, review_on=review_on, noun="Date of review")
            if message:
                self.add_error("review_on", message)
        return data

    def service_kwargs(self) -> dict:
        """The cleaned answers as caretaking_create arguments."""
        data = self.cleaned_data
        return {name: data.get(name) if data.get(name) is not None else "" for name in self.fields} | {
            "review_on": data.get("review_on"),
            "host_signed_on": data.get("host_signed_on"),
            "home_signed_on": data.get("home_signed_on"),
            "our_responsibilities": data.get("our_responsibilities") or [],
            "home_responsibilities": data.get("home_responsibilities") or [],
        }


class CaretakingReviewForm(ServiceErrorsMixin, forms.Form):
    """A review of the caretaking agreement (App. B) and the next review date."""

    reviewed_on = _date("Date of the review")
    notes = _textarea(
        "What the review found and agreed",
        required=True,
        hint="Is the placement settled? Is full transfer now presumed (003 §12.1)?",
        rows=5,
        noun="what the review found and agreed",
    )
    next_review_on = _date(
        "Date of the next review",
        required=False,
        hint="No later than three months after this review (003 §12.1). Leave blank for the latest working day "
        "allowed. For example, 27 3 2026",
    )

    def __init__(self, *args, starts_on, **kwargs):
        """Lay out the review."""
        super().__init__(*args, **kwargs)
        self.starts_on = starts_on
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("reviewed_on"),
            Field.textarea("notes", rows=5),
            Field("next_review_on"),
            Submit("submit", "Record the review"),
        )

    def clean_reviewed_on(self):
        """A review that has happened, on or after the start."""
        day = not_in_future(self.cleaned_data.get("reviewed_on"), "Date of the review")
        if day and day < self.starts_on:
            raise forms.ValidationError(f"Date of the review must be on or after {self.starts_on:%-d %B %Y}")
        return day

    def clean(self):
        """The next review no later than three calendar months on (003 §12.1)."""
        data = super().clean()
        reviewed_on, next_on = data.get("reviewed_on"), data.get("next_review_on")
        if reviewed_on and next_on:
            message = services.review_errors(
                starts_on=reviewed_on, review_on=next_on, noun="Date of the next review"
            )
            if message:
                self.add_error("next_review_on", message)
        return data


class CaretakingEndForm(ServiceErrorsMixin, forms.Form):
    """End caretaking: full transfer, returned to the home YJS, or the order ended (003 §12.1)."""

    outcome = _radios(
        "How did caretaking end?",
        [
            ("full_transfer", "Full transfer accepted: the case is wholly ours"),
            ("returned", "Returned to the home YJS"),
            ("ended", "The order ended"),
        ],
        noun="how caretaking ended",
    )
    ended_on = _date("Date caretaking ended")
    notes = _textarea("Notes", rows=4)

    radio_first = {"outcome": 1}

    def __init__(self, *args, looked_after: bool = False, **kwargs):
        """A looked-after child is not offered full transfer (003 §12.2)."""
        super().__init__(*args, **kwargs)
        if looked_after:
            self.fields["outcome"].choices = [
                c for c in self.fields["outcome"].choices if c[0] != "full_transfer"
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field("ended_on"),
            Field.textarea("notes", rows=4),
            Submit("submit", "End caretaking"),
        )

    def clean_ended_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("ended_on"), "Date caretaking ended")


# ---------------------------------------------------------------------------------------------------
# Host contacts (003 §12.8)


class HostContactForm(ServiceErrorsMixin, forms.Form):
    """A contact the host YJS reports (003 §12.8)."""

    date = _date("Date of the contact")
    kind = _radios("Kind of contact", HostContact.Kind.choices, noun="the kind of contact")
    host_worker = _text("Host YJS worker", max_length=120, noun="the host YJS worker")
    summary = _textarea(
        "Summary",
        required=True,
        rows=5,
        noun="a summary of the contact",
        hint="What was done, the young person's response, and any change in RoSH, SaW or LoR",
    )

    radio_first = {"kind": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the contact."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("date"),
            Field.radios("kind", inline=True, small=True, legend_size=Size.SMALL),
            Field.text("host_worker"),
            Field.textarea("summary", rows=5),
            Submit("submit", "Log the host contact"),
        )

    def clean_date(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("date"), "Date of the contact")


# ---------------------------------------------------------------------------------------------------
# Transfers out (003 §12.6-§12.11)


def _out_date(label: str) -> GovDateField:
    """An optional checklist date, not in the future."""
    return _date(label, required=False, hint="Leave blank if not done yet. For example, 27 3 2026")


class _OutChecklistMixin:
    """The checklist and parenting order fields both transfer-out forms share."""

    def _checklist_layout(self) -> list:
        """The §12.6 checklist and the §12.9-§12.11 parenting order."""
        return [
            Fieldset(
                Field("assetplus_updated_on"),
                Field("yot_request_on"),
                Field("requested_on"),
                legend="Checklist (003 §12.6)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(self._parenting_html()),
                Field.checkbox("parenting_order"),
                Field.checkbox("parenting_simultaneous"),
                Field.checkboxes("parenting_documents", legend_size=Size.SMALL, small=True),
                legend="Parenting order (003 §12.9-§12.11)",
                legend_size=Size.MEDIUM,
            ),
        ]

    def _parenting_html(self) -> str:
        """Say when the child's record already shows an open parenting order."""
        if not self.open_parenting_order:
            return ""
        return format_html(
            '<div class="govuk-inset-text" id="parenting-order-open">{}</div>',
            "The child's record has an open parenting order: it should transfer with the child's order, and "
            "every document below is needed before the case is marked transferred.",
        )

    def clean(self):
        """Checklist dates not in the future."""
        data = super().clean()
        for name in ("assetplus_updated_on", "yot_request_on", "requested_on", "outcome_on"):
            if name in self.fields and name not in self.errors:
                try:
                    not_in_future(data.get(name), self.fields[name].label)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


def _parenting_fields() -> dict:
    """The parenting order fields (003 §12.9-§12.11)."""
    return {
        "parenting_order": forms.BooleanField(
            label="A parent is subject to a Parenting Order", required=False
        ),
        "parenting_simultaneous": forms.BooleanField(
            label="The parenting order transfers at the same time as the child's order",
            required=False,
            help_text="Good practice (003 §12.9); required before the case is marked transferred",
        ),
        "parenting_documents": forms.MultipleChoiceField(
            label="Documents provided to the receiving area (003 §12.11)",
            choices=TransferOut.PARENTING_DOCUMENTS,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="All are required before the case is marked transferred",
        ),
    }


class TransferOutForm(_OutChecklistMixin, ServiceErrorsMixin, forms.Form):
    """A move out of the area: the request to the host area (003 §12.6)."""

    kind = _radios("Request", TransferOut.Kind.choices, noun="transfer or caretaking")
    host_area = _text(
        "Host YJS area", max_length=120, hint="For example, Leicester City YJS", noun="the host YJS area"
    )
    host_contact = _textarea("Host YJS contact", hint="Name, phone and email", rows=3)
    move_known_on = _date(
        "Date the move was known",
        hint="The request is due to the host area one working day after this (003 §12.6). For example, 27 3 2026",
    )
    new_address = _textarea("New address", rows=3)
    assetplus_updated_on = _out_date("Date AssetPlus was fully updated")
    yot_request_on = _out_date("Date the 'YOT to YOT Transfer' request was completed on AssetPlus")
    requested_on = _out_date("Date the request was sent to the host area")

    radio_first = {"kind": 1}

    def __init__(self, *args, open_parenting_order: bool = False, **kwargs):
        """Lay out the request, checklist and parenting order."""
        super().__init__(*args, **kwargs)
        self.fields.update(_parenting_fields())
        self.open_parenting_order = open_parenting_order
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", inline=True, small=True, legend_size=Size.SMALL),
            Field.text("host_area"),
            Field.textarea("host_contact", rows=3),
            Field("move_known_on"),
            Field.textarea("new_address", rows=3),
            *self._checklist_layout(),
            Submit("submit", "Record the move out of the area"),
        )

    def clean_move_known_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("move_known_on"), "Date the move was known")

    def service_kwargs(self) -> dict:
        """The cleaned answers as transfer_out_create arguments."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "host_area": data["host_area"],
            "host_contact": data.get("host_contact", ""),
            "move_known_on": data["move_known_on"],
            "new_address": data.get("new_address", ""),
            "assetplus_updated_on": data.get("assetplus_updated_on"),
            "yot_request_on": data.get("yot_request_on"),
            "requested_on": data.get("requested_on"),
            "parenting_order": data.get("parenting_order", False),
            "parenting_simultaneous": data.get("parenting_simultaneous", False),
            "parenting_documents": data.get("parenting_documents") or [],
        }


class TransferOutUpdateForm(_OutChecklistMixin, ServiceErrorsMixin, forms.Form):
    """Progress on a move out: the checklist, the host's answer, the agreed responsibilities (003 §12.6-§12.7)."""

    status = _radios("Where the request stands", [], noun="where the request stands")
    assetplus_updated_on = _out_date("Date AssetPlus was fully updated")
    yot_request_on = _out_date("Date the 'YOT to YOT Transfer' request was completed on AssetPlus")
    requested_on = _out_date("Date the request was sent to the host area")
    host_contact = _textarea("Host YJS contact", hint="Name, phone and email", rows=3)
    outcome_on = _date(
        "Date of the host area's answer",
        required=False,
        hint="Required when the host area caretakes, accepts transfer or declines. For example, 27 3 2026",
    )
    responsibilities = _textarea(
        "Responsibilities agreed in writing",
        hint="Which area does what (003 §12.7): required when the host area caretakes",
        rows=5,
    )
    outcome_notes = _textarea("Notes", rows=3)

    radio_first = {"status": 1}

    def __init__(self, *args, statuses, open_parenting_order: bool = False, **kwargs):
        """Offer the statuses this move may go to next."""
        super().__init__(*args, **kwargs)
        self.fields.update(_parenting_fields())
        self.open_parenting_order = open_parenting_order
        self.fields["status"].choices = [(s, TransferOut.Status(s).label) for s in statuses]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("status", legend_size=Size.SMALL, small=True),
            *self._checklist_layout(),
            Field.textarea("host_contact", rows=3),
            Field("outcome_on"),
            Field.textarea("responsibilities", rows=5),
            Field.textarea("outcome_notes", rows=3),
            Submit("submit", "Save the move out"),
        )

    def service_kwargs(self) -> dict:
        """The cleaned answers as transfer_out_update arguments."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "assetplus_updated_on": data.get("assetplus_updated_on"),
            "yot_request_on": data.get("yot_request_on"),
            "requested_on": data.get("requested_on"),
            "host_contact": data.get("host_contact", ""),
            "outcome_on": data.get("outcome_on"),
            "responsibilities": data.get("responsibilities", ""),
            "outcome_notes": data.get("outcome_notes", ""),
            "parenting_order": data.get("parenting_order", False),
            "parenting_simultaneous": data.get("parenting_simultaneous", False),
            "parenting_documents": data.get("parenting_documents") or [],
        }
