"""Agreed actions, defined once: the add-an-action form and the actions page's POST handler, for the CMM
Record's "Agreed plan/actions (including referrals)" (001 App. 4) and the Case Discussion Record's
"Agreed Action / Who will complete this / Date to be completed by" (001 App. 5, in supervision, which
sits above meetings and imports this).

Each record names its columns in its own words (`ActionWording`); the checks, the messages built from
those words and the handler's behaviour are the same for both. An action names one person: a colleague
(it becomes a task on their My work) or someone outside the service, and is due on or after the day the
meeting or discussion took place.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib import messages
from django.db.models import Manager, QuerySet
from django.http import Http404

from cases.models import User
from core.forms import DATE_HINT, GovCharField, GovDateField, GovErrorsMixin, ModelChoiceField, gov_textarea


@dataclass(frozen=True)
class ActionWording:
    """What a record's form calls an action's parts, and how a colleague is named in the select."""

    action: str  # the action's label ("Action"); "Enter <action, lower-case first letter>" when blank
    owner: str  # the colleague select's label
    owner_hint: str
    owner_name: str  # the "someone outside the service" label
    owner_name_hint: str
    due: str  # the date's label, and the noun its errors use
    too_early: str  # the error for a date before `not_before`, with "{date}" where the date goes
    owner_label: Callable[[User], str]  # a colleague as the select lists them


class _OwnerChoiceField(ModelChoiceField):
    """The colleague select, each colleague worded as the record lists them (`ActionWording.owner_label`)."""

    def __init__(self, *args, label_for: Callable[[User], str], **kwargs):
        super().__init__(*args, **kwargs)
        self.label_for = label_for

    def label_from_instance(self, obj: User) -> str:
        """The colleague as the record lists them."""
        return self.label_for(obj)


class AgreedActionForm(GovErrorsMixin, forms.Form):
    """An agreed action: what, by whom (exactly one: a colleague or someone outside the service) and by
    when (on or after `not_before`, the day of the meeting or discussion)."""

    def __init__(
        self, *args, owners: QuerySet[User], not_before: datetime.date, wording: ActionWording, **kwargs
    ):
        """Build the fields in the record's words, offering `owners` as the colleagues."""
        super().__init__(*args, **kwargs)
        self.not_before, self.wording = not_before, wording
        self.fields["action"] = gov_textarea(
            wording.action, required=True, hint="What is to be done, including any referrals", rows=3
        )
        self.fields["owner"] = _OwnerChoiceField(
            label_for=wording.owner_label,
            label=wording.owner,
            queryset=owners,
            required=False,
            empty_label="Choose a colleague",
            help_text=wording.owner_hint,
            error_messages={"invalid_choice": "Choose a colleague from the list"},
        )
        self.fields["owner_name"] = GovCharField(
            label=wording.owner_name,
            required=False,
            max_length=120,
            help_text=wording.owner_name_hint,
            error_messages={"max_length": "The name must be 120 characters or fewer"},
        )
        self.fields["due"] = GovDateField(label=wording.due, noun=wording.due, help_text=DATE_HINT)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("action", rows=3),
            Field.select("owner"),
            Field.text("owner_name"),
            Field("due"),
            Submit("add", "Add the action", css_class="govuk-button--secondary"),
        )

    def clean(self):
        """Exactly one person, and a date on or after the meeting or discussion."""
        super().clean()
        data = self.cleaned_data
        owner, name = data.get("owner"), (data.get("owner_name") or "").strip()
        if "owner" not in self.errors and "owner_name" not in self.errors:
            if owner is None and not name:
                self.add_error(
                    "owner", "Choose a colleague, or enter the name of someone outside the service"
                )
            elif owner is not None and name:
                self.add_error("owner_name", "Choose a colleague or enter a name, not both")
        due = data.get("due")
        if due and due < self.not_before:
            self.add_error("due", self.wording.too_early.format(date=f"{self.not_before:%-d %B %Y}"))
        return data


def agreed_actions_post(
    request,
    *,
    form: AgreedActionForm,
    actions: QuerySet | Manager,
    add: Callable[..., object],
    remove: Callable[..., None],
) -> bool:
    """Remove (`remove=<pk>` in the POST, one of `actions`) or add (the form) an agreed action through
    the record's services; True when done (the caller redirects), False to show the add form's errors.

    `actions` are the record's actions (its related manager, or a queryset). `add(user=, action=, due=,
    owner=, owner_name=)` and `remove(action=, user=)` are the services; a service's refusal propagates
    as ValidationError for the caller to show. An unknown action is a 404.
    """
    if "remove" in request.POST:
        try:
            action = actions.get(pk=request.POST["remove"])
        except (ValueError, TypeError, actions.model.DoesNotExist):
            raise Http404("No such action") from None
        remove(action=action, user=request.user)
        messages.success(request, "Action removed")
        return True
    if not form.is_valid():
        return False
    data = form.cleaned_data
    add(
        user=request.user,
        action=data["action"],
        due=data["due"],
        owner=data.get("owner"),
        owner_name=data.get("owner_name", ""),
    )
    messages.success(request, "Action added")
    return True
