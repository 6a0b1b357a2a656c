"""Forms for assessment stages and their sign-off, with the RoSH and SaW decision frameworks (001 App. 1-3)."""

from collections import Counter

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms

from core.forms import GovDateField, GovErrorsMixin, not_in_future

from ..models import Assessment, RiskLevel, User
from ..services.assessments import EDITABLE_FIELDS

LEVEL_LABELS = dict(RiskLevel.choices)

# 001 App. 2 (RoSH) and App. 3 (SaW), abbreviated: for each column, the rows from Very High to Low.
# The worker picks the row that fits; the level the row sits on is what it points to. A guided aid
# for the worker's own judgement, which is what counts (001 §6.2).
FRAMEWORKS = {
    "rosh": {
        "title": "Risk of serious harm decision framework (001 App. 2)",
        "columns": {
            "seriousness": (
                "Seriousness",
                {
                    RiskLevel.VERY_HIGH: "Presents an ongoing risk of committing an offence causing serious harm",
                    RiskLevel.HIGH: "History of causing serious harm and remains capable of it, or risk factors "
                    "and past or current behaviour show a propensity to cause serious harm",
                    RiskLevel.MEDIUM: "May have caused serious harm in the past, but a repeat is not probable; "
                    "any propensity is not probable and not imminent",
                    RiskLevel.LOW: "May have caused serious harm in the past, but a repeat is very unlikely",
                },
            ),
            "protective": (
                "Absence or presence of protective factors",
                {
                    RiskLevel.VERY_HIGH: "Pervasive risk and a lack of protective factors to mitigate it",
                    RiskLevel.HIGH: "Sufficient protective factors to mitigate the risk; capacity to engage "
                    "with risk management; some capacity to self-risk manage",
                    RiskLevel.MEDIUM: "Will co-operate with risk management or treatment; some capacity to "
                    "self-risk manage with support; protective factors present",
                    RiskLevel.LOW: "Protective factors substantially outweigh risk factors; no current "
                    "indicators of risk of serious harm",
                },
            ),
            "imminence": (
                "Imminence",
                {
                    RiskLevel.VERY_HIGH: "More than likely to happen imminently; will happen if controls are "
                    "absent; needs long-term risk management",
                    RiskLevel.HIGH: "Ongoing risk that will or could increase if protective factors fail, are "
                    "absent or diminish",
                    RiskLevel.MEDIUM: "Not imminent; a repeat offence is on the balance of probability unlikely",
                    RiskLevel.LOW: "Not imminent and deemed very unlikely",
                },
            ),
        },
    },
    "saw": {
        "title": "Safety and wellbeing decision framework (001 App. 3)",
        "columns": {
            "seriousness": (
                "Seriousness",
                {
                    RiskLevel.VERY_HIGH: "In an unsafe situation or environment with ongoing adverse outcomes "
                    "and the need for immediate action",
                    RiskLevel.HIGH: "A history of safety and wellbeing adversely affected, by their own "
                    "behaviour or that of others, which is ongoing",
                    RiskLevel.MEDIUM: "Safety and wellbeing needs identified which are unlikely to have an "
                    "immediate adverse outcome",
                    RiskLevel.LOW: "May have experienced adverse outcomes before, but a repeat is very unlikely",
                },
            ),
            "protective": (
                "Absence or presence of protective factors",
                {
                    RiskLevel.VERY_HIGH: "Pervasive adverse outcomes and a lack of protective factors to "
                    "mitigate them",
                    RiskLevel.HIGH: "Sufficient protective factors to mitigate adverse outcomes; capacity to "
                    "engage with keep-safe strategies; some capacity to manage own safety",
                    RiskLevel.MEDIUM: "Will engage with intervention or treatment; some capacity for keeping "
                    "safe with support; protective factors present",
                    RiskLevel.LOW: "Protective factors substantially outweigh risk factors; no current "
                    "indicators of adverse outcomes",
                },
            ),
            "imminence": (
                "Imminence",
                {
                    RiskLevel.VERY_HIGH: "More than likely to happen imminently; needs immediate action or "
                    "long-term intervention; will happen if controls are absent",
                    RiskLevel.HIGH: "Ongoing adverse outcomes that will or could increase if protective "
                    "factors fail, are absent or diminish",
                    RiskLevel.MEDIUM: "Not imminent; a repeat of adverse outcomes is on the balance of "
                    "probability unlikely",
                    RiskLevel.LOW: "Not imminent and deemed very unlikely",
                },
            ),
        },
    },
}

