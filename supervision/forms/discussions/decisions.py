"""A management oversight decision outside formal supervision (004 §7; 002 "Management oversight and
informal supervision")."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from core.forms import GovCharField, GovDateField, GovErrorsMixin, choice_field, gov_time, not_in_future

from ...models import OversightDecision
from .case import long_textarea

# OVERSIGHT_HOLDER belongs to the OOC oversight holder page (001 §6.3), not to this form.
DECISION_LABELS = [
    (value, label)
    for value, label in OversightDecision.Label.choices
    if value != OversightDecision.Label.OVERSIGHT_HOLDER
]
LABEL_HINTS: dict[str, str] = {
    OversightDecision.Label.SUPERVISION: "A decision in case management supervision (004 §7)",
    OversightDecision.Label.PANEL: "The case was referred to a risk management panel: enter its name below (004 §7)",
    OversightDecision.Label.MULTI_AGENCY: "Concerns about the multi-agency response, or an escalation (004 §7)",
    OversightDecision.Label.AUDIT: "Case direction in response to a case audit's findings (004 §7)",
    OversightDecision.Label.CASE_DIRECTION: "Informal supervision or duty: a change in the direction of the case (002)",
}


class OversightDecisionForm(GovErrorsMixin, forms.Form):
    """A management decision outside formal supervision (004 §7; 002 "Management oversight and informal
    supervision"): the label, when it was made, whether significant, the decision, rationale and actions."""

    label = forms.ChoiceField(
        label="Kind of management oversight",
        choices=DECISION_LABELS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of management oversight",
            "invalid_choice": "Choose the kind of management oversight",
        },
    )
    panel_name = GovCharField(
        label="Panel name",
        required=False,
        max_length=120,
        help_text="Only for a panel: recorded as “Management Oversight by [panel name]”",
        error_messages={"max_length": "The panel name must be 120 characters or fewer"},
    )
    decided_on = GovDateField(
        label="Date the decision was made",
        noun="Date the decision was made",
        help_text="For example, 27 3 2026",
    )
    decided_time = gov_time("Time the decision was made", required=True, noun="time the decision was made")
    significant = forms.BooleanField(
        label="This is a significant case decision or urgent matter",
        required=False,
        help_text="Where the policy sets one, a shorter recording timescale applies (002)",
    )
    decision = long_textarea(
        "Decision and case direction",
        required=True,
        hint="Show the challenge and discussion behind it (004 §7)",
        rows=6,
    )
    rationale = long_textarea(
        "Rationale", hint="The analysis of risk and vulnerabilities behind the decision", rows=5
    )
    actions = long_textarea("Actions (SMART)", hint="Who will do what, and by when", rows=4)

    radio_first = {"label": 1}

    def __init__(self, *args, **kwargs):
        """Lay the form out in App. order."""
        super().__init__(*args, **kwargs)
        choice_field(self, "label").choices = [
            Choice(v, label, hint=LABEL_HINTS.get(v, "")) for v, label in DECISION_LABELS
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("label", legend_size=Size.SMALL, small=True),
            Field.text("panel_name"),
            Field("decided_on"),
            Field.text("decided_time", field_width=5),
            Field.checkbox("significant"),
            Field.textarea("decision", rows=6),
            Field.textarea("rationale", rows=5),
            Field.textarea("actions", rows=4),
            Submit("submit", "Record the decision on the child's file"),
        )

    def clean_decided_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("decided_on"), "Date the decision was made")

    def clean(self):
        """A panel needs its name (004 §7); the time is not later than now."""
        super().clean()
        data = self.cleaned_data
        if data.get("label") == OversightDecision.Label.PANEL and not (data.get("panel_name") or "").strip():
            self.add_error("panel_name", "Enter the name of the panel")
        day, time = data.get("decided_on"), data.get("decided_time")
        if day and time:
            decided_at = timezone.make_aware(datetime.datetime.combine(day, time))
            if decided_at > timezone.now():
                self.add_error("decided_time", "The time the decision was made must be in the past")
            else:
                data["decided_at"] = decided_at
        return data

    def service_kwargs(self) -> dict:
        """The cleaned answers as oversight_decision_record arguments."""
        data = self.cleaned_data
        return {
            "label": data["label"],
            "panel_name": data.get("panel_name", ""),
            "decided_at": data["decided_at"],
            "significant": data.get("significant", False),
            "decision": data["decision"],
            "rationale": data.get("rationale", ""),
            "actions": data.get("actions", ""),
        }
