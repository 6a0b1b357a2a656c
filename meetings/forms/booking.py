"""Forms to book and prepare meetings: booking (001 §6.2), invitations and replies, the child's
participation (000 §1.2), the compliance report (000 App. B), cancelling, and the further offences and
bail applications that call a CMM (000 §1.3)."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone

from cases.models import Child, User
from core.forms import TIME_FORMATS, GovDateField, GovErrorsMixin, not_in_future

from .. import selectors
from ..models import Invitation, Meeting, MeetingKind

# How many agency rows the booking form offers; more can be added on the invitations page.
INVITEE_ROWS = 4


def _textarea(label: str, *, required: bool = False, help_text: str = "", required_message: str = "", rows=4):
    """A GOV.UK textarea with a length limit the user is told about."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter {label.lower()}",
            "max_length": f"{label} must be 5000 characters or fewer",
        },
    )


def _text(label: str, *, max_length: int, required: bool = False, help_text: str = "", **attrs):
    """A GOV.UK text input with a length limit the user is told about."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def team_staff(*, child: Child):
    """Colleagues to choose from for this child: the child's team's staff (staff_candidates narrowed to
    the team, so the list stays short), plus the child's case manager wherever they sit."""
    return selectors.staff_candidates(child=child).filter(
        Q(team_id=child.team_id) | Q(pk=child.case_manager_id)
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        return f"{obj} – {obj.get_role_display()}"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Colleague checkboxes showing the role next to the name."""

    def label_from_instance(self, obj):
        return f"{obj} – {obj.get_role_display()}"


def kind_choices() -> list[Choice]:
    """The meeting types as radios, each with how the child takes part as its hint (000 §1.2)."""
    return [
        Choice(value, label, hint=selectors.participation_for(value)[1])
        for value, label in MeetingKind.choices
    ]


class MeetingBookForm(GovErrorsMixin, forms.Form):
    """Book a CMM, a combined CSC meeting or a MAPPA level 1 meeting (001 §6.2, §6.5, §8)."""

    kind = forms.ChoiceField(
        label="Type of meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of meeting",
            "invalid_choice": "Choose the type of meeting",
        },
    )
    date = GovDateField(label="Date", noun="Date of the meeting", help_text="For example, 27 3 2027")
    time = forms.TimeField(
        label="Start time",
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the start time", "invalid": "Enter a real time, like 14:30"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=60,
        min_value=15,
        max_value=480,
        error_messages={
            "required": "Enter the length of the meeting in minutes",
            "invalid": "Length must be a number of minutes, like 60",
            "min_value": "Length must be at least 15 minutes",
            "max_value": "Length must be 480 minutes (8 hours) or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    venue = _text("Venue", max_length=200, required=False, help_text="Leave blank if the meeting is online")
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=400,
        assume_scheme="https",
        help_text="For example, https://meet.example.org/abc. Leave blank if the meeting is in person",
        error_messages={
            "invalid": "Enter the online meeting link as a web address, like https://meet.example.org/abc",
            "max_length": "Online meeting link must be 400 characters or fewer",
        },
        # crispy-forms-gds styles text and email inputs itself, but not URL inputs.
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false", "autocomplete": "off"}),
    )
    chair = StaffChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        help_text="The team manager, or an advanced practitioner where the team manager is unavailable (001 §6.2)",
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose a chair from the list"},
    )
    case_manager = StaffChoiceField(
        label="Case manager",
        queryset=User.objects.none(),
        empty_label="Choose the case manager",
        error_messages={
            "required": "Choose the case manager",
            "invalid_choice": "Choose a case manager from the list",
        },
    )
    panel_members = StaffMultipleChoiceField(
        label="Standing panel members",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Colleagues from the team who sit on the panel. They get an invitation too",
        error_messages={"invalid_choice": "Choose panel members from the list"},
    )
    reason = _textarea(
        "Reason for the meeting (optional)",
        help_text="This starts the CMM Record (001 App. 4); it can be completed later",
    )
    short_notice_reason = _textarea(
        "Why the meeting is booked with less than two weeks' notice",
        help_text="",
    )

    def __init__(self, *args, child: Child, user: User, show_csc: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.child, self.user = child, user
        self.today = timezone.localdate()
        self.notice_from = self.today + datetime.timedelta(days=selectors.NOTICE_DAYS)
        self.is_short_notice = False
        self.fields["kind"].choices = kind_choices()
        self.fields["chair"].queryset = selectors.chair_candidates(child=child)
        staff = team_staff(child=child)
        self.fields["case_manager"].queryset = staff
        self.fields["panel_members"].queryset = staff.filter(team_id=child.team_id)
        self.fields["short_notice_reason"].help_text = (
            f"Needed for a meeting before {self.notice_from:%-d %B %Y}: agencies are invited at least two "
            "weeks ahead (001 §6.2)"
        )
        invitee_layout = []
        for i in range(INVITEE_ROWS):
            self.fields[f"invitee_{i}_name"] = _text("Name", max_length=120, autocomplete="off")
            self.fields[f"invitee_{i}_agency"] = _text(
                "Agency", max_length=120, help_text="For example, Children's Social Care or Police"
            )
            self.fields[f"invitee_{i}_email"] = forms.EmailField(
                label="Email address",
                required=False,
                max_length=254,
                help_text="Leave blank to give the invitation by hand",
                error_messages={
                    "invalid": "Enter an email address in the correct format, like name@example.org",
                    "max_length": "Email address must be 254 characters or fewer",
                },
                widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            invitee_layout.append(
                Fieldset(
                    Field.text(f"invitee_{i}_name", field_width=20),
                    Field.text(f"invitee_{i}_agency", field_width=20),
                    Field.text(f"invitee_{i}_email", field_width=20),
                    legend=f"Invited agency {i + 1} (optional)",
                    legend_size=Size.SMALL,
                )
            )
        csc_layout = []
        self.show_csc = show_csc and child.open_to_csc
        if self.show_csc:
            # 000 §1.4, 001 §6.5: a CSC meeting inside the review window can take the risk review's place.
            self.fields["csc_meeting_type"] = forms.ChoiceField(
                label="CSC meeting this is combined with",
                required=False,
                choices=[("", "Not combined: a CMM")] + list(Meeting.CscMeetingType.choices),
                help_text="Only a risk review can be combined with a Children's Social Care meeting",
                error_messages={"invalid_choice": "Choose a CSC meeting type from the list"},
            )
            self.fields["csc_decision"] = forms.ChoiceField(
                label="Decision about the CMM",
                required=False,
                choices=Meeting.CscDecision.choices,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose the decision about the CMM"},
            )
            self.fields["csc_decision_rationale"] = _textarea(
                "Rationale",
                help_text="Needed for “No CMM needed”: this is the management entry (000 §1.4)",
            )
            csc_layout = [
                HTML(
                    '<h2 class="govuk-heading-m">Combined CSC meeting (000 §1.4, 001 §6.5)</h2>'
                    '<p class="govuk-body">The child is open to Children\'s Social Care. If a CSC meeting '
                    "falls inside the review window, the team manager decides whether it replaces the CMM. "
                    "Leave the meeting type as “Not combined” to book a CMM.</p>"
                ),
                Field.select("csc_meeting_type"),
                Field.radios("csc_decision", legend_size=Size.SMALL, small=True),
                Field.textarea("csc_decision_rationale", rows=3),
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM, small=True),
            HTML('<h2 class="govuk-heading-m">When and where</h2>'),
            Field("date"),
            Field.text("time", field_width=5),
            Field.text("duration_minutes", field_width=3),
            Field.text("venue"),
            Field.text("online_link"),
            Field.textarea("short_notice_reason", rows=3),
            HTML('<h2 class="govuk-heading-m">Who</h2>'),
            Field.select("chair"),
            Field.select("case_manager"),
            Field.checkboxes("panel_members", legend_size=Size.SMALL, small=True),
            HTML(
                '<h2 class="govuk-heading-m">Invited agencies</h2><p class="govuk-body">Each invitation '
                "is emailed with a calendar entry. An agency that cannot attend can send a written update "
                "(001 §6.2). You can invite more people after booking.</p>"
            ),
            *invitee_layout,
            *csc_layout,
            HTML('<h2 class="govuk-heading-m">Reason</h2>'),
            Field.textarea("reason", rows=4),
            Submit("submit", "Book the meeting and send invitations"),
        )

    def clean_date(self):
        """A booking is for today or later; a past meeting is recorded as held instead."""
        value = self.cleaned_data.get("date")
        if value and value < self.today:
            raise forms.ValidationError("Date of the meeting must be today or in the future")
        return value

    def starts_at(self) -> datetime.datetime | None:
        """The date and time as an aware datetime in the local time zone, once both are valid."""
        date, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if date is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(date, time))

    def clean(self):
        """A venue or a link; a reason for short notice (001 §6.2); each agency named; the CSC choice whole."""
        data = super().clean()
        if not data.get("venue", "").strip() and not data.get("online_link", "").strip():
            if "venue" not in self.errors and "online_link" not in self.errors:
                self.add_error("venue", "Enter a venue or an online meeting link")
        starts_at = self.starts_at()
        if starts_at is not None and selectors.short_notice(starts_at=starts_at):
            self.is_short_notice = True
            if not data.get("short_notice_reason", "").strip() and "short_notice_reason" not in self.errors:
                self.add_error(
                    "short_notice_reason",
                    "Enter why the meeting is booked with less than two weeks' notice (001 §6.2)",
                )
        for i in range(INVITEE_ROWS):
            name = data.get(f"invitee_{i}_name", "").strip()
            email = data.get(f"invitee_{i}_email", "")
            agency = data.get(f"invitee_{i}_agency", "").strip()
            if (email or agency) and not name and f"invitee_{i}_name" not in self.errors:
                self.add_error(f"invitee_{i}_name", f"Enter the name of invited agency {i + 1}'s attendee")
        if self.show_csc:
            csc_type, decision = data.get("csc_meeting_type"), data.get("csc_decision")
            if csc_type and data.get("kind") and data["kind"] != MeetingKind.RISK_REVIEW:
                self.add_error("csc_meeting_type", "Only a risk review can be combined with a CSC meeting")
            elif csc_type and not decision and "csc_decision" not in self.errors:
                self.add_error("csc_decision", "Choose the decision about the CMM")
            elif decision and not csc_type and "csc_meeting_type" not in self.errors:
                self.add_error(
                    "csc_meeting_type", "Choose the CSC meeting this is combined with, or clear the decision"
                )
        return data

    def invitees(self) -> list[dict]:
        """The filled agency rows as the service's invitees; blank rows are ignored."""
        rows = []
        for i in range(INVITEE_ROWS):
            name = self.cleaned_data.get(f"invitee_{i}_name", "").strip()
            if not name:
                continue
            rows.append(
                {
                    "name": name,
                    "agency": self.cleaned_data.get(f"invitee_{i}_agency", "").strip(),
                    "email": self.cleaned_data.get(f"invitee_{i}_email", ""),
                    "role_in_meeting": "Invited agency",
                }
            )
        return rows

    def service_kwargs(self) -> dict:
        """The cleaned data as meeting_book's keyword arguments."""
        data = self.cleaned_data
        kwargs = {
            "kind": data["kind"],
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "venue": data.get("venue", ""),
            "online_link": data.get("online_link", ""),
            "chair": data["chair"],
            "case_manager": data["case_manager"],
            "panel_members": list(data.get("panel_members") or []),
            "reason": data.get("reason", ""),
            "short_notice_reason": data.get("short_notice_reason", "") if self.is_short_notice else "",
            "invitees": self.invitees(),
        }
        if self.show_csc and data.get("csc_meeting_type"):
            kwargs.update(
                csc_meeting_type=data["csc_meeting_type"],
                csc_decision=data.get("csc_decision", ""),
                csc_decision_rationale=data.get("csc_decision_rationale", ""),
            )
        return kwargs


class InvitationAddForm(GovErrorsMixin, forms.Form):
    """Invite someone else to a booked meeting: their invitation goes at once (001 §6.2)."""

    name = _text("Name", max_length=120, required=True, autocomplete="off")
    agency = _text("Agency (optional)", max_length=120, help_text="For example, Education or Health")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="Leave blank to give the invitation by hand",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role_in_meeting = _text(
        "Role in the meeting (optional)", max_length=80, help_text="For example, Social worker"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the name of the person to invite"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML('<input type="hidden" name="step" value="add">'),
            Field.text("name", field_width=20),
            Field.text("agency", field_width=20),
            Field.text("email", field_width=20),
            Field.text("role_in_meeting", field_width=20),
            Submit("submit", "Invite and send", css_class="govuk-button--secondary"),
        )


class InvitationResponseForm(GovErrorsMixin, forms.Form):
    """An invitee's reply; an agency that cannot attend can send a written update (001 §6.2)."""

    response = forms.ChoiceField(
        label="Reply",
        choices=Invitation.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reply", "invalid_choice": "Choose the reply"},
    )
    written_update = _textarea("Written update", help_text="Needed when the agency sent a written update")

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(
            *args,
            prefix=f"inv{invitation.pk}",
            initial={"response": invitation.response, "written_update": invitation.written_update},
            **kwargs,
        )
        self.invitation = invitation
        self.fields["response"].label = f"Reply from {invitation.name}"
        self.fields["written_update"].label = f"Written update from {invitation.name}"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                f'<input type="hidden" name="step" value="respond"><input type="hidden" name="invitation" value="{invitation.pk}">'
            ),
            Field.radios("response", legend_size=Size.SMALL, small=True),
            Field.textarea("written_update", rows=3),
            Submit("submit", "Save reply", css_class="govuk-button--secondary"),
        )

    def clean(self):
        """A written update needs its text."""
        data = super().clean()
        if (
            data.get("response") == Invitation.Response.WRITTEN_UPDATE
            and not data.get("written_update", "").strip()
            and "written_update" not in self.errors
        ):
            self.add_error("written_update", "Enter the written update the agency sent")
        return data


