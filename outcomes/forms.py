"""GOV.UK forms for the KPI facts (issue 21): one per kind of record, and the management board's meeting.

Each form's `values()` are the model's fields for outcomes/services.py; `initial_for(record)` fills the form
from a stored record for a correction. Dates are GOV.UK date inputs, yes/no answers radios, free text has the
character count and a limit the server checks.
"""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.db import models

from cases.forms.plans_contacts import ProgrammeChoiceField
from cases.models import Child
from core.forms import (
    NOTE_TEXT,
    GovDateField,
    GovErrorsMixin,
    ModelChoiceField,
    gov_radios,
    gov_text,
    gov_textarea,
    gov_yes_no,
    not_in_future,
    yes_no_initial,
)

from .models import (
    Accommodation,
    BoardAttendance,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)

UNKNOWN = "unknown"


def _date(label: str, *, required: bool = True, hint: str = "For example, 27 3 2026") -> GovDateField:
    return GovDateField(
        label=label, noun=label.removesuffix(" (optional)"), required=required, help_text=hint
    )


def _hours(label: str) -> forms.DecimalField:
    noun = label.removesuffix(" (optional)")
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=60,
        max_digits=4,
        decimal_places=1,
        help_text="In hours a week, for example 25 or 12.5",
        error_messages={
            "invalid": f"{noun} must be a number, like 25 or 12.5",
            "min_value": f"{noun} must be 0 or more",
            "max_value": f"{noun} must be 60 or fewer",
            "max_digits": f"{noun} must be 60 or fewer",
            "max_decimal_places": f"{noun} must have at most one decimal place, like 12.5",
            "max_whole_digits": f"{noun} must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


def _yes_no_unknown(label: str, *, noun: str, unknown: str, hint: str = "") -> forms.TypedChoiceField:
    """Yes, No or not known yet (stored as None)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No"), (UNKNOWN, unknown)],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Choose whether {noun}", "invalid_choice": f"Choose whether {noun}"},
    )


def _initial_yes_no_unknown(value: bool | None) -> str:
    return UNKNOWN if value is None else ("yes" if value else "no")


notes_field = gov_textarea("Notes (optional)", max_length=NOTE_TEXT, error_label="Notes")


class RecordForm(GovErrorsMixin, forms.Form):
    """What every KPI fact's form shares: the layout, the values for the service and the initial values."""

    model: type[models.Model]
    yes_no: tuple[str, ...] = ()  # boolean fields shown as Yes/No radios
    yes_no_unknown: tuple[str, ...] = ()  # nullable boolean fields with "not known yet"
    submit_label = "Save"

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        for name in ("programme", "offence"):
            if name in self.fields:
                field = cast(ModelChoiceField, self.fields[name])
                field.queryset = (
                    child.programmes.order_by("-start_date", "-pk")
                    if name == "programme"
                    else Offence.objects.filter(child=child).order_by("-committed_on", "-pk")
                )
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout(), Submit("submit", self.submit_label))

    def layout(self) -> list:
        """Each field as its GOV.UK component."""
        parts: list[Any] = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                inline = name in self.yes_no or name in self.yes_no_unknown
                parts.append(Field.radios(name, legend_size=Size.SMALL, inline=inline))
            elif isinstance(field.widget, forms.Textarea):
                parts.append(Field.textarea(name))
            elif isinstance(field.widget, forms.Select):
                parts.append(Field.select(name))
            elif isinstance(field, forms.DecimalField):
                parts.append(Field.text(name, field_width=4))
            else:
                parts.append(Field(name))
        return parts

    @classmethod
    def initial_for(cls, record: models.Model) -> dict:
        """The stored record as the form's starting values."""
        initial: dict[str, Any] = {}
        for name in cls.base_fields:
            value = getattr(record, f"{name}_id" if name in ("programme", "offence") else name)
            if name in cls.yes_no:
                value = yes_no_initial(value)
            elif name in cls.yes_no_unknown:
                value = _initial_yes_no_unknown(value)
            initial[name] = value
        return initial

    def values(self) -> dict:
        """The cleaned values as the model's fields."""
        data = dict(self.cleaned_data)
        for name in ("programme", "offence"):
            if name in data:
                data[f"{name}_id"] = data.pop(name).pk if data[name] is not None else None
        for name in self.fields:
            if isinstance(self.fields[name], forms.CharField) and data.get(name) is None:
                data[name] = ""
        return data

    def _not_future(self, name: str):
        value = self.cleaned_data.get(name)
        return not_in_future(value, cast(GovDateField, self.fields[name]).noun)


class DatedForm(RecordForm):
    """From and until dates: a record that holds from one day (until another, once it stops)."""

    def clean_from_date(self):
        """Not in the future (records say what has happened)."""
        return self._not_future("from_date")


