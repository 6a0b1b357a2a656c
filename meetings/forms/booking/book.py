"""Booking a meeting (001 §6.2): type, when and where, who, the agencies invited, a combined CSC meeting
(000 §1.4, 001 §6.5) and the reason; and cancelling a booked one."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.models import Child, User
from cases.policy import timescale_lazy
from core.forms import (
    GovDateField,
    GovErrorsMixin,
    GovURLField,
    choice_field,
    gov_radios,
    gov_text,
    gov_time,
    model_choice_field,
)

from ... import selectors
from ...booking_rules import ALL, booking_problems
from ...models import Meeting, MeetingKind
from ..common import (
    StaffChoiceField,
    StaffMultipleChoiceField,
    email_field,
    note_textarea,
    team_staff,
    without_autocomplete,
)

# How many agency rows the booking form offers; more can be added on the invitations page.
INVITEE_ROWS = 4

CSC_INTRO = (
    '<h2 class="govuk-heading-m">Combined CSC meeting (000 §1.4, 001 §6.5)</h2>'
    '<p class="govuk-body">The child is open to Children\'s Social Care. If a CSC meeting '
    "falls inside the review window, the team manager decides whether it replaces the CMM. "
    "Leave the meeting type as “Not combined” to book a CMM.</p>"
)
INVITEES_INTRO = (
    '<h2 class="govuk-heading-m">Invited agencies</h2><p class="govuk-body">Each invitation '
    "is emailed with a calendar entry. An agency that cannot attend can send a written update "
    "(001 §6.2). You can invite more people after booking.</p>"
)


def kind_choices() -> list[Choice]:
    """The meeting types as radios, each with how the child takes part as its hint (000 §1.2)."""
    return [
        Choice(value, label, hint=selectors.participation_for(value)[1])
        for value, label in MeetingKind.choices
    ]


class MeetingBookForm(GovErrorsMixin, forms.Form):
    """Book a CMM, a combined CSC meeting or a MAPPA level 1 meeting (001 §6.2, §6.5, §8)."""

    kind = gov_radios("Type of meeting", MeetingKind.choices, noun="the type of meeting")
    date = GovDateField(label="Date", noun="Date of the meeting", help_text="For example, 27 3 2027")
    time = gov_time("Start time", required=True, noun="start time")
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
    venue = gov_text("Venue", max_length=200, required=False, hint="Leave blank if the meeting is online")
    online_link = GovURLField(
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
    chair_agreement = note_textarea(
        "MAPPA level 1: who agreed the chair",
        hint="A MAPPA level 1 meeting is chaired by the team manager (001 §8). If someone else chairs because "
        "the team manager is not available, record who in the service agreed it, when, and why",
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
    no_panel_member_reason = note_textarea(
        "Why no standing panel member is invited",
        hint="Only if you choose none: a CMM is attended as a minimum by the chair, the case manager and "
        "a standing panel member (001 §6.2). Not needed for a combined CSC meeting",
    )
    reason = note_textarea(
        "Reason for the meeting (optional)",
        hint="This starts the CMM Record (001 App. 4); it can be completed later",
    )
    short_notice_reason = note_textarea(
        timescale_lazy("Why the meeting is booked with less than {cmm.notice}' notice")
    )

    def __init__(self, *args, child: Child, user: User, show_csc: bool = False, **kwargs):
        """Offer the team's people, the agency rows and (where the child is open to CSC) the CSC choice."""
        super().__init__(*args, **kwargs)
        self.child, self.user = child, user
        self.today = timezone.localdate()
        self.notice_from = selectors.notice_from(self.today)
        self.is_short_notice = False
        choice_field(self, "kind").choices = kind_choices()
        model_choice_field(self, "chair").queryset = selectors.chair_candidates(child=child)
        staff = team_staff(child=child)
        model_choice_field(self, "case_manager").queryset = staff
        model_choice_field(self, "panel_members").queryset = staff.filter(team_id=child.team_id)
        self.fields["short_notice_reason"].help_text = (
            f"Needed for a meeting before {self.notice_from:%-d %B %Y}: agencies are invited at least two "
            "weeks ahead (001 §6.2)"
        )
        invitee_layout = self._add_invitee_fields()
        self.show_csc = show_csc and child.open_to_csc
        csc_layout = self._add_csc_fields() if self.show_csc else []
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
            Field.textarea("chair_agreement", rows=3),
            Field.select("case_manager"),
            Field.checkboxes("panel_members", legend_size=Size.SMALL, small=True),
            Field.textarea("no_panel_member_reason", rows=3),
            HTML(INVITEES_INTRO),
            *invitee_layout,
            *csc_layout,
            HTML('<h2 class="govuk-heading-m">Reason</h2>'),
            Field.textarea("reason", rows=4),
            Submit("submit", "Book the meeting and send invitations"),
        )

    def _add_invitee_fields(self) -> list:
        """Name, agency and email for each agency row (all optional); their layout, a fieldset each."""
        layout = []
        for i in range(INVITEE_ROWS):
            self.fields[f"invitee_{i}_name"] = without_autocomplete(
                gov_text("Name", max_length=120, required=False, noun="the name")
            )
            self.fields[f"invitee_{i}_agency"] = gov_text(
                "Agency",
                max_length=120,
                required=False,
                hint="For example, Children's Social Care or Police",
                noun="the agency",
            )
            self.fields[f"invitee_{i}_email"] = email_field("Email address")
            layout.append(
                Fieldset(
                    Field.text(f"invitee_{i}_name", field_width=20),
                    Field.text(f"invitee_{i}_agency", field_width=20),
                    Field.text(f"invitee_{i}_email", field_width=20),
                    legend=f"Invited agency {i + 1} (optional)",
                    legend_size=Size.SMALL,
                )
            )
        return layout

    def _add_csc_fields(self) -> list:
        """000 §1.4, 001 §6.5: a CSC meeting inside the review window can take the risk review's place."""
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
        self.fields["csc_decision_rationale"] = note_textarea(
            "Rationale",
            hint="Needed for “No CMM needed”: this is the management entry (000 §1.4)",
        )
        return [
            HTML(CSC_INTRO),
            Field.select("csc_meeting_type"),
            Field.radios("csc_decision", legend_size=Size.SMALL, small=True),
            Field.textarea("csc_decision_rationale", rows=3),
        ]

    def starts_at(self) -> datetime.datetime | None:
        """The date and time as an aware datetime in the local time zone, once both are valid."""
        date, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if date is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(date, time))

    def clean(self):
        """Every problem at once: each agency named, the CSC choice whole, and the policy's own checks
        (who books, the chair, where, when, notice, minimum attendance; `booking_rules`), which the
        service makes again when it saves."""
        super().clean()
        data = self.cleaned_data
        starts_at = self.starts_at()
        csc_type = data.get("csc_meeting_type", "") if self.show_csc else ""
        if starts_at is not None and not csc_type and selectors.short_notice(starts_at=starts_at):
            self.is_short_notice = True
        for i in range(INVITEE_ROWS):
            name = data.get(f"invitee_{i}_name", "").strip()
            email = data.get(f"invitee_{i}_email", "")
            agency = data.get(f"invitee_{i}_agency", "").strip()
            if (email or agency) and not name and f"invitee_{i}_name" not in self.errors:
                self.add_error(f"invitee_{i}_name", f"Enter the name of invited agency {i + 1}'s attendee")
        if self.show_csc and data.get("csc_decision") and not csc_type:
            if "csc_meeting_type" not in self.errors:
                self.add_error(
                    "csc_meeting_type", "Choose the CSC meeting this is combined with, or clear the decision"
                )
        problems = booking_problems(
            user=self.user,
            child=self.child,
            kind=data.get("kind"),
            starts_at=starts_at,
            chair=data.get("chair"),
            case_manager=data.get("case_manager"),
            panel_members=list(data.get("panel_members") or []),
            no_panel_member_reason=data.get("no_panel_member_reason", ""),
            venue=data.get("venue", "") if "venue" not in self.errors else "-",
            online_link=data.get("online_link", "") if "online_link" not in self.errors else "-",
            short_notice_reason=data.get("short_notice_reason", ""),
            csc_meeting_type=csc_type,
            csc_decision=data.get("csc_decision", ""),
            csc_decision_rationale=data.get("csc_decision_rationale", ""),
            chair_agreement=data.get("chair_agreement", ""),
        )
        for field, messages in problems.items():
            name = None if field == ALL or field not in self.fields else field
            if name is not None and name in self.errors:
                continue  # the field's own error says what is wrong with it first
            self.add_error(name, messages)
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
            "no_panel_member_reason": data.get("no_panel_member_reason", ""),
            "invitees": self.invitees(),
            "chair_agreement": data.get("chair_agreement", "")
            if data["kind"] == MeetingKind.MAPPA_LEVEL_1
            else "",
        }
        if self.show_csc and data.get("csc_meeting_type"):
            kwargs.update(
                csc_meeting_type=data["csc_meeting_type"],
                csc_decision=data.get("csc_decision", ""),
                csc_decision_rationale=data.get("csc_decision_rationale", ""),
            )
        return kwargs


class MeetingCancelForm(GovErrorsMixin, forms.Form):
    """Cancel a booked meeting, with the reason; the due item stays due."""

    reason = note_textarea(
        "Why is the meeting cancelled?",
        required=True,
        noun="why the meeting is cancelled",
        hint="The reason is written on the child's timeline",
    )

    def __init__(self, *args, **kwargs):
        """A textarea and the warning button."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4),
            Submit("submit", "Cancel the meeting", css_class="govuk-button--warning"),
        )
