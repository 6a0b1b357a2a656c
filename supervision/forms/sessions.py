"""Forms for the Record of Supervision (000 App. C, 000 §6.1) and a worker's agreed frequency (002).

Labels and hints follow App. C's wording. The record's sections are saved as a draft (nothing is required
until it is finalised: `selectors.sessions.session_missing` says what is still needed), so the forms check
only what they can: dates, times, lengths, and the leave gap where 002 requires it.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.models import User
from core.forms import (
    TIME_FORMATS,
    FormMixinBase,
    GovCharField,
    GovDateField,
    GovErrorsMixin,
    ModelChoiceField,
    VersionedFormMixin,
    choice_field,
    gov_date,
    gov_textarea,
    model_choice_field,
    not_in_future,
)

from ..models import SupervisionFrequency, SupervisionMethod, SupervisionSession
from ..selectors.sessions import AGENDA, LeaveGap, leave_gap_for, standard_frequency

METHOD_HINTS: dict[str, str] = {
    SupervisionMethod.ONE_TO_ONE: "Formal one-to-one supervision (000 §4.1, 002)",
    SupervisionMethod.ONLINE: "Counts as formal one-to-one supervision (000 §3.2)",
    SupervisionMethod.PHONE: "Counts as formal one-to-one supervision (000 §3.2)",
    SupervisionMethod.GROUP: "Does not replace formal 1:1 supervision (002 Group Supervision)",
}


def _time(label: str, *, noun: str) -> forms.TimeField:
    """An optional 24-hour time typed as HH:MM."""
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"invalid": f"Enter the {noun} as a real time, like 14:30"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


def _method_field() -> forms.ChoiceField:
    """The supervision method as radios, each with whether it counts as formal 1:1 supervision."""
    return forms.ChoiceField(
        label="Supervision method",
        choices=[
            Choice(value, label, hint=METHOD_HINTS[value]) for value, label in SupervisionMethod.choices
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the supervision method",
            "invalid_choice": "Choose the supervision method",
        },
    )


class SupervisorChoiceField(ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        """The colleague's name and role."""
        return f"{obj} – {obj.get_role_display()}"


class LeaveGapMixin(FormMixinBase):
    """002 Frequency: where the worker had leave since their last formal supervision and the gap is longer
    than the standard interval, the gap is recorded on this record."""

    def check_leave_gap(self, *, worker: User, exclude_pk: int | None = None) -> None:
        """Work out the gap for the date entered; require the leave gap text when it applies."""
        held_on = self.cleaned_data.get("held_on")
        self.gap = leave_gap_for(worker=worker, held_on=held_on, exclude_pk=exclude_pk) if held_on else None
        if self.gap is None or not self.gap.required or "leave_gap" in self.errors:
            return
        if not self.cleaned_data.get("leave_gap", "").strip():
            first = self.gap.text.splitlines()[0]
            self.add_error(
                "leave_gap",
                f"Record the gap in supervision caused by leave since {self.gap.since_label}, "
                f"for example “{first}” (002 Frequency)",
            )


