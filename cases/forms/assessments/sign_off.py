"""The sign-off forms of an assessment stage (001 App. 1): request sign-off, return it, complete it."""

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import YES_NO, GovDateField, GovErrorsMixin, ModelChoiceField, gov_textarea, not_in_future

from ...models import RiskLevel, User


class SignerChoiceField(ModelChoiceField):
    """A person who can sign off, with their role and team (an OOCD panel AP may be another team's)."""

    def label_from_instance(self, obj):
        """Name – role, team."""
        team = f", {obj.team}" if obj.team_id else ""
        return f"{obj} – {obj.get_role_display()}{team}"


class RequestSignOffForm(GovErrorsMixin, forms.Form):
    """Send a stage for sign-off, optionally to a named person among those who can complete it (App. 1)."""

    assigned_to = SignerChoiceField(
        label="Who should sign it off?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone who can sign it off in the team",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args, candidates, oocd: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = candidates
        help_text = (
            "They see it in their sign-off queue. If they are absent, a colleague with the same role can act."
        )
        if oocd:
            help_text = (
                "Name the advanced practitioner at the OOC panel, whichever team they are from (001 §6.3). "
                "They see this assessment, and nothing else of the child's record, until they sign it off."
            )
        self.fields["assigned_to"].help_text = help_text
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("assigned_to"), Submit("submit", "Request sign-off"))


class ReturnForm(GovErrorsMixin, forms.Form):
    """Return a stage to its author with the changes needed; the first manager review is the gatekeeping."""

    comments = gov_textarea(
        "What needs to change?", required=True, rows=6, noun="what needs to change", error_label="Comments"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("comments"),
            Submit("submit", "Return for changes", css_class="govuk-button--warning"),
        )


AGREED_CHOICES = [("", "Choose a level")] + list(RiskLevel.choices)


class CompleteForm(GovErrorsMixin, forms.Form):
    """App. 1 "Complete Stage": the completer's comments on levels, the CMM date and progress at closure.

    Which questions are asked depends on the stage: `ask_levels` (someone else's stage),
    `ask_cmm` (Medium/High review or closure after a CMM), `ask_progress` (closure),
    `agreement_candidates` (a duty worker's apparent High: the TM/AP the levels were agreed with).
    """

    levels_agreed = forms.ChoiceField(
        label="Do you agree with the proposed levels?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    agreed_rosh = forms.ChoiceField(label="Agreed RoSH level", choices=AGREED_CHOICES, required=False)
    agreed_saw = forms.ChoiceField(label="Agreed SaW level", choices=AGREED_CHOICES, required=False)
    agreed_lor = forms.ChoiceField(label="Agreed LoR level", choices=AGREED_CHOICES, required=False)
    levels_agreed_with = ModelChoiceField(
        label="Which team manager or advanced practitioner did you agree the levels with?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a TM or AP",
        error_messages={"invalid_choice": "Choose a team manager or advanced practitioner from the list"},
    )
    cmm_date = GovDateField(
        label="Date of the case management meeting",
        noun="Date of the case management meeting",
        required=False,
    )
    progress_at_closure = gov_textarea(
        "Observations of the child's progress at closure", error_label="Observations of progress"
    )
    comments = gov_textarea("Comments on the stage")

    def __init__(
        self,
        *args,
        ask_levels: bool,
        ask_cmm: bool,
        ask_progress: bool,
        agreement_candidates=None,
        comments_required: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.ask_levels, self.ask_cmm, self.ask_progress = ask_levels, ask_cmm, ask_progress
        self.ask_agreement = agreement_candidates is not None
        self.comments_required = comments_required
        f = self.fields
        layout, asked = [], set()
        if ask_levels:
            layout += [
                Field.radios("levels_agreed", legend_size=Size.SMALL, inline=True),
                Field.select("agreed_rosh"),
                Field.select("agreed_saw"),
                Field.select("agreed_lor"),
            ]
            asked |= {"levels_agreed", "agreed_rosh", "agreed_saw", "agreed_lor"}
            for name in ("agreed_rosh", "agreed_saw", "agreed_lor"):
                f[name].help_text = "Only if you do not agree with the proposed level"
        if self.ask_agreement:
            cast(forms.ModelChoiceField, f["levels_agreed_with"]).queryset = agreement_candidates
            f["levels_agreed_with"].help_text = (
                "001 App. 1: a duty worker gatekeeping an apparent High RoSH or SaW agrees the levels with "
                "the locality TM or AP before completing the stage."
            )
            layout.append(Field.select("levels_agreed_with"))
            asked.add("levels_agreed_with")
        if ask_cmm:
            f[
                "cmm_date"
            ].help_text = (
                "001 App. 1: Medium and High reviews are completed after the CMM. For example, 27 3 2024"
            )
            f["cmm_date"].error_messages.update(
                {"incomplete": "Enter the date of the case management meeting"}
            )
            layout.append(Field("cmm_date"))
            asked.add("cmm_date")
        if ask_progress:
            layout.append(Field.textarea("progress_at_closure", rows=5))
            asked.add("progress_at_closure")
        if not comments_required:
            f["comments"].label = "Comments (optional)"
        layout += [Field.textarea("comments", rows=5), Submit("submit", "Complete stage")]
        asked.add("comments")
        # Only the questions this stage asks are fields, so nothing unasked is validated or saved.
        for name in set(f) - asked:
            del f[name]
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)

    def clean(self):
        """Ask what App. 1 asks of the completer for this stage, in GOV.UK wording."""
        super().clean()
        data = self.cleaned_data
        if self.ask_levels:
            agreed = data.get("levels_agreed")
            if not agreed:
                self.add_error("levels_agreed", "Select yes if you agree with the proposed levels")
            elif agreed == "no":
                for name, label in (("agreed_rosh", "RoSH"), ("agreed_saw", "SaW"), ("agreed_lor", "LoR")):
                    if not data.get(name):
                        self.add_error(name, f"Choose the {label} level you agree")
        if self.ask_agreement and not data.get("levels_agreed_with"):
            self.add_error(
                "levels_agreed_with",
                "Choose the team manager or advanced practitioner you agreed the levels with",
            )
        if self.ask_cmm:
            cmm_date = data.get("cmm_date")
            if cmm_date is None and "cmm_date" not in self.errors:
                self.add_error("cmm_date", "Enter the date of the case management meeting")
            elif cmm_date:
                try:
                    not_in_future(cmm_date, "Date of the case management meeting")
                except forms.ValidationError as exc:
                    self.add_error("cmm_date", exc)
        if self.ask_progress and not (data.get("progress_at_closure") or "").strip():
            self.add_error(
                "progress_at_closure", "Enter your observations of the child's progress at closure"
            )
        if self.comments_required and not (data.get("comments") or "").strip():
            self.add_error("comments", "Enter your comments on the stage")
        return data
