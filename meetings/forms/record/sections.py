"""The CMM Record's sections (001 App. 4, in its order; 000 App. A): one form per section, or (the
one-page record, `whole.py`) every section in one form.

Labels and hints follow the wording of 001 App. 4 and 000 App. A. The sections are saved as drafts
(nothing is required until the chair finalises: `selectors.record_missing` says what is still needed),
so the form only checks what it can: dates, times, lengths and yes/no answers.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.models import RiskLevel
from core.forms import (
    GovCharField,
    GovDateField,
    GovErrorsMixin,
    VersionedFormMixin,
    gov_radios,
    gov_time,
    gov_yes_no,
    yes_no_initial,
)

from ...models import Meeting, MeetingKind
from ..common import aware, record_textarea

# slug → title, the record fields it writes, and which of them make it "Completed" on the task list.
SECTIONS: dict[str, dict] = {
    "reason": {
        "title": "Reason for the meeting and review of previous actions",
        "fields": ["reason", "previous_actions_review"],
        "complete": ["reason"],
    },
    # 000 App. A, on every CMM record (001 App. 4 dropped it; the issue 17 reading keeps it): for a
    # compliance CMM it starts from the case manager's compliance report (the same field).
    "intervention_plan": {
        "title": "Current intervention plan and progress or barriers",
        "fields": ["plan_progress"],
        "complete": ["plan_progress"],
    },
    "circumstances": {
        "title": "Current circumstances, diversity and updates from other agencies",
        "fields": ["circumstances", "changing_circumstances", "diversity", "agency_updates"],
        "complete": ["circumstances"],
    },
    "views": {
        "title": "The child's and parent/carer's views",
        "fields": ["views"],
        "complete": ["views"],
    },
    "risk": {
        "title": "RoSH, SaW and LoR assessment, and strengths",
        "fields": ["rosh_analysis", "saw_analysis", "lor_analysis", "strengths"],
        "complete": ["rosh_analysis", "saw_analysis", "lor_analysis"],
    },
    "plan": {
        "title": "Risk management plan",
        "fields": ["risk_management_plan"],
        "complete": ["risk_management_plan"],
    },
    "levels": {
        "title": "Revised risk levels",
        "fields": ["revised_rosh", "revised_saw", "revised_lor"],
        "complete": ["revised_rosh", "revised_saw", "revised_lor"],
    },
    "next": {
        "title": "Date, time and venue of the next meeting",
        "fields": ["next_meeting_at", "next_meeting_venue"],
        "complete": [],
    },
}


def needs_breach_presumption(meeting: Meeting) -> bool:
    """A compliance CMM of a child in care considers the presumption against breach (000 App. A)."""
    return meeting.kind == MeetingKind.COMPLIANCE and meeting.child.looked_after


def section_fields(meeting: Meeting, slug: str) -> list[str]:
    """The record fields a section writes for this meeting (the levels section adds its yes/no questions)."""
    names = list(SECTIONS[slug]["fields"])
    if slug == "levels":
        if needs_breach_presumption(meeting):
            names.append("breach_presumption_considered")
        if meeting.is_csc_combined:
            names.append("confidential_discussion_needed")
    return names


def section_complete_fields(meeting: Meeting, slug: str) -> list[str]:
    """The fields that must hold something for the section to show as completed."""
    if slug == "plan" and meeting.is_csc_combined:
        return []  # 000 §1.4: the CSC meeting's own plan may stand; the record can omit it
    if slug == "levels":
        return section_fields(meeting, slug)
    return list(SECTIONS[slug]["complete"])


def _views_hint(meeting: Meeting) -> str:
    """000 App. A: the question changes with the kind of CMM."""
    if meeting.kind == MeetingKind.REOFFENDING:
        return "This is a re-offending CMM: what led to the child committing further offences?"
    if meeting.kind == MeetingKind.COMPLIANCE:
        return (
            "This is a compliance CMM: reflect the team manager's or AP's discussion with the child and "
            "their parents or carers about what would help them to comply."
        )
    return "Their views must form part of an active risk management process (001 §6.2)."


def _diversity_hint(meeting: Meeting) -> str:
    """000 App. A: for a non-compliance CMM, the presumption against breach for children in care."""
    if meeting.kind == MeetingKind.COMPLIANCE:
        text = "This is a CMM for non-compliance: a presumption against breach should be introduced for children in care."
        if meeting.child.looked_after:
            text += " This child is looked after."
        return text
    return "Include any factors identified and how they are being addressed."


def _level(label: str, noun: str) -> forms.ChoiceField:
    """A revised RoSH, SaW or LoR level as radios (001 §4, §5)."""
    return gov_radios(label, RiskLevel.choices, noun=f"the revised {noun}")


class RecordSectionForm(VersionedFormMixin, GovErrorsMixin, forms.Form):
    """One section of the CMM Record (001 App. 4). Nothing is required until finalising, except answers
    to the questions a section asks outright (the revised levels and the yes/no questions). The chair
    and the team's managers all write the record: it carries the meeting's version (ADR 0009).

    `sections` (the one-page record) builds several sections in one form; `section` builds one."""

    def __init__(
        self, *args, meeting: Meeting, section: str = "", sections: list[str] | None = None, **kwargs
    ):
        """Build the sections' fields and layout from the meeting's record."""
        self.meeting = meeting
        self.sections = list(sections) if sections is not None else [section]
        self.section = self.sections[0]
        kwargs["initial"] = {**self._initial(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = self.layout({slug: getattr(self, f"_build_{slug}")() for slug in self.sections})

    def layout(self, built: dict[str, list]) -> Layout:
        """One section's fields and its button (the one-page form puts each section in a fieldset)."""
        fields = [item for items in built.values() for item in items]
        return Layout(
            *self.versioned(self.meeting), *fields, Submit("submit", "Save and return to the meeting")
        )

    def _initial(self) -> dict:
        """The record as it stands; the revised levels default to the current ones."""
        m, child = self.meeting, self.meeting.child
        initial = {name: getattr(m, name) for slug in self.sections for name in section_fields(m, slug)}
        if "levels" in self.sections:
            for name in ("rosh", "saw", "lor"):
                initial[f"revised_{name}"] = (
                    getattr(m, f"revised_{name}") or getattr(m, f"current_{name}") or getattr(child, name)
                )
            for name in ("breach_presumption_considered", "confidential_discussion_needed"):
                if name in initial:
                    initial[name] = yes_no_initial(initial[name])
        if "next" in self.sections:
            if m.next_meeting_at:
                local = timezone.localtime(m.next_meeting_at)
                initial["next_meeting_on"] = local.date()
                initial["next_meeting_time"] = local.strftime("%H:%M")
            initial.pop("next_meeting_at", None)
        return initial

    def _build_reason(self) -> list:
        """Reason for the CMM and the review of the previous meeting's actions (001 App. 4)."""
        self.fields["reason"] = record_textarea(
            "Reason for the Case Management Meeting", hint="Why the meeting was called (001 §6.1)", rows=4
        )
        self.fields["previous_actions_review"] = record_textarea(
            "Review of actions from the previous meeting (if applicable)",
            hint="Filled in from the previous meeting's agreed actions when it was booked: say what was done",
            rows=8,
        )
        return [Field.textarea("reason"), Field.textarea("previous_actions_review")]

    def _build_intervention_plan(self) -> list:
        """Details of the current intervention plan and any progress or barriers (000 App. A)."""
        hint = "What the plan is working towards, what has gone well and what is getting in the way"
        if self.meeting.kind == MeetingKind.COMPLIANCE:
            hint = (
                "This is a compliance CMM: completed in advance from the case manager's compliance report "
                "(000 App. A, App. B)"
            )
        self.fields["plan_progress"] = record_textarea(
            "Details of the current intervention plan and any progress or barriers to achieving it",
            hint=hint,
            rows=6,
        )
        return [Field.textarea("plan_progress")]

    def _build_circumstances(self) -> list:
        """Circumstances, changing circumstances, diversity and agency updates (001 App. 4, 000 App. A)."""
        self.fields["circumstances"] = record_textarea(
            "Current circumstances and new incidents of concern",
            hint="Consider them in the context of RoSH, SaW and LoR: include any since the last CMM or "
            "AssetPlus review and how they affect the levels. Have workers been proactive in seeking out "
            "relevant intelligence and information to inform reviews?",
        )
        self.fields["changing_circumstances"] = record_textarea(
            "Dealing with changing circumstances",
            hint="Consider the existing factors in the AssetPlus assessment's changing circumstances "
            "section. Is there evidence of these starting to come to fruition?",
        )
        self.fields["diversity"] = record_textarea(
            "Have diversity or disproportionality factors been identified and addressed?",
            hint=_diversity_hint(self.meeting),
            rows=4,
        )
        self.fields["agency_updates"] = record_textarea(
            "Further information and updates from other agencies",
            hint="Include any verbal or written updates from agencies who could not attend (001 §6.2)",
        )
        return [
            Field.textarea("circumstances"),
            Field.textarea("changing_circumstances"),
            Field.textarea("diversity"),
            Field.textarea("agency_updates"),
        ]

    def _build_views(self) -> list:
        """The child's and parent/carer's views, asked as 000 App. A asks for this kind of CMM."""
        self.fields["views"] = record_textarea(
            "How do the child and their parent or carer view their current RoSH, SaW and LoR, and the "
            "interventions being undertaken to address these?",
            hint=_views_hint(self.meeting),
            rows=8,
        )
        return [Field.textarea("views", label_size=Size.SMALL)]

    def _build_risk(self) -> list:
        """The RoSH, SaW and LoR analysis and strengths (001 App. 4; frameworks App. 2/3 beside it)."""
        self.fields["rosh_analysis"] = record_textarea(
            "Risk of Serious Harm (RoSH) assessment",
            hint="The agreed current level of RoSH: behaviour, context, imminence, likelihood",
        )
        self.fields["saw_analysis"] = record_textarea(
            "Safety and Wellbeing (SaW) assessment: adverse outcomes",
            hint="The agreed current level of risk of adverse outcomes to the child's own safety and "
            "wellbeing, including behaviour, context, imminence, likelihood",
        )
        self.fields["lor_analysis"] = record_textarea(
            "Likelihood of Re-offending (LoR)", hint="The agreed current LoR, including context and imminence"
        )
        self.fields["strengths"] = record_textarea(
            "Protective and desistance factors and strengths",
            hint="Strengths to build on to address RoSH, SaW and LoR (000 App. A)",
            rows=4,
        )
        return [
            Field.textarea("rosh_analysis"),
            Field.textarea("saw_analysis"),
            Field.textarea("lor_analysis"),
            Field.textarea("strengths"),
        ]

    def _build_plan(self) -> list:
        """The risk management plan (001 App. 4)."""
        hint = (
            "Internal and external controls, and multi-agency interventions. This section should adopt a "
            "multi-agency approach to developing the risk management (001 App. 4)."
        )
        if self.meeting.is_csc_combined:
            hint += " For a combined CSC meeting, record the YJS part of the plan agreed (optional)."
        self.fields["risk_management_plan"] = record_textarea("Risk management plan", hint=hint, rows=10)
        return [Field.textarea("risk_management_plan")]

    def _build_levels(self) -> list:
        """Revised levels, and the yes/no questions of compliance and combined CSC meetings."""
        self.fields["revised_rosh"] = _level("Revised Risk of Serious Harm (RoSH)", "RoSH")
        self.fields["revised_saw"] = _level("Revised Safety and Wellbeing (SaW)", "SaW")
        self.fields["revised_lor"] = _level("Revised Likelihood of Re-offending (LoR)", "LoR")
        layout = [
            Field.radios("revised_rosh", legend_size=Size.SMALL),
            Field.radios("revised_saw", legend_size=Size.SMALL),
            Field.radios("revised_lor", legend_size=Size.SMALL),
        ]
        if needs_breach_presumption(self.meeting):
            self.fields["breach_presumption_considered"] = gov_yes_no(
                "Was the presumption against breach for a child in care considered?",
                hint="This is a compliance CMM and the child is looked after: a presumption against "
                "breach should be introduced (000 App. A). The record cannot be finalised until it has been.",
                noun="the presumption against breach was considered",
            )
            layout.append(Field.radios("breach_presumption_considered", legend_size=Size.SMALL))
        if self.meeting.is_csc_combined:
            self.fields["confidential_discussion_needed"] = gov_yes_no(
                "Was a confidential, professionals-only discussion needed?",
                hint="Where there was specific intelligence not to be shared with the child or family, the "
                "team manager asks for a confidential slot outside the meeting (000 §1.4, 001 §6.5)",
                noun="a confidential discussion was needed",
            )
            layout.append(Field.radios("confidential_discussion_needed", legend_size=Size.SMALL))
        return layout

    def _build_next(self) -> list:
        """Date, time and venue of the next meeting (if applicable)."""
        self.fields["next_meeting_on"] = GovDateField(
            label="Date of the next meeting (if applicable)",
            noun="Date of the next meeting",
            required=False,
            help_text="For example, 27 3 2026",
        )
        self.fields["next_meeting_time"] = gov_time(
            "Time of the next meeting", required=False, noun="time of the next meeting"
        )
        self.fields["next_meeting_venue"] = GovCharField(
            label="Venue of the next meeting",
            required=False,
            max_length=200,
            error_messages={"max_length": "Venue of the next meeting must be 200 characters or fewer"},
        )
        return [
            Field("next_meeting_on"),
            Field.text("next_meeting_time", field_width=5),
            Field.text("next_meeting_venue"),
        ]

    def clean(self):
        """The next meeting: a date needs a time and comes after this meeting."""
        super().clean()
        data = self.cleaned_data
        if "next" not in self.sections:
            return data
        day, time = data.get("next_meeting_on"), data.get("next_meeting_time")
        if "next_meeting_on" in self.errors or "next_meeting_time" in self.errors:
            return data
        if day and not time:
            self.add_error("next_meeting_time", "Enter the time of the next meeting")
        elif time and not day:
            self.add_error("next_meeting_on", "Enter the date of the next meeting")
        elif day:
            this = timezone.localdate(self.meeting.held_at or self.meeting.starts_at)
            if day <= this:
                self.add_error(
                    "next_meeting_on",
                    f"Date of the next meeting must be after this meeting, {this:%-d %B %Y}",
                )
        return data

    def stale_values(self, record: Meeting) -> dict[str, object]:
        """The saved record by this form's fields (the next meeting's time is one field on the record)."""
        values = super().stale_values(record)
        if "next" in self.sections:
            local = timezone.localtime(record.next_meeting_at) if record.next_meeting_at else None
            values["next_meeting_on"] = local.date() if local else None
            values["next_meeting_time"] = local.time().replace(second=0, microsecond=0) if local else None
        return {name: values[name] for name in self.fields if name in values}

    def record_data(self) -> dict:
        """The cleaned sections as record fields for services.meeting_record_update."""
        data = self.cleaned_data
        record = {}
        for slug in self.sections:
            if slug == "next":
                day, time = data.get("next_meeting_on"), data.get("next_meeting_time")
                record["next_meeting_at"] = aware(day, time) if day and time else None
                record["next_meeting_venue"] = data.get("next_meeting_venue", "")
            else:
                record.update({name: data[name] for name in section_fields(self.meeting, slug)})
        return record
