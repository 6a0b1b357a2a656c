"""Forms to record plans and their reviews, contacts and appointments, and the compliance period."""

import datetime
from functools import partial
from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from core.forms import (
    GovDateField,
    GovErrorsMixin,
    ModelChoiceField,
    gov_radios,
    gov_textarea,
    gov_time,
    gov_yes_no,
    not_in_future,
)

from ..models import Child, Contact, Plan, Programme

# 000 §1.3: a failure to attend starts the compliance CMM timescale.
# Plans' and contacts' free text: five rows, up to 5000 characters.
textarea = partial(gov_textarea, max_length=5000)

UNACCEPTABLE_WARNING = HTML(
    '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
    '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>'
    "Recording an unacceptable failure starts the compliance CMM timescale: a Case Management Meeting "
    "for compliance must be held within 10 working days of the failure (000 §1.3).</strong></div>"
)

OUTCOME_HINTS: dict[str, str] = {
    Contact.Outcome.BOOKED: "Not held yet: record the outcome on or after the day",
    Contact.Outcome.KEPT: "The child attended or the contact took place",
    Contact.Outcome.ACCEPTABLE_FAILURE: "The child did not attend and gave an explanation that was accepted",
    Contact.Outcome.UNACCEPTABLE_FAILURE: (
        "The child did not attend without an acceptable explanation, or behaved unacceptably"
    ),
}


def _outcome_choices(*, with_booked: bool) -> list[Choice]:
    """The outcomes as radios with a hint each."""
    return [
        Choice(value, label, hint=OUTCOME_HINTS[value])
        for value, label in Contact.Outcome.choices
        if with_booked or value != Contact.Outcome.BOOKED
    ]


class ProgrammeChoiceField(ModelChoiceField):
    """A select of the child's programmes, each named by its kind and start date (closed ones marked)."""

    def label_from_instance(self, obj: Programme) -> str:
        """The programme's kind and start date, "(closed)" once it has ended."""
        return f"{obj.get_kind_display()} from {obj.start_date:%-d %b %Y}{'' if obj.is_open else ' (closed)'}"


class PlanForm(GovErrorsMixin, forms.Form):
    """Record a completed plan, or (with `reviews`) a review of one (001 §6 table)."""

    kind = gov_radios("Type of plan", Plan.Kind.choices, noun="the type of plan")
    programme = ProgrammeChoiceField(
        label="Programme or order (optional)",
        queryset=None,
        required=False,
        empty_label="Not linked to a programme",
        error_messages={"invalid_choice": "Choose one of this child's programmes"},
    )
    completed_on = GovDateField(
        label="Date completed", noun="Date completed", help_text="For example, 27 3 2024"
    )
    objectives = textarea(
        "Objectives and interventions",
        required=True,
        hint="What the plan aims to achieve and the interventions agreed",
        noun="the objectives and interventions agreed",
    )
    child_views = textarea(
        "The child's and parent or carer's views",
        hint="Plans are agreed with the child and their parent or carer (000 §1.3)",
    )
    next_review = GovDateField(
        label="Next review date (optional)",
        noun="Next review date",
        required=False,
        help_text="For example, 27 6 2024",
    )

    def __init__(self, *args, child: Child, reviews: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child, self.reviews = child, reviews
        programme = cast(ProgrammeChoiceField, self.fields["programme"])
        programme.queryset = child.programmes.order_by("-start_date", "-pk")
        layout = [
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("programme"),
            Field("completed_on"),
            Field.textarea("objectives"),
            Field.textarea("child_views"),
            Field("next_review"),
            Submit("submit", "Save review" if reviews else "Save plan"),
        ]
        if reviews is not None:
            del self.fields["kind"]
            layout.pop(0)
            completed_on = cast(GovDateField, self.fields["completed_on"])
            completed_on.label = "Date of the review"
            completed_on.set_noun("Date of the review")
            self.fields["objectives"].label = "Progress, and the objectives and interventions now agreed"
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)

    def clean_completed_on(self):
        """Not in the future, not before the child's birth, and a review not before its plan."""
        noun = cast(GovDateField, self.fields["completed_on"]).noun
        value = not_in_future(self.cleaned_data.get("completed_on"), noun)
        if value and value < self.child.date_of_birth:
            raise forms.ValidationError("Date completed must be after the child's date of birth")
        if value and self.reviews is not None and value < self.reviews.completed_on:
            raise forms.ValidationError(
                f"Date of the review must be on or after the date the plan was completed, "
                f"{self.reviews.completed_on:%-d %B %Y}"
            )
        return value

    def clean(self):
        """The next review comes after the plan was completed."""
        super().clean()
        data = self.cleaned_data
        completed, next_review = data.get("completed_on"), data.get("next_review")
        if completed and next_review and next_review <= completed:
            self.add_error("next_review", "Next review date must be after the date completed")
        return data