class ParticipationForm(GovErrorsMixin, forms.Form):
    """The child's and parent/carer's part in the meeting (000 §1.2)."""

    child_attending = forms.TypedChoiceField(
        label="Will the child or their parent or carer attend?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the child or their parent or carer will attend",
            "invalid_choice": "Choose whether the child or their parent or carer will attend",
        },
    )
    views = _textarea(
        "Their views",
        help_text="Needed if they will not attend: presented at the meeting and written into the record",
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
        attending = {True: "yes", False: "no"}.get(meeting.child_attending)
        kwargs.setdefault(
            "initial",
            {
                "child_attending": attending,
                "views": meeting.views,
                "views_gathered_by": meeting.views_gathered_by_id,
                "views_gathered_on": meeting.views_gathered_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["views_gathered_by"].queryset = team_staff(child=meeting.child)
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
        data = super().clean()
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
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "End of the period must be on or after its start")
        return data


class ComplianceReportForm(GovErrorsMixin, ReportPeriodForm):
    """The case manager's condensed compliance report (000 App. B), built from the contact records.

    One "action taken" input per failure in the period, named `action_<contact pk>`.
    """

    unacceptable_behaviour = _textarea(
        "Details of any unacceptable behaviour (optional)",
        help_text="Behaviour during contacts that was not acceptable, if any",
    )
    plan_progress = _textarea(
        "Details of the current intervention plan and any progress or barriers",
        required=True,
        required_message="Enter the intervention plan's progress and barriers",
        rows=6,
    )

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"action_{row['pk']}"] = _text(
                f"Action taken after the failure on {row['date']:%-d %B %Y}",
                max_length=500,
                autocomplete="off",
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


class MeetingCancelForm(GovErrorsMixin, forms.Form):
    """Cancel a booked meeting, with the reason; the due item stays due."""

    reason = _textarea(
        "Why is the meeting cancelled?",
        required=True,
        required_message="Enter why the meeting is cancelled",
        help_text="The reason is written on the child's timeline",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4),
            Submit("submit", "Cancel the meeting", css_class="govuk-button--warning"),
        )


class FurtherOffenceForm(GovErrorsMixin, forms.Form):
    """A further offence while the child is open: it calls a re-offending CMM (000 §1.3)."""

    description = _textarea(
        "Description of the offence",
        required=True,
        required_message="Enter a description of the offence",
    )
    offence_date = GovDateField(
        label="Date of the offence (optional)", noun="Date of the offence", required=False,
        help_text="For example, 27 3 2026",
    )  # fmt: skip
    psr_court_date = GovDateField(
        label="PSR court date",
        noun="PSR court date",
        required=False,
        help_text="If a pre-sentence report is requested: the CMM is held before this date",
    )
    sentence_date = GovDateField(
        label="Sentence date",
        noun="Sentence date",
        required=False,
        help_text="If sentenced without a PSR: the CMM is held within 15 working days of sentence",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("description", rows=4),
            Field("offence_date"),
            Field("psr_court_date"),
            Field("sentence_date"),
            Submit("submit", "Record the further offence"),
        )

    def clean_offence_date(self):
        """An offence is recorded after it happened."""
        return not_in_future(self.cleaned_data.get("offence_date"), "Date of the offence")

    def clean_sentence_date(self):
        """A sentence is recorded after it was given."""
        return not_in_future(self.cleaned_data.get("sentence_date"), "Sentence date")

    def clean(self):
        """The rules need one of the two dates to place the CMM (000 §1.3)."""
        data = super().clean()
        if (
            not data.get("psr_court_date")
            and not data.get("sentence_date")
            and "psr_court_date" not in self.errors
            and "sentence_date" not in self.errors
        ):
            self.add_error(
                "psr_court_date", "Enter the PSR court date or, if sentenced without a PSR, the sentence date"
            )
        return data


class BailApplicationForm(GovErrorsMixin, forms.Form):
    """A bail application listed for a date: the bail strategy CMM is held before it (000 §1.3)."""

    bail_date = GovDateField(
        label="Date of the bail application", noun="Date of the bail application",
        help_text="For example, 27 3 2027",
    )  # fmt: skip
    court = _text("Court (optional)", max_length=120)
    notes = _textarea("Notes (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("bail_date"),
            Field.text("court", field_width=20),
            Field.textarea("notes", rows=4),
            Submit("submit", "Record the bail application"),
        )

    def clean_bail_date(self):
        """The application is still to come."""
        value = self.cleaned_data.get("bail_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError("Date of the bail application must be today or in the future")
        return value
