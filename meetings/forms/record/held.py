"""Recording that a meeting was held: when, who came and who sent apologies (001 App. 4 "Date of
meeting", "Attendees", "Apologies"), pre-filled from the invitations and their replies."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from core.forms import GovDateField, GovErrorsMixin, choice_field, gov_time, not_in_future

from ...models import Invitation, Meeting
from ..common import aware, record_textarea


class MeetingHeldForm(GovErrorsMixin, forms.Form):
    """When the meeting took place and who came (001 App. 4 "Date of meeting", "Attendees", "Apologies")."""

    held_on = GovDateField(
        label="Date the meeting was held",
        noun="Date the meeting was held",
        help_text="For example, 27 3 2026",
    )
    held_time = gov_time("Time the meeting started", required=True, noun="time the meeting started")
    attended = forms.MultipleChoiceField(
        label="Who attended?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone invited who came. Their replies are shown under each name.",
        error_messages={"invalid_choice": "Choose people from the invitation list"},
    )
    attendees = record_textarea(
        "Attendees",
        required=True,
        hint="Names and agencies of everyone who attended, as they will appear on the CMM Record",
    )
    apologies = record_textarea(
        "Apologies",
        hint="Who sent apologies, and any written updates received instead (001 §6.2)",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        """Pre-fill from the invitations: who replied attending (or the core attendees), and apologies."""
        invitations = list(meeting.invitations.all())
        core = {meeting.chair_id, meeting.case_manager_id} | {p.pk for p in meeting.panel_members.all()}
        if any(i.attended is not None for i in invitations):
            came = [i for i in invitations if i.attended]
        else:
            came = [
                i
                for i in invitations
                if i.response == Invitation.Response.ATTENDING
                or (i.user_id in core and i.response == Invitation.Response.INVITED)
            ]
        away = [
            i
            for i in invitations
            if i.response in (Invitation.Response.APOLOGIES, Invitation.Response.WRITTEN_UPDATE)
            and i not in came
        ]
        local = timezone.localtime(meeting.held_at or meeting.starts_at)
        initial = {
            "held_on": local.date(),
            "held_time": local.strftime("%H:%M"),
            "attended": [str(i.pk) for i in came],
            "attendees": meeting.attendees or "\n".join(_person(i) for i in came),
            "apologies": meeting.apologies
            or "\n".join(
                f"{_person(i)}: "
                + ("apologies" if i.response == Invitation.Response.APOLOGIES else "written update sent")
                for i in away
            ),
        }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        choice_field(self, "attended").choices = [
            Choice(str(i.pk), _person(i), hint=_reply(i)) for i in invitations
        ]
        if not invitations:
            del self.fields["attended"]
        self.helper = FormHelper()
        layout = [Field("held_on"), Field.text("held_time", field_width=5)]
        if invitations:
            layout.append(Field.checkboxes("attended", legend_size=Size.SMALL, small=True))
        layout += [
            Field.textarea("attendees", rows=6),
            Field.textarea("apologies", rows=4),
            Submit("submit", "Save and write the record"),
        ]
        self.helper.layout = Layout(*layout)

    def clean_held_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date the meeting was held")

    def clean(self):
        """Date and time together make the time it was held, which cannot be later than now."""
        super().clean()
        data = self.cleaned_data
        day, time = data.get("held_on"), data.get("held_time")
        if day and time:
            held_at = aware(day, time)
            if held_at > timezone.now():
                self.add_error("held_time", "The time the meeting started must be in the past")
            else:
                data["held_at"] = held_at
        return data

    def service_kwargs(self) -> dict:
        """The arguments of services.meeting_held_record."""
        data = self.cleaned_data
        return {
            "held_at": data["held_at"],
            "attended": [int(pk) for pk in data.get("attended", [])],
            "attendees": data["attendees"],
            "apologies": data.get("apologies", ""),
        }


def _person(invitation: Invitation) -> str:
    """ "Name (Agency), role" for the attendee and apologies lists."""
    text = invitation.name
    if invitation.agency:
        text += f" ({invitation.agency})"
    if invitation.role_in_meeting:
        text += f", {invitation.role_in_meeting.lower()}"
    return text


def _reply(invitation: Invitation) -> str:
    """The invitee's reply, for the hint under their checkbox."""
    text = f"Reply: {invitation.get_response_display().lower()}"
    if invitation.written_update:
        text += " (written update received)"
    return text
