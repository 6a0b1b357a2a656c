"""Preparing a meeting: the child's and parent/carer's participation (000 §1.2) and the case manager's
compliance report (000 App. B, 000 §1.3)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms

from cases.models import User
from core.forms import (
    GovDateField,
    GovErrorsMixin,
    gov_text,
    gov_yes_no,
    model_choice_field,
    not_in_future,
    yes_no_initial,
)

from ...models import Meeting
from ..common import StaffChoiceField, note_textarea, team_staff, without_autocomplete


class ParticipationForm(GovErrorsMixin, forms.Form):
    """The child's and parent/carer's part in the meeting (000 §1.2)."""

    child_attending = gov_yes_no(
        "Will the child or their parent or carer attend?",
        noun="the child or their parent or carer will attend",
    )
    views = note_textarea(
        "Their views",
        hint="Needed if they will not attend: presented at the meeting and written into the record",
        rows=6,
    )
    views_gathered_by = StaffChoiceField(
        label="Views gathered by",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose who gathered them",
        error_messages={"invalid_choice": "Choose who gathered the views from the list"},
    )
    views_gathered_on = GovDateField(
        label="Date the views were gathered",
        noun="Date the views were gathered",
        required=False,
        help_text="For example, 27 3 2027",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        """Pre-fill from the meeting; offer the team's staff as who gathered the views."""
        kwargs.setdefault(
            "initial",
            {
                "child_attending": yes_no_initial(meeting.child_attending),
                "views": meeting.views,
                "views_gathered_by": meeting.views_gathered_by_id,
                "views_gathered_on": meeting.views_gathered_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        model_choice_field(self, "views_gathered_by").queryset = team_staff(child=meeting.child)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("child_attending", legend_size=Size.SMALL, inline=True),
            Field.textarea("views", rows=6),
            Field.select("views_gathered_by"),
            Field("views_gathered_on"),
            Submit("submit", "Save"),
        )

    def clean_views_gathered_on(self):
        """Views are gathered before they are recorded."""
        return not_in_future(self.cleaned_data.get("views_gathered_on"), "Date the views were gathered")

    def clean(self):
        """Anyone not attending has their views gathered beforehand, by a named person, on a date (000 §1.2)."""
        super().clean()
        data = self.cleaned_data
        if data.get("child_attending") is False:
            if not data.get("views", "").strip() and "views" not in self.errors:
                self.add_error("views", "Enter their views, as they will not attend")
            if data.get("views_gathered_by") is None and "views_gathered_by" not in self.errors:
                self.add_error("views_gathered_by", "Choose who gathered their views")
            if data.get("views_gathered_on") is None and "views_gathered_on" not in self.errors:
                self.add_error("views_gathered_on", "Enter the date the views were gathered")
        return data


class ReportPeriodForm(forms.Form):
    """The compliance report's period alone, read first so the report's rows can be built for it."""

    period_start = GovDateField(label="From", noun="Start of the period")
    period_end = GovDateField(label="To", noun="End of the period")

    def clean(self):
        """The period runs forwards."""
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "End of the period must be on or after its start")
        return data


class ComplianceReportForm(GovErrorsMixin, ReportPeriodForm):
    """The case manager's condensed compliance report (000 App. B), built from the contact records.

    One "action taken" input per failure in the period, named `action_<contact pk>`.
    """

    unacceptable_behaviour = note_textarea(
        "Details of any unacceptable behaviour (optional)",
        hint="Behaviour during contacts that was not acceptable, if any",
    )
    plan_progress = note_textarea(
        "Details of the current intervention plan and any progress or barriers",
        required=True,
        noun="the intervention plan's progress and barriers",
        rows=6,
    )

    def __init__(self, *args, rows: list[dict], **kwargs):
        """An "action taken" input for each failure in the period, and the two helpers of the one form."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"action_{row['pk']}"] = without_autocomplete(
                gov_text(
                    f"Action taken after the failure on {row['date']:%-d %B %Y}",
                    max_length=500,
                    required=False,
                )
            )
        # The page puts the failures table between the period and the text, so two helpers, one <form>.
        self.period_helper = FormHelper()
        self.period_helper.form_tag = False
        self.period_helper.layout = Layout(
            Field("period_start"),
            Field("period_end"),
            HTML(
                '<button type="submit" name="step" value="refresh" class="govuk-button govuk-button--secondary" '
                'data-module="govuk-button">Show the figures for this period</button>'
            ),
        )
        self.text_helper = FormHelper()
        self.text_helper.form_tag = False
        self.text_helper.layout = Layout(
            Field.textarea("unacceptable_behaviour", rows=4),
            Field.textarea("plan_progress", rows=6),
        )

    def action_fields(self) -> list:
        """(row, bound field) for each failure, in the rows' order, for the table."""
        return [(row, self[f"action_{row['pk']}"]) for row in self.rows]

    def actions_taken(self) -> dict:
        """Contact pk (as text) → action taken, for the service."""
        return {str(row["pk"]): self.cleaned_data.get(f"action_{row['pk']}", "") for row in self.rows}
