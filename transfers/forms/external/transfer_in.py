"""Forms for transfers into the service (003 §12.4-§12.5, App. A): the Transfer In Summary with its
document checklist, the TM/AP's decision, and the supervision requirements.

Labels follow the wording of App. A. No GOV.UK conditional reveals (axe rejects aria-expanded on radios):
every field is shown and a field that applies to one answer says so in its hint. The policy checks live
in transfers/services/external/transfer_in.py; the form runs the same checks for field-level errors.
"""

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.html import format_html

from cases.models import RiskLevel, Team
from core.forms import (
    YES_NO,
    GovErrorsMixin,
    ModelChoiceField,
    gov_date,
    gov_radios,
    gov_text,
    gov_yes_no,
    not_in_future,
)

from ...models import TransferIn
from ...services.external.transfer_in_checks import (
    SUMMARY_FIELDS,
    documents_errors,
    levels_errors,
    mappa_errors,
)
from .common import textarea

YES_NO_NA = list(TransferIn.YesNoNa.choices)
YES, NA = TransferIn.YesNoNa.YES, TransferIn.YesNoNa.NA
MAPPA_CHOICES = [("1", "1"), ("2", "2"), ("3", "3"), ("na", "N/A")]


class TransferInForm(GovErrorsMixin, forms.Form):
    """The Transfer In Summary (003 App. A), every field, with its document checklist."""

    team = ModelChoiceField(
        label="Receiving locality team",
        queryset=Team.objects.none(),
        empty_label="Choose the receiving team",
        error_messages={
            "required": "Choose the receiving team",
            "invalid_choice": "Choose the receiving team",
        },
    )
    received_on = gov_date(
        "Date all the documents were received",
        hint="The supervision requirements are due to the home YJS 2 working days after this (App. A). "
        "For example, 27 3 2026",
    )
    first_name = gov_text("First name", max_length=80, noun="the young person's first name")
    last_name = gov_text("Last name", max_length=80, noun="the young person's last name")
    date_of_birth = gov_date("Date of birth", hint="For example, 27 3 2010")
    home_yjs = gov_text("Home YJS", max_length=120, hint="For example, Derbyshire YJS", noun="the home YJS")
    home_case_id = gov_text("Home YJS's case ID", max_length=40, noun="the home YJS's case ID")
    proposed_address = textarea(
        "Young person's proposed address in our area (include post code)",
        required=True,
        rows=3,
        noun="the young person's proposed address",
    )
    living_with = gov_text("Who is the young person proposing to live with?", max_length=120, required=False)
    living_with_relationship = gov_text(
        "What is their relationship to the young person?", max_length=120, required=False
    )
    parental_responsibility_name = gov_text(
        "Name of person with parental responsibility", max_length=120, required=False
    )
    parental_responsibility_address = textarea("Address of person with parental responsibility", rows=3)
    social_worker = textarea(
        "Name, address, telephone number and email address of the social worker (if applicable)", rows=3
    )
    looked_after = gov_yes_no(
        "Is the young person looked after by the home local authority?",
        noun="the young person is looked after",
        hint="A looked-after child stays the case management responsibility of the home YOT (003 §12.2)",
    )
    csc_advised = gov_radios(
        "If the young person is looked after or a child in need, have our Children's Social Care been "
        "advised of the proposed move?",
        YES_NO_NA,
        noun="whether our Children's Social Care have been advised",
    )
    home_case_manager = textarea(
        "Name, address, telephone number and email address of current case manager",
        required=True,
        rows=3,
        noun="the current case manager's details",
    )
    order_type = gov_text(
        "Type of order (including requirements if YRO)", max_length=200, noun="the type of order"
    )
    order_start = gov_date("Start date of order", required=False)
    order_length = gov_text("Length of order", max_length=60, required=False, hint="For example, 12 months")
    iom = gov_yes_no("IOM", noun="IOM applies")
    high_risk = gov_yes_no(
        "High or very high risk of harm?", noun="there is a high or very high risk of harm"
    )
    high_risk_details = textarea(
        "Risk of harm: details", hint="Required if the risk of harm is high or very high"
    )
    rosh = gov_radios(
        "RoSH (Risk of Serious Harm) as the home YJS rated it",
        list(RiskLevel.choices),
        noun="the RoSH level",
        hint="Required if the risk of harm is high or very high (then High or Very High). A High or Very High "
        "RoSH or SaW at allocation goes to a Band B senior case manager (003 §4.1)",
    )
    saw = gov_radios(
        "SaW (Safety and Wellbeing) as the home YJS rated it",
        list(RiskLevel.choices),
        noun="the SaW level",
        hint="Required if the risk of harm is high or very high",
    )
    lor = gov_radios(
        "LoR (Likelihood of Re-offending) as the home YJS rated it",
        list(RiskLevel.choices),
        noun="the LoR level",
        hint="Required if the risk of harm is high or very high",
    )
    mappa_category = gov_radios("MAPPA category", MAPPA_CHOICES, noun="the MAPPA category")
    mappa_level = gov_radios(
        "MAPPA risk management level", MAPPA_CHOICES, noun="the MAPPA risk management level"
    )
    home_mappa_agreed = gov_radios(
        "Has the home MAPPA meeting agreed to the proposed move and transfer request?",
        YES_NO_NA,
        noun="whether the home MAPPA meeting agreed",
    )
    mappa_coordinator_alerted = gov_radios(
        "Has our MAPPA co-ordinator been alerted to the proposed move?",
        YES_NO_NA,
        noun="whether our MAPPA co-ordinator has been alerted",
    )
    safeguarding = gov_yes_no("Safeguarding issues", noun="there are safeguarding issues")
    safeguarding_details = textarea(
        "Safeguarding issues: details", hint="Required if there are safeguarding issues"
    )
    child_protection_plan = gov_yes_no(
        "Is the young person subject to a child protection plan?", noun="there is a child protection plan"
    )
    child_protection_details = textarea(
        "Child protection plan: details", hint="If yes, give details if not recorded above"
    )
    offence_details = textarea(
        "Offence details",
        required=True,
        hint="Summary of the current offence, including risks to specific victims",
        rows=5,
        noun="the offence details",
    )
    order_summary = textarea(
        "Order summary",
        hint="Work undertaken with the young person to date, their response to the interventions and any "
        "outstanding work to be completed, including reasons for any delays",
        rows=5,
    )
    missing_reasons = textarea(
        "Reasons for any missing paperwork",
        hint="Or give each missing document's reason beside it",
        rows=3,
    )

    def __init__(self, *args, teams, **kwargs):
        """Offer the teams the user may record for (one: the field is hidden), and the checklist."""
        super().__init__(*args, **kwargs)
        for name in ("rosh", "saw", "lor"):  # asked for a high or very high risk of harm (clean)
            self.fields[name].required = False
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        self.single_team = teams.first() if teams.count() == 1 else None
        if self.single_team is not None:
            del self.fields["team"]
        self.radio_first = {}
        self.helper = FormHelper()
        self.helper.layout = self._layout(self._add_document_fields())

    def _add_document_fields(self) -> list:
        """The App. A checklist: for each document, attached (Yes/No, or N/A where allowed) and the reason
        it is missing. Returns their layout."""
        doc_layout = []
        for code, label, na_allowed in TransferIn.DOCUMENTS:
            choices = YES_NO_NA if na_allowed else YES_NO
            self.fields[f"doc_{code}"] = gov_radios(
                f"{label}: attached?",
                choices,
                noun=f"whether “{label}” is attached",
                hint="" if na_allowed else "Yes or No (N/A does not apply to this document)",
            )
            self.fields[f"doc_{code}_reason"] = gov_text(
                f"Reason it is missing: {label}", max_length=300, required=False, hint="Only if No"
            )
            doc_layout += [
                Field.radios(f"doc_{code}", inline=True, small=True, legend_size=Size.SMALL),
                Field.text(f"doc_{code}_reason"),
            ]
        return doc_layout

    def _layout(self, doc_layout: list) -> Layout:
        """The summary in App. A's order, the checklist last."""
        head = [] if self.single_team else [Field.select("team")]
        return Layout(
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
                Field.radios("rosh", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("saw", inline=True, small=True, legend_size=Size.SMALL),
                Field.radios("lor", inline=True, small=True, legend_size=Size.SMALL),
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
        data = super().clean() or {}
        if data.get("high_risk") and not data.get("high_risk_details"):
            self.add_error("high_risk_details", "Give details of the high or very high risk of harm")
        if data.get("safeguarding") and not data.get("safeguarding_details"):
            self.add_error("safeguarding_details", "Give details of the safeguarding issues")
        # The service's checks, field by field: the levels a high risk of harm asks for (003 §4.1) and
        # MAPPA answers that agree with each other.
        if data.get("high_risk") is not None:
            for name, message in levels_errors(
                high_risk=data.get("high_risk"),
                rosh=data.get("rosh") or "",
                saw=data.get("saw") or "",
                lor=data.get("lor") or "",
            ).items():
                if name not in self.errors:
                    self.add_error(name, message)
        if data.get("mappa_category"):
            # Checked as soon as the category is answered; an unanswered question is left to its own
            # "Choose ..." error (a consistent stand-in here), so every problem shows at once.
            category = self._mappa("mappa_category")
            consistent = NA if category is None else YES
            for name, message in mappa_errors(
                category=category,
                level=self._mappa("mappa_level") if data.get("mappa_level") else category,
                home_agreed=data.get("home_mappa_agreed") or consistent,
                alerted=data.get("mappa_coordinator_alerted") or consistent,
            ).items():
                if data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        documents = self.documents()
        doc_errors = documents_errors(
            documents, data.get("missing_reasons", ""), looked_after=bool(data.get("looked_after"))
        )
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
        summary = {name: data.get(name) for name in SUMMARY_FIELDS}
        for name in SUMMARY_FIELDS:
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
