"""What the meetings forms share: the colleague selects, the pages' text fields, a date and time made
one, and the no-fields form that shows what stops an action as a GOV.UK error summary."""

import datetime
from collections.abc import Sequence
from functools import partial

from django import forms
from django.db.models import Q
from django.utils import timezone

from cases.models import Child
from core.forms import GovEmailField, GovErrorsMixin, ModelChoiceField, ModelMultipleChoiceField, gov_textarea

from .. import selectors

# The booking and preparation pages' textareas hold up to 5000 characters (the record's sections 10000).
note_textarea = partial(gov_textarea, rows=4, max_length=5000)
# The CMM Record's sections (001 App. 4).
record_textarea = partial(gov_textarea, rows=6, max_length=10000)


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a wall-clock time in the service's time zone (Europe/London) as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def without_autocomplete(field: forms.Field) -> forms.Field:
    """The field with the browser's remembered values turned off (names and actions are per child)."""
    field.widget.attrs = {"autocomplete": "off", **field.widget.attrs}
    return field


def email_field(label: str) -> GovEmailField:
    """An optional email address for an invitation; left blank, the invitation is given by hand."""
    return GovEmailField(
        label=label,
        required=False,
        max_length=254,
        help_text="Leave blank to give the invitation by hand",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def team_staff(*, child: Child):
    """Colleagues to choose from for this child: the child's team's staff (staff_candidates narrowed to
    the team, so the list stays short), plus the child's case manager wherever they sit."""
    return selectors.staff_candidates(child=child).filter(
        Q(team_id=child.team_id) | Q(pk=child.case_manager_id)
    )


class StaffChoiceField(ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        """Name – role."""
        return f"{obj} – {obj.get_role_display()}"


class StaffMultipleChoiceField(ModelMultipleChoiceField):
    """Colleague checkboxes showing the role next to the name."""

    def label_from_instance(self, obj):
        """Name – role."""
        return f"{obj} – {obj.get_role_display()}"


class ProblemsForm(GovErrorsMixin, forms.Form):
    """No fields: what stops an action (finalising, recording the actions) as a GOV.UK error summary,
    each problem linked to where it is put right. `problems` is a list of (href, message)."""

    def __init__(self, problems: Sequence[tuple[str, str]] = ()):
        """Bind an empty form and add each problem as a non-field error."""
        super().__init__({})
        self.full_clean()
        self.links = list(problems)
        for _, message in self.links:
            self.add_error(None, message)

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for each problem."""
        return self.links