class AccommodationForm(DatedForm):
    """KPI 1: where the child lives, and whether it is suitable."""

    model = Accommodation
    yes_no = ("suitable",)
    kind = gov_radios("Type of accommodation", Accommodation.Kind.choices, noun="the type of accommodation")
    suitable = gov_yes_no(
        "Is it suitable?",
        noun="it is suitable",
        hint="Suitable for the child's needs, safe, and where they can stay (the YJB's KPI 1)",
    )
    from_date = _date("Date they moved in")
    to_date = _date(
        "Date they moved out (optional)", required=False, hint="Leave blank while they still live there"
    )
    notes = notes_field


class EducationForm(DatedForm):
    """KPI 2: the child's education, training or employment, with hours, and whether it is suitable."""

    model = Education
    yes_no = ("suitable",)
    provision = gov_radios(
        "Education, training or employment", Education.Provision.choices, noun="the provision"
    )
    hours_offered = _hours("Hours offered a week (optional)")
    hours_attended = _hours("Hours attended a week (optional)")
    suitable = gov_yes_no(
        "Is it suitable?", noun="it is suitable", hint="Suitable for the child's age, needs and abilities"
    )
    from_date = _date("Start date")
    to_date = _date("End date (optional)", required=False, hint="Leave blank while it continues")
    notes = notes_field


class SpecialNeedForm(DatedForm):
    """KPI 3: an identified special educational need or disability and the formal learning plan."""

    model = SpecialNeed
    yes_no = ("identified",)
    identified = gov_yes_no(
        "Has a special educational need or disability been identified?",
        noun="a special educational need or disability has been identified",
        hint="Choose No to record that the child was assessed and none was found",
    )
    need = gov_text("Identified need (optional)", required=False, count=True, error_label="Identified need")
    plan = gov_radios("Formal learning plan", SpecialNeed.Plan.choices, noun="the formal learning plan")
    plan_academic_year = gov_text(
        "Academic year of the plan (optional)",
        max_length=7,
        required=False,
        hint="For example, 2026/27 (1 September to 31 August)",
        error_label="Academic year of the plan",
    )
    from_date = _date("Date identified or assessed")
    to_date = _date(
        "Date it stopped applying (optional)", required=False, hint="Leave blank while it applies"
    )
    notes = notes_field


class HealthNeedForm(DatedForm):
    """KPI 4 and 5: a mental health or substance misuse screening, the need, the offer and attendance."""

    model = HealthNeed
    yes_no = ("need_identified",)
    yes_no_unknown = ("attending",)
    area = gov_radios("Screening for", HealthNeed.Area.choices, noun="what the screening was for")
    from_date = _date("Date of the screening")
    need_identified = gov_yes_no(
        "Did the screening identify a need for an intervention?", noun="the screening identified a need"
    )
    intervention = gov_text(
        "Intervention planned or offered (optional)",
        required=False,
        count=True,
        hint="For example, CAMHS assessment or a substance misuse worker",
        error_label="Intervention planned or offered",
    )
    offered_on = _date("Date planned or offered (optional)", required=False)
    attending = _yes_no_unknown(
        "Is the child attending the intervention?", noun="the child is attending", unknown="Not known yet"
    )
    to_date = _date(
        "Date a later screening replaced it (optional)",
        required=False,
        hint="Leave blank until a later screening replaces it",
    )
    notes = notes_field


class WiderServiceForm(DatedForm):
    """KPI 8: an Early Help plan, a Child in Need or Child Protection plan, or being looked after."""

    model = WiderService
    kind = gov_radios("Service", WiderService.Kind.choices, noun="the service")
    from_date = _date("Start date")
    to_date = _date("End date (optional)", required=False, hint="Leave blank while it continues")
    notes = notes_field