class ContactForm(GovErrorsMixin, forms.Form):
    """Record a contact or an appointment given to the child, with its outcome (000 App. B)."""

    kind = gov_radios("Type of contact", Contact.Kind.choices, noun="the type of contact")
    is_appointment = gov_yes_no(
        "Was this an appointment given to the child?",
        noun="this was an appointment given to the child",
        hint="Appointments count in the compliance report for a Case Management Meeting (000 App. B)",
    )
    date = GovDateField(label="Date", noun="Date", help_text="For example, 27 3 2024")
    time = gov_time("Time (optional)", required=False, noun="time")
    outcome = gov_radios("Outcome", [], noun="the outcome")
    explanation = textarea(
        "Explanation given",
        hint="Needed for a failure: what the child said, or that no explanation was given",
    )
    notes = textarea("Notes", hint="Including any action taken")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        cast(forms.ChoiceField, self.fields["outcome"]).choices = _outcome_choices(with_booked=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("is_appointment", legend_size=Size.SMALL, inline=True),
            Field("date"),
            Field.text("time", field_width=5),
            Field.radios("outcome", legend_size=Size.SMALL),
            UNACCEPTABLE_WARNING,
            Field.textarea("explanation"),
            Field.textarea("notes"),
            Submit("submit", "Save"),
        )

    def clean_date(self):
        """Not before the child was born."""
        value = self.cleaned_data.get("date")
        if value and value < self.child.date_of_birth:
            raise forms.ValidationError("Date must be after the child's date of birth")
        return value

    def clean(self):
        """A future appointment can only be booked; a failure needs an appointment and an explanation."""
        super().clean()
        data = self.cleaned_data
        date, outcome = data.get("date"), data.get("outcome")
        if date and outcome and outcome != Contact.Outcome.BOOKED and date > timezone.localdate():
            self.add_error(
                "outcome",
                "A contact in the future can only be booked: record its outcome on or after the day",
            )
        if outcome in Contact.FAILURES and data.get("is_appointment") is False:
            self.add_error("outcome", "Only an appointment given to the child can be recorded as a failure")
        if (
            outcome in Contact.FAILURES
            and not data.get("explanation", "").strip()
            and "explanation" not in self.errors
        ):
            self.add_error("explanation", "Enter the explanation given, or say that none was given")
        return data


class ContactOutcomeForm(GovErrorsMixin, forms.Form):
    """Record the outcome of a booked appointment (000 App. B)."""

    outcome = gov_radios("Outcome", [], noun="the outcome of the appointment")
    explanation = textarea(
        "Explanation given",
        hint="Needed for a failure: what the child said, or that no explanation was given",
    )

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        cast(forms.ChoiceField, self.fields["outcome"]).choices = _outcome_choices(with_booked=False)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            UNACCEPTABLE_WARNING,
            Field.textarea("explanation"),
            Submit("submit", "Save outcome"),
        )

    def clean(self):
        """The appointment must have happened; a failure needs an explanation."""
        super().clean()
        data = self.cleaned_data
        if self.contact.date > timezone.localdate():
            raise forms.ValidationError(
                f"You can record the outcome on or after the day of the appointment, "
                f"{self.contact.date:%-d %B %Y}"
            )
        outcome = data.get("outcome")
        if outcome in Contact.FAILURES and not self.contact.is_appointment:
            self.add_error("outcome", "Only an appointment given to the child can be recorded as a failure")
        if (
            outcome in Contact.FAILURES
            and not data.get("explanation", "").strip()
            and "explanation" not in self.errors
        ):
            self.add_error("explanation", "Enter the explanation given, or say that none was given")
        return data


class CompliancePeriodForm(GovErrorsMixin, forms.Form):
    """The period of the compliance report (GET); blank dates fall back to the default period."""

    period_start = GovDateField(label="From", noun="From date", required=False)
    period_end = GovDateField(label="To", noun="To date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("period_start"),
            Field("period_end"),
            Submit("submit", "Show", css_class="govuk-button--secondary"),
        )

    def period(self, default: tuple[datetime.date, datetime.date]) -> tuple[datetime.date, datetime.date]:
        """The chosen period, with the default filling what was left blank or could not be read."""
        start, end = default
        if self.is_bound and self.is_valid():
            start = self.cleaned_data.get("period_start") or start
            end = self.cleaned_data.get("period_end") or end
        return start, end

    def clean(self):
        """The period runs forwards."""
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "To date must be on or after the from date")
        return data
