"""A booked meeting's invitations (001 §6.2): inviting someone else, and recording an invitee's reply."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_radios, gov_text

from ...models import Invitation
from ..common import email_field, note_textarea, without_autocomplete


class InvitationAddForm(GovErrorsMixin, forms.Form):
    """Invite someone else to a booked meeting: their invitation goes at once (001 §6.2)."""

    name = without_autocomplete(gov_text("Name", max_length=120, noun="the name of the person to invite"))
    agency = gov_text(
        "Agency (optional)", max_length=120, required=False, hint="For example, Education or Health"
    )
    email = email_field("Email address (optional)")
    role_in_meeting = gov_text(
        "Role in the meeting (optional)", max_length=80, required=False, hint="For example, Social worker"
    )

    def __init__(self, data=None, **kwargs):
        """The "add" step of the invitations page, under its own prefix."""
        super().__init__(data, prefix="add", **kwargs)
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

    response = gov_radios("Reply", Invitation.Response.choices, noun="the reply")
    written_update = note_textarea("Written update", hint="Needed when the agency sent a written update")

    def __init__(self, data=None, *, invitation: Invitation, **kwargs):
        """The reply and written update of this invitation, under its own prefix."""
        super().__init__(
            data,
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
        super().clean()
        data = self.cleaned_data
        if (
            data.get("response") == Invitation.Response.WRITTEN_UPDATE
            and not data.get("written_update", "").strip()
            and "written_update" not in self.errors
        ):
            self.add_error("written_update", "Enter the written update the agency sent")
        return data