class OffenceForm(RecordForm):
    """KPI 9: an offence, its gravity score and whether it is serious violence."""

    model = Offence
    yes_no = ("serious_violence",)
    description = gov_text("Offence", count=True, noun="the offence")
    category = gov_radios("Category", Offence.Category.choices, noun="the category")
    gravity = forms.TypedChoiceField(
        label="Gravity score",
        choices=[(str(n), str(n)) for n in range(1, 9)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The YJB gravity score, from 1 (least serious) to 8",
        error_messages={"required": "Choose the gravity score", "invalid_choice": "Choose the gravity score"},
    )
    serious_violence = gov_yes_no(
        "Is it a serious violence offence?",
        noun="it is a serious violence offence",
        hint="As the YJB defines it: robbery, or a violence against the person or drugs offence of gravity 5 or more",
    )
    committed_on = _date("Date of the offence")
    proven_on = _date(
        "Date proven (optional)", required=False, hint="The outcome or sentence date, once proven"
    )
    programme = ProgrammeChoiceField(
        label="Programme or order (optional)",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Not linked to a programme",
        error_messages={"invalid_choice": "Choose one of this child's programmes"},
    )
    notes = notes_field

    def clean_committed_on(self):
        """Not in the future."""
        return self._not_future("committed_on")


class OffenceChoiceField(ModelChoiceField):
    """A select of the child's offences, each named by its description and date."""

    def label_from_instance(self, obj: Offence) -> str:
        return f"{obj.description} ({obj.committed_on:%-d %b %Y})"


class VictimForm(RecordForm):
    """KPI 10: one victim, by reference only, and what the service did."""

    model = VictimContact
    yes_no = ("views_sought", "information_given", "rj_offered", "rj_taken_part")
    yes_no_unknown = ("consented",)
    reference = gov_text(
        "Victim reference",
        max_length=40,
        count=True,
        noun="the victim reference",
        hint="The police or victim service's reference. Never enter the victim's name or anything that "
        "identifies them.",
    )
    kind = gov_radios("The victim is", VictimContact.Kind.choices, noun="who the victim is")
    identified_on = _date("Date identified")
    offence = OffenceChoiceField(
        label="Offence (optional)",
        queryset=Offence.objects.none(),
        required=False,
        empty_label="Not linked to an offence",
        error_messages={"invalid_choice": "Choose one of this child's offences"},
    )
    consented = _yes_no_unknown(
        "Did the victim consent to be contacted?", noun="the victim consented", unknown="Not asked yet"
    )
    views_sought = gov_yes_no("Were they asked for their views?", noun="they were asked for their views")
    information_given = gov_yes_no(
        "Were they given information about the case?", noun="they were given information"
    )
    rj_offered = gov_yes_no("Was restorative justice offered?", noun="restorative justice was offered")
    rj_taken_part = gov_yes_no(
        "Did they take part in restorative justice?", noun="they took part in restorative justice"
    )
    programme = ProgrammeChoiceField(
        label="Programme or order (optional)",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Not linked to a programme",
        error_messages={"invalid_choice": "Choose one of this child's programmes"},
    )
    notes = gov_textarea(
        "Notes (optional)",
        max_length=NOTE_TEXT,
        error_label="Notes",
        hint="Do not name the victim or write anything that identifies them",
    )

    def clean_identified_on(self):
        """Not in the future."""
        return self._not_future("identified_on")


FORMS: dict[str, type[RecordForm]] = {
    "accommodation": AccommodationForm,
    "ete": EducationForm,
    "send": SpecialNeedForm,
    "health": HealthNeedForm,
    "wider-services": WiderServiceForm,
    "offences": OffenceForm,
    "victims": VictimForm,
}

# ---------------------------------------------------------------------------------------------------
# The management board

PARTNERS = BoardAttendance.Partner.choices
ATTENDANCE = [
    ("absent", "Did not attend"),
    ("attended", "Attended"),
    ("senior", "Attended, by someone senior enough to commit resources"),
]


class BoardMeetingForm(GovErrorsMixin, forms.Form):
    """A management board meeting (KPI 7): the date, each statutory partner's attendance and data, notes."""

    held_on = _date("Date of the meeting")
    notes = notes_field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts: list[Any] = [Field("held_on")]
        for partner, label in PARTNERS:
            self.fields[f"{partner}_attendance"] = gov_radios(
                label, ATTENDANCE, noun=f"whether {label.lower()} attended"
            )
            self.fields[f"{partner}_data"] = forms.BooleanField(
                label=f"{label} brought their agency's data", required=False
            )
            parts.append(
                Fieldset(
                    Field.radios(f"{partner}_attendance", legend_size=Size.SMALL),
                    Field.checkbox(f"{partner}_data"),
                )
            )
        parts += [Field.textarea("notes"), Submit("submit", "Save meeting")]
        self.helper = FormHelper()
        self.helper.layout = Layout(*parts)

    def clean_held_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of the meeting")

    def clean(self):
        """Data is brought by a partner who attended."""
        super().clean()
        for partner, label in PARTNERS:
            if (
                self.cleaned_data.get(f"{partner}_data")
                and self.cleaned_data.get(f"{partner}_attendance") == "absent"
            ):
                self.add_error(f"{partner}_data", f"{label} did not attend, so brought no data")
        return self.cleaned_data

    def attendance(self) -> dict[str, dict]:
        """Each partner's attendance for the service."""
        out = {}
        for partner, _ in PARTNERS:
            answer = self.cleaned_data[f"{partner}_attendance"]
            out[partner] = {
                "attended": answer != "absent",
                "senior": answer == "senior",
                "contributed_data": bool(self.cleaned_data.get(f"{partner}_data")),
            }
        return out

    @staticmethod
    def initial_for(meeting) -> dict:
        """A stored meeting as the form's starting values."""
        initial: dict[str, Any] = {"held_on": meeting.held_on, "notes": meeting.notes}
        for row in meeting.attendance.all():
            initial[f"{row.partner}_attendance"] = (
                "senior" if row.attended and row.senior else "attended" if row.attended else "absent"
            )
            initial[f"{row.partner}_data"] = row.contributed_data
        return initial