LEVEL_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH]


def framework_suggestion(*, framework: str, assessment) -> dict | None:
    """What the worker's framework answers point to, beside their own level (App. 2/3); None if unanswered.

    Where two or three answers agree, they point to that level; where all three differ, there is no single
    pointer and the worker weighs them. The worker's own level is what counts either way.
    """
    columns = FRAMEWORKS[framework]["columns"]
    answers = [getattr(assessment, f"{framework}_{column}") for column in columns]
    given = [a for a in answers if a]
    own = getattr(assessment, framework)
    name = "RoSH" if framework == "rosh" else "SaW"
    if not given:
        return None
    if len(given) < len(answers):
        return {
            "level": "",
            "text": f"Answer all three {name} framework questions to see what they point to.",
            "differs": False,
        }
    level, count = Counter(given).most_common(1)[0]
    if count == 1:
        low = min(given, key=LEVEL_ORDER.index)
        high = max(given, key=LEVEL_ORDER.index)
        return {
            "level": "",
            "text": f"The {name} framework answers range from {LEVEL_LABELS[low]} to {LEVEL_LABELS[high]}: "
            "weigh them with your professional judgement.",
            "differs": False,
        }
    text = f"The {name} framework answers point to {LEVEL_LABELS[level]}."
    differs = bool(own) and own != level
    if differs:
        text += (
            f" Your {name} level is {LEVEL_LABELS[own]}: your judgement is what counts, so explain it in "
            "the rationale."
        )
    return {"level": level, "text": text, "differs": differs}


def _framework_field(framework: str, column: str) -> forms.ChoiceField:
    """A radio group whose options are one framework column's rows, Very High first (as in App. 2/3)."""
    label, rows = FRAMEWORKS[framework]["columns"][column]
    label = f"{'RoSH' if framework == 'rosh' else 'SaW'}: {label[:1].lower()}{label[1:]}"
    choices = [Choice(level, text) for level, text in rows.items()]
    choices.append(Choice("", "Not considered yet"))
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


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
        f["programme"].queryset = child.programmes.all()
        f["programme"].required = False
        f["programme"].label = "Programme or order (optional)"
        f["programme"].empty_label = "Not linked to a programme"
        f["programme"].error_messages["invalid_choice"] = "Choose one of this child's programmes"
        for name, label in (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR")):
            f[name] = forms.ChoiceField(
                label=f"Proposed {label} level",
                choices=LEVEL_CHOICES,
                required=False,
                error_messages={"invalid_choice": f"Choose a {label} level from the list"},
            )
            f[f"{name}_rationale"].label = f"{label} rationale"
        for framework in FRAMEWORKS:
            for column in FRAMEWORKS[framework]["columns"]:
                f[f"{framework}_{column}"] = _framework_field(framework, column)
        f["summary"].label = "Analysis and summary"
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


class RequestSignOffForm(GovErrorsMixin, forms.Form):
    """Send a stage for sign-off, optionally to a named person among those who can complete it (App. 1)."""

    assigned_to = forms.ModelChoiceField(
        label="Who should sign it off?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone who can sign it off in the team",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = candidates
        self.fields[
            "assigned_to"
        ].help_text = (
            "They see it in their sign-off queue. If they are absent, a colleague with the same role can act."
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("assigned_to"), Submit("submit", "Request sign-off"))


class ReturnForm(GovErrorsMixin, forms.Form):
    """Return a stage to its author with the changes needed; the first manager review is the gatekeeping."""

    comments = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what needs to change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("comments"),
            Submit("submit", "Return for changes", css_class="govuk-button--warning"),
        )


YES_NO = [("yes", "Yes"), ("no", "No")]
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
    levels_agreed_with = forms.ModelChoiceField(
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
    progress_at_closure = forms.CharField(
        label="Observations of the child's progress at closure",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    comments = forms.CharField(
        label="Comments on the stage",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

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
            f["levels_agreed_with"].queryset = agreement_candidates
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
        data = super().clean()
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
