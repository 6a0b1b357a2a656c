"""Forms for the child's record, rendered as GOV.UK components by crispy-forms-gds."""

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from core.forms import LONG_TEXT, GovDateField, gov_text, gov_textarea, not_in_future

from ..models import EventType, RiskLevel

# Types the product writes for a structured record (an assessment, plan, programme, allocation or leave
# cover): they are recorded through that record's own form, never typed in as a free event.
RECORD_EVENT_TYPES = {
    EventType.ASSESSMENT,
    EventType.PLAN,
    EventType.PROGRAMME,
    EventType.ALLOCATION,
    EventType.LEAVE_COVER,
    EventType.CIRCUMSTANCES,
}
# Types that belong to a structured record kept on another page (issue 20): a CMM, its actions and a
# combined CSC meeting on the Meetings tab, with a further offence and a bail application. Typed in as a
# free note they would record nothing of the meeting; the event form says where each is recorded.
RECORDED_ELSEWHERE = {
    EventType.CMM,
    EventType.CMM_ACTIONS,
    EventType.CSC_MEETING,
    EventType.FURTHER_OFFENCE,
    EventType.BAIL_APPLICATION,
}
MANUAL_EVENT_CHOICES = [
    (value, label)
    for value, label in EventType.choices
    if value not in RECORD_EVENT_TYPES and value not in RECORDED_ELSEWHERE
]
# The event type select's options, the blank prompt first (a link may preselect one, cases/views/core.py).
EVENT_TYPE_CHOICES = [("", "Choose a type")] + MANUAL_EVENT_CHOICES


class EventForm(forms.Form):
    """Add a case note to a child's timeline."""

    event_type = forms.ChoiceField(
        label="Type of event",
        choices=EVENT_TYPE_CHOICES,
        error_messages={"required": "Choose the type of event"},
    )
    # A real date in the years the rules module accepts (a huge year is an error, not a 500).
    occurred_on = GovDateField(
        label="Date of the event", noun="Date of the event", help_text="For example, 27 3 2024"
    )
    # The character count shows the limits as the user types; the server checks them (never cut).
    summary = gov_text("Summary", max_length=200, noun="a summary", count=True)
    details = gov_textarea("Details", rows=6, max_length=LONG_TEXT)

    extra_fields: tuple[str, ...] = ()
    submit_label = "Save event"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].error_messages.update(
            {"required": "Enter the date of the event", "incomplete": "Enter the date of the event"}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("event_type"),
            Field("occurred_on"),
            Field.text("summary"),
            Field.textarea("details"),
            *[Field.text(name) for name in self.extra_fields],
            Submit("submit", self.submit_label),
        )

    def clean_occurred_on(self):
        """Events are records of what happened: not in the future."""
        return not_in_future(self.cleaned_data["occurred_on"], "Date of the event")


class EventCorrectionForm(EventForm):
    """Correct an event: the same fields plus the reason, which is kept with the new version."""

    reason = gov_text(
        "Reason for the correction", max_length=200, noun="the reason for the correction", count=True
    )

    extra_fields = ("reason",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A note typed before a type moved to its own record (RECORDED_ELSEWHERE) keeps its type when
        # corrected; a new note cannot take it.
        current = (self.initial or {}).get("event_type")
        if current in RECORDED_ELSEWHERE:
            field = cast(forms.ChoiceField, self.fields["event_type"])
            field.choices = [*EVENT_TYPE_CHOICES, (current, EventType(current).label)]

    submit_label = "Save correction"


class CaseloadFilterForm(forms.Form):
    """Filters on the caseload list (GET; never invalid in a way that loses the list)."""

    q = forms.CharField(label="Name or case number", required=False, max_length=100)
    risk = forms.ChoiceField(
        label="RoSH or SaW level", required=False, choices=[("", "Any level")] + list(RiskLevel.choices)
    )
    scope = forms.ChoiceField(label="Show", required=False, choices=[])

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = scopes


class AuditFilterForm(forms.Form):
    """Filters on the audit log."""

    user = forms.CharField(label="Member of staff", required=False, max_length=100)
    case_number = forms.CharField(label="Case number", required=False, max_length=20)
    archive = forms.BooleanField(
        label="Search the archive (entries from before the live log)", required=False
    )