class SupervisionFrequencyForm(GovErrorsMixin, forms.Form):
    """Agree a more frequent supervision for a worker, or return them to the standard (002 Frequency)."""

    radio_first = {"weeks": 1}

    weeks = forms.TypedChoiceField(
        label="How often should they be supervised?",
        coerce=int,
        choices=SupervisionFrequency.Weeks.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often", "invalid_choice": "Choose how often"},
    )
    from_date = gov_date("From", noun="Date the frequency starts")
    reason = gov_textarea(
        "Reason",
        required=True,
        noun="the reason for the change of frequency",
        hint="For example, a new case manager needing closer supervision and direction (002 Frequency)",
    )

    def __init__(self, *args, **kwargs):
        """From today unless told otherwise; lay out the fields."""
        kwargs.setdefault("initial", {}).setdefault("from_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        standard = standard_frequency()
        choice_field(self, "weeks").choices = [
            Choice(
                value,
                f"The service's standard: {standard['label']}" if value == 0 else label,
                hint=f"{standard['basis']}" if value == 0 else "",
            )
            for value, label in SupervisionFrequency.Weeks.choices
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("weeks", legend_size=Size.SMALL, small=True),
            Field("from_date"),
            Field.textarea("reason", rows=4),
            Submit("submit", "Save the frequency"),
        )


class SessionCreateForm(LeaveGapMixin, GovErrorsMixin, forms.Form):
    """Record that a supervision was held: when, how, and with whom (000 App. C's heading fields)."""

    radio_first = {"method": 1}

    held_on = gov_date("Date of supervision")
    starts_at = _time("Start time (optional)", noun="start time")
    method = _method_field()
    supervisor = SupervisorChoiceField(
        label="Supervisor",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the supervisor",
            "invalid_choice": "Choose a supervisor from the list",
        },
    )
    leave_gap = gov_textarea(
        "Gap in supervision because of leave",
        hint="002 Frequency: a gap in supervision caused by leave is recorded on the next supervision record",
        noun="the gap in supervision caused by leave",
    )

    def __init__(self, *args, worker: User, user: User, supervisors: list[User], **kwargs):
        """Offer the supervisors who may record it (the user preselected) and suggest the leave gap."""
        today = timezone.localdate()
        gap = leave_gap_for(worker=worker, held_on=today)
        initial = {"held_on": today, "supervisor": user.pk, "method": SupervisionMethod.ONE_TO_ONE}
        if gap.required:
            initial["leave_gap"] = gap.text
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.worker, self.user, self.gap = worker, user, gap
        model_choice_field(self, "supervisor").queryset = User.objects.filter(
            pk__in=[p.pk for p in supervisors]
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("held_on"),
            Field.text("starts_at", field_width=5),
            Field.radios("method", legend_size=Size.SMALL, small=True),
            Field.select("supervisor"),
            Field.textarea("leave_gap", rows=3),
            Submit("submit", "Record the supervision"),
        )

    def clean_held_on(self):
        """A record says what has happened: the date is today or earlier."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of supervision")

    def clean(self):
        """The leave gap, where 002 requires it for the date entered."""
        super().clean()
        data = self.cleaned_data
        self.check_leave_gap(worker=self.worker)
        return data

    def service_kwargs(self) -> dict:
        """The cleaned data as session_create's keyword arguments."""
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "starts_at": data.get("starts_at"),
            "method": data["method"],
            "supervisor": data["supervisor"],
            "leave_gap": data.get("leave_gap", ""),
        }


