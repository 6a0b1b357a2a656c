"""One GOV.UK form per kind of KPI fact (issue 21), and FORMS: the form of each Circumstances section."""

from __future__ import annotations

from django import forms

from cases.forms.plans_contacts import ProgrammeChoiceField
from cases.models import Child
from core.forms import (
    NOTE_TEXT,
    ModelChoiceField,
    gov_radios,
    gov_text,
    gov_textarea,
    gov_yes_no,
)

from ..models import (
    Accommodation,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)
from .base import (
    DatedForm,
    RecordForm,
    date_field,
    hours_field,
    notes_field,
    yes_no_unknown_field,
)


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
    from_date = date_field("Date they moved in")
    to_date = date_field(
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
    hours_offered = hours_field("Hours offered a week (optional)")
    hours_attended = hours_field("Hours attended a week (optional)")
    suitable = gov_yes_no(
        "Is it suitable?", noun="it is suitable", hint="Suitable for the child's age, needs and abilities"
    )
    from_date = date_field("Start date")
    to_date = date_field("End date (optional)", required=False, hint="Leave blank while it continues")
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
    from_date = date_field("Date identified or assessed")
    to_date = date_field(
        "Date it stopped applying (optional)", required=False, hint="Leave blank while it applies"
    )
    notes = notes_field


class HealthNeedForm(DatedForm):
    """KPI 4 and 5: a mental health or substance misuse screening, the need, the offer and attendance."""

    model = HealthNeed
    yes_no = ("need_identified",)
    yes_no_unknown = ("attending",)
    area = gov_radios("Screening for", HealthNeed.Area.choices, noun="what the screening was for")
    from_date = date_field("Date of the screening")
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
    offered_on = date_field("Date planned or offered (optional)", required=False)
    attending = yes_no_unknown_field(
        "Is the child attending the intervention?", noun="the child is attending", unknown="Not known yet"
    )
    to_date = date_field(
        "Date a later screening replaced it (optional)",
        required=False,
        hint="Leave blank until a later screening replaces it",
    )
    notes = notes_field


class WiderServiceForm(DatedForm):
    """KPI 8: an Early Help plan, a Child in Need or Child Protection plan, or being looked after."""

    model = WiderService
    kind = gov_radios("Service", WiderService.Kind.choices, noun="the service")
    from_date = date_field("Start date")
    to_date = date_field("End date (optional)", required=False, hint="Leave blank while it continues")
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
    committed_on = date_field("Date of the offence")
    proven_on = date_field(
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
    identified_on = date_field("Date identified")
    offence = OffenceChoiceField(
        label="Offence (optional)",
        queryset=Offence.objects.none(),
        required=False,
        empty_label="Not linked to an offence",
        error_messages={"invalid_choice": "Choose one of this child's offences"},
    )
    consented = yes_no_unknown_field(
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
