"""The form for an assessment stage's draft: what it is, the proposed levels, and the frameworks (001 App. 1-3)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, ModelChoiceField, gov_textarea

from ...models import Assessment, RiskLevel
from ...services.assessments import EDITABLE_FIELDS
from .frameworks import FRAMEWORKS, framework_field

LEVEL_CHOICES = [("", "Not assessed yet")] + list(RiskLevel.choices)


class AssessmentForm(GovErrorsMixin, forms.ModelForm):
    """Start or edit a draft stage: what it is, the proposed levels with rationales, and the frameworks."""

    class Meta:
        model = Assessment
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["kind"] = forms.ChoiceField(
            label="Type of assessment",
            choices=Assessment.Kind.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the type of assessment", "invalid_choice": "Choose a type"},
        )
        f["stage"] = forms.ChoiceField(
            label="Stage",
            choices=[("", "Choose a stage")] + list(Assessment.Stage.choices),
            error_messages={"required": "Choose the stage", "invalid_choice": "Choose a stage from the list"},
        )
        f["programme"] = ModelChoiceField(
            queryset=child.programmes.all(),
            required=False,
            label="Programme or order (optional)",
            empty_label="Not linked to a programme",
            error_messages={"invalid_choice": "Choose one of this child's programmes"},
        )
        for name, label in (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR")):
            f[name] = forms.ChoiceField(
                label=f"Proposed {label} level",
                choices=LEVEL_CHOICES,
                required=False,
                error_messages={"invalid_choice": f"Choose a {label} level from the list"},
            )
            # The model's text is unbounded; the form is not (the character count shows the limit).
            f[f"{name}_rationale"] = gov_textarea(f"{label} rationale", rows=4)
        for framework in FRAMEWORKS:
            for column in FRAMEWORKS[framework]["columns"]:
                f[f"{framework}_{column}"] = framework_field(framework, column)
        f["summary"] = gov_textarea("Analysis and summary", rows=8)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.select("stage"),
            Field.select("programme"),
            Fieldset(
                Field.select("rosh"),
                Field.textarea("rosh_rationale", rows=4),
                Field.select("saw"),
                Field.textarea("saw_rationale", rows=4),
                Field.select("lor"),
                Field.textarea("lor_rationale", rows=4),
                legend="Proposed levels",
                legend_size=Size.MEDIUM,
            ),
            # One radio group per framework column; headings (not an outer fieldset) group them, as
            # GOV.UK advises against nesting fieldsets.
            *[
                item
                for framework in FRAMEWORKS
                for item in (
                    HTML(
                        f'<h2 class="govuk-heading-m">{FRAMEWORKS[framework]["title"]}</h2>'
                        '<p class="govuk-body">For each question choose the description that fits best. '
                        "Your own levels are what count; after you save, the page shows what your answers "
                        "point to.</p>"
                    ),
                    *[
                        Field.radios(f"{framework}_{column}", legend_size=Size.SMALL, small=True)
                        for column in FRAMEWORKS[framework]["columns"]
                    ],
                )
            ],
            Field.textarea("summary", rows=8),
            Submit("submit", "Save draft"),
        )