class SessionEditForm(VersionedFormMixin, LeaveGapMixin, GovErrorsMixin, forms.Form):
    """The Record of Supervision's own fields on its one page: App. C's agenda, notes, leave gap and next
    date. Laid out in two parts (`helper` and `helper_after_cases`), with the case discussions' fieldsets
    between them where App. C puts "Cases Discussed".

    `partial` (an autosave, ADR 0018): nothing is required and the leave gap is not asked for, but
    lengths and dates are still checked."""

    radio_first = {"method": 1}

    held_on = gov_date("Date of supervision")
    starts_at = _time("Start time (optional)", noun="start time")
    method = _method_field()

    def __init__(
        self, *args, session: SupervisionSession, show_restricted: bool, partial: bool = False, **kwargs
    ):
        """The agenda's sections this user may write, the notes, the leave gap and the next supervision,
        filled from the record."""
        self.session, self.show_restricted, self.partial = session, show_restricted, partial
        super().__init__(*args, **kwargs)
        # Unbound, the form starts from the record, with the leave gap suggested for its date.
        gap = (
            None
            if self.is_bound
            else leave_gap_for(worker=session.supervisee, held_on=session.held_on, exclude_pk=session.pk)
        )
        self.gap = gap
        before, after = self._agenda_fields(show_restricted)
        self.helper = self._part(
            *self.versioned(session),  # the supervisor and those above may all write it (ADR 0009)
            HTML('<h2 class="govuk-heading-m" id="supervision">Supervision</h2>'),
            Field("held_on"),
            Field.text("starts_at", field_width=5),
            Field.radios("method", legend_size=Size.SMALL, small=True),
            HTML('<h2 class="govuk-heading-m" id="agenda">Agenda</h2>'),
            *before,
        )
        self.helper_after_cases = self._part(*after, *self._closing_fields())
        if gap is not None:  # unbound
            self.initial = self._initial_from(session, gap=gap)
        if partial:
            for field in self.fields.values():
                field.required = False

    @staticmethod
    def _part(*layout) -> FormHelper:
        """A part of the page's one form: fields only (the page writes the form tag and its tokens)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(*layout)
        return helper

    def _agenda_fields(self, show_restricted: bool) -> tuple[list, list]:
        """A textarea per App. C agenda section this user may write (the restricted ones only for those
        who may read them): the layout of the sections before "Cases Discussed", and of those after."""
        before: list = []
        after: list = []
        layout = before
        self.section_names = []
        for item in AGENDA:
            if item["field"] is None:
                layout = after  # the page puts the case discussions here
                continue
            if item["restricted"] and not show_restricted:
                continue
            label = f"{item['number']}. {item['title']}"
            hint = f"{item['hint'][:1].upper()}{item['hint'][1:]}." if item["hint"] else ""
            if item["restricted"]:
                hint += (
                    " Restricted: only the supervisee, their supervisor and those above them in the "
                    "supervision chain can read this section"
                )
            self.fields[item["field"]] = gov_textarea(label, hint=hint.strip())
            self.section_names.append(item["field"])
            layout.append(Field.textarea(item["field"], rows=4))
        return before, after

    def _closing_fields(self) -> list:
        """The discussion notes, the leave gap and the date, time and place of the next supervision."""
        self.fields["discussion_notes"] = gov_textarea("Discussion notes")
        self.fields["leave_gap"] = gov_textarea(
            "Gap in supervision because of leave",
            hint="002 Frequency: a gap in supervision caused by leave is recorded on the next supervision record",
            noun="the gap in supervision caused by leave",
        )
        self.fields["next_date"] = GovDateField(
            label="Date of next supervision",
            noun="Date of the next supervision",
            required=False,
            help_text="For example, 27 4 2026",
        )
        self.fields["next_time"] = _time("Time (optional)", noun="time of the next supervision")
        self.fields["next_place"] = GovCharField(
            label="Place (optional)",
            required=False,
            max_length=200,
            error_messages={"max_length": "Place must be 200 characters or fewer"},
        )
        return [
            Field.textarea("discussion_notes", rows=6),
            Field.textarea("leave_gap", rows=3),
            HTML(
                '<h2 class="govuk-heading-m" id="next-supervision">Date, time and place of next supervision</h2>'
            ),
            Field("next_date"),
            Field.text("next_time", field_width=5),
            Field.text("next_place"),
        ]

    def _initial_from(self, session: SupervisionSession, *, gap: LeaveGap) -> dict:
        """The record's values as the form's starting values; the suggested leave gap where 002 needs one."""
        names = ["held_on", "starts_at", "method", *self.section_names, "discussion_notes", "leave_gap"]
        return {
            **{name: getattr(session, name) for name in names},
            "starts_at": session.starts_at.strftime("%H:%M") if session.starts_at else "",
            "next_date": session.next_date,
            "next_time": session.next_time.strftime("%H:%M") if session.next_time else "",
            "next_place": session.next_place,
            **({"leave_gap": gap.text} if gap.required and not session.leave_gap else {}),
            **self.initial,
        }

    def clean_held_on(self):
        """A record says what has happened: the date is today or earlier."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of supervision")

    def clean(self):
        """The next supervision comes after this one; the leave gap where 002 requires it."""
        super().clean()
        data = self.cleaned_data
        held_on, next_date = data.get("held_on"), data.get("next_date")
        if held_on and next_date and next_date <= held_on and "next_date" not in self.errors:
            self.add_error("next_date", "Date of the next supervision must be after the date of this one")
        if not self.partial:
            self.check_leave_gap(worker=self.session.supervisee, exclude_pk=self.session.pk)
        return data

    def record_data(self) -> dict:
        """The cleaned data as session_update's fields (only the sections this user may write). A partial
        save leaves out what it cannot store: a date or method left blank keeps the one saved."""
        names = [
            "held_on",
            "starts_at",
            "method",
            *self.section_names,
            "discussion_notes",
            "leave_gap",
            "next_date",
            "next_time",
            "next_place",
        ]
        data = {name: self.cleaned_data.get(name) for name in names}
        if self.partial:
            data = {
                name: value
                for name, value in data.items()
                if value not in (None, "") or name not in ("held_on", "method")
            }
        return data


class SessionCancelForm(GovErrorsMixin, forms.Form):
    """Cancel a draft record, with the reason: it then no longer counts as a supervision held."""

    reason = gov_textarea(
        "Why is the record cancelled?",
        required=True,
        max_length=300,
        noun="why the record is cancelled",
        hint="For example, recorded against the wrong worker, or the supervision did not take place",
    )

    def __init__(self, *args, **kwargs):
        """Lay out the fields."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3),
            Submit("submit", "Cancel the record", css_class="govuk-button--warning"),
        )


__all__ = [
    "SessionCancelForm",
    "SessionCreateForm",
    "SessionEditForm",
    "SupervisionFrequencyForm",
]
