"""Forms for the Caretaking Agreement (003 App. B), its review and its end (003 §12.1-§12.2, §12.5, §12.7).

Labels follow the wording of App. B. The policy checks live in transfers/services/external/caretaking.py;
the forms run the same checks for field-level errors.
"""

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from cases.models import User
from core.forms import GovErrorsMixin, ModelChoiceField, gov_date, gov_radios, gov_text, not_in_future

from ...models import CaretakingAgreement
from ...services.external.caretaking import review_errors
from .common import textarea


class StaffChoiceField(ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        """Name – role."""
        return f"{obj.get_full_name() or obj.username} – {obj.get_role_display()}"


class CaretakingForm(GovErrorsMixin, forms.Form):
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
    home_yjs = gov_text("Home YJS", max_length=120, noun="the home YJS")
    home_officer = gov_text(
        "Name of responsible officer in the home YJS",
        max_length=120,
        noun="the home YJS's responsible officer",
    )
    starts_on = gov_date("Date we assume caretaking responsibilities")
    our_responsibilities = forms.MultipleChoiceField(
        label="Responsibilities to be undertaken by us",
        choices=CaretakingAgreement.OUR_RESPONSIBILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="App. B's suggestions: tick those agreed",
    )
    our_other = textarea("Other responsibilities we undertake", rows=3)
    home_responsibilities = forms.MultipleChoiceField(
        label="Responsibilities to be retained by the home YJS area",
        choices=CaretakingAgreement.HOME_RESPONSIBILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="App. B's suggestions: tick those agreed",
    )
    home_other = textarea("Other responsibilities the home YJS keeps", rows=3)
    contact_frequency = gov_text(
        "Contact frequency agreed with the home YJS",
        max_length=200,
        noun="the contact frequency agreed with the home YJS",
    )
    review_on = gov_date(
        "Date of review",
        required=False,
        hint="No later than three months after the start (003 §12.1). Leave blank for the latest working day "
        "allowed. For example, 27 3 2026",
    )
    host_signed_name = gov_text("Our signatory: name", max_length=120, required=False)
    host_signed_role = gov_text("Our signatory: role", max_length=120, required=False)
    host_signed_on = gov_date("Our signatory: date signed", required=False)
    home_signed_name = gov_text("Home YJS signatory: name", max_length=120, required=False)
    home_signed_role = gov_text("Home YJS signatory: role", max_length=120, required=False)
    home_signed_on = gov_date("Home YJS signatory: date signed", required=False)

    def __init__(self, *args, workers, levels_hint: str = "", **kwargs):
        """Offer the team's workers; show the child's levels beside the contact frequency (003 §12.5)."""
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["case_manager"]).queryset = workers
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
        data = super().clean() or {}
        starts_on, review_on = data.get("starts_on"), data.get("review_on")
        if starts_on and review_on:
            message = review_errors(starts_on=starts_on, review_on=review_on, noun="Date of review")
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


class CaretakingReviewForm(GovErrorsMixin, forms.Form):
    """A review of the caretaking agreement (App. B) and the next review date."""

    reviewed_on = gov_date("Date of the review")
    notes = textarea(
        "What the review found and agreed",
        required=True,
        hint="Is the placement settled? Is full transfer now presumed (003 §12.1)?",
        rows=5,
        noun="what the review found and agreed",
    )
    next_review_on = gov_date(
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
        data = super().clean() or {}
        reviewed_on, next_on = data.get("reviewed_on"), data.get("next_review_on")
        if reviewed_on and next_on:
            message = review_errors(starts_on=reviewed_on, review_on=next_on, noun="Date of the next review")
            if message:
                self.add_error("next_review_on", message)
        return data


class CaretakingEndForm(GovErrorsMixin, forms.Form):
    """End caretaking: full transfer, returned to the home YJS, or the order ended (003 §12.1)."""

    OUTCOMES = [
        ("full_transfer", "Full transfer accepted: the case is wholly ours"),
        ("returned", "Returned to the home YJS"),
        ("ended", "The order ended"),
    ]

    outcome = gov_radios("How did caretaking end?", OUTCOMES, noun="how caretaking ended")
    ended_on = gov_date("Date caretaking ended")
    notes = textarea("Notes", rows=4)

    radio_first = {"outcome": 1}

    def __init__(self, *args, looked_after: bool = False, **kwargs):
        """A looked-after child is not offered full transfer (003 §12.2)."""
        super().__init__(*args, **kwargs)
        if looked_after:
            outcome = cast(forms.ChoiceField, self.fields["outcome"])
            outcome.choices = [c for c in self.OUTCOMES if c[0] != "full_transfer"]
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
