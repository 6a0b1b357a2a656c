"""The Case Discussion Record's own form (001 App. 5; 000 App. D): a discussion recorded on its own page,
by a manager, from the Oversight tab or the co-allocated workers (003 §5.3). Labels and hints follow
App. 5's wording.

No GOV.UK conditional reveals (axe rejects aria-expanded on radios): every field is shown, and a field
that only applies to one kind says so in its hint.
"""

import datetime
from functools import partial

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cases.models import User
from core.forms import (
    GovDateField,
    GovErrorsMixin,
    ModelChoiceField,
    VersionedFormMixin,
    choice_field,
    gov_textarea,
    gov_time,
    model_choice_field,
    not_in_future,
)

from ...models import CaseDiscussion
from ...services.discussions.case import NOTHING_WRITTEN

MAX_TEXT = 10000

KIND_HINTS: dict[str, str] = {
    CaseDiscussion.Kind.SUPERVISION: "Discussed in the worker's supervision (000 §4.3)",
    CaseDiscussion.Kind.OOC: "The first three weeks after the OOC panel, then six-weekly (001 §6.3)",
    CaseDiscussion.Kind.MY_FUTURE: "Within six weeks of the start, then as agreed (000 §5.2, 001 §6.4)",
    CaseDiscussion.Kind.SIGNIFICANT_EVENT: "A significant event or change discussed with the supervisor "
    "(001 §6.3: recorded with its impact on risk and the agreed actions)",
    CaseDiscussion.Kind.CO_ALLOCATED: "The co-allocated workers' six-weekly professional discussion (003 §5.3)",
}


long_textarea = partial(gov_textarea, rows=5, max_length=MAX_TEXT)


def staff_label(user: User) -> str:
    """A colleague as the selects list them: name – role."""
    return f"{user.get_full_name() or user.username} – {user.get_role_display()}"


class StaffChoiceField(ModelChoiceField):
    """A colleague select showing the role next to the name."""

    def label_from_instance(self, obj):
        """Name – role."""
        return staff_label(obj)


def _previous_html(previous: dict | None) -> str:
    """The previous discussion's or CMM's actions, shown above the update field (001 App. 5)."""
    if previous is None:
        return format_html(
            '<div class="govuk-inset-text" id="previous-actions">{}</div>',
            "There is no earlier case discussion or finalised CMM for this child.",
        )
    rows = format_html_join(
        "",
        "<li>{} – {}, by {}{}</li>",
        (
            (a["action"], a["by_whom"], f"{a['due']:%-d %B %Y}", " (done)" if a["done"] else "")
            for a in previous["actions"]
        ),
    )
    body = (
        format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', rows)
        if previous["actions"]
        else (format_html('<p class="govuk-body">{}</p>', "No actions were agreed."))
    )
    html = format_html(
        '<div class="govuk-inset-text" id="previous-actions"><h2 class="govuk-heading-s">Actions from the {}</h2>{}</div>',
        previous["title"][:1].lower() + previous["title"][1:]
        if previous["title"].startswith("Case discussion")
        else previous["title"],
        body,
    )
    # crispy's HTML() renders its text as a Django template: recorded text must not be read as a tag.
    return html.replace("{", "&#123;").replace("}", "&#125;")


class DiscussionForm(VersionedFormMixin, GovErrorsMixin, forms.Form):
    """The Case Discussion Record (001 App. 5): when, who, the five sections, and the flags that matter
    for its timescales (002: significant; 000 §4.3: brief check; 001 §6.3: plans reviewed)."""

    held_on = GovDateField(
        label="Date of case discussion", noun="Date of case discussion", help_text="For example, 27 3 2026"
    )
    held_time = gov_time("Time (optional)", required=False, noun="time of the case discussion")
    kind = forms.ChoiceField(
        label="Kind of case discussion",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of case discussion",
            "invalid_choice": "Choose the kind of case discussion",
        },
    )
    manager = StaffChoiceField(
        label="Manager",
        queryset=User.objects.none(),
        empty_label="Choose the manager",
        error_messages={
            "required": "Choose the manager",
            "invalid_choice": "Choose the manager from the list",
        },
    )
    worker = StaffChoiceField(
        label="Worker",
        queryset=User.objects.none(),
        empty_label="Choose the worker",
        error_messages={"required": "Choose the worker", "invalid_choice": "Choose the worker from the list"},
    )
    significant = forms.BooleanField(
        label="This is a significant case decision or urgent matter",
        required=False,
        help_text="Where the policy sets one, the record is then due on the file within 24 hours (002)",
    )
    brief_check = forms.BooleanField(
        label="Brief check of CMM actions: a CMM was held in the last month with no significant concerns",
        required=False,
        help_text="000 §4.3: the team manager checks on the agreed actions and updates the file",
    )
    previous_actions = long_textarea("Update on actions from previous case discussion / CMM")
    overview = long_textarea(
        "Case overview / progress of case",
        hint="What outcomes are we trying to achieve? Barriers? Diversity factors?",
        rows=6,
    )
    new_concerns = long_textarea(
        "Since the most recent assessment have there been any new concerns, incidents, or events, and what "
        "action has been taken to address these?",
        hint="Consider if these have had an impact on RoSH, SaW or LoR levels",
        rows=6,
    )
    multi_agency = long_textarea(
        "How would you describe the effectiveness of multi-agency partnership working?",
        hint="Consider frequency of contact, agency/child/parental feedback, is there a need for escalation?",
    )
    exit_strategy = long_textarea(
        "Exit strategy considerations",
        hint="Consider the role of internal / external support that will need to be put in place now for "
        "the end of the order",
    )
    plans_reviewed = forms.BooleanField(
        label="The professionals plan and intervention plan were reviewed",
        required=False,
        help_text="Out-of-court case discussions only: the first discussion, three weeks after the panel, "
        "reviews both plans (001 §6.3)",
    )

    radio_first = {"kind": 1}

    def __init__(
        self,
        *args,
        kinds: list[str],
        managers,
        workers,
        previous: dict | None = None,
        submit: str = "Save the case discussion",
        discussion: CaseDiscussion | None = None,
        **kwargs,
    ):
        """Offer the kinds this user may record and the people the record may name; editing a
        `discussion`, carry its version (several people may write it, ADR 0009)."""
        super().__init__(*args, **kwargs)
        self.fixed_kind = kinds[0] if len(kinds) == 1 else None
        if self.fixed_kind:
            del self.fields["kind"]
        else:
            choice_field(self, "kind").choices = [
                Choice(k, CaseDiscussion.Kind(k).label, hint=KIND_HINTS.get(k, "")) for k in kinds
            ]
        model_choice_field(self, "manager").queryset = managers
        model_choice_field(self, "worker").queryset = workers
        co_allocated = self.fixed_kind == CaseDiscussion.Kind.CO_ALLOCATED
        if co_allocated:
            self.fields["manager"].label = "Co-allocated worker (practice supervisor)"
            self.fields["worker"].label = "Worker holding the case"
        show_ooc = CaseDiscussion.Kind.OOC in kinds
        if not show_ooc:
            del self.fields["plans_reviewed"]
        self.helper = FormHelper()
        layout = [*(self.versioned(discussion) if discussion is not None else [])]
        layout += [Field("held_on"), Field.text("held_time", field_width=5)]
        if not self.fixed_kind:
            layout.append(Field.radios("kind", legend_size=Size.SMALL, small=True))
        layout += [
            Field.select("manager"),
            Field.select("worker"),
            Field.checkbox("significant"),
        ]
        if not co_allocated:
            layout.append(Field.checkbox("brief_check"))
        layout += [
            HTML(_previous_html(previous)),
            Field.textarea("previous_actions", rows=4),
            Field.textarea("overview", rows=6),
            Field.textarea("new_concerns", rows=6),
            Field.textarea("multi_agency", rows=5),
            Field.textarea("exit_strategy", rows=5),
        ]
        if show_ooc:
            layout.append(
                Fieldset(
                    Field.checkbox("plans_reviewed"),
                    legend="Out-of-court case discussions",
                    legend_size=Size.SMALL,
                )
            )
        layout.append(Submit("submit", submit))
        self.helper.layout = Layout(*layout)
        if co_allocated:
            del self.fields["brief_check"]

    def clean_held_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of case discussion")

    def clean(self):
        """The time (when given) is not later than now; two different people; plans for OOC only."""
        super().clean()
        data = self.cleaned_data
        day, time = data.get("held_on"), data.get("held_time")
        if day and time and timezone.make_aware(datetime.datetime.combine(day, time)) > timezone.now():
            self.add_error("held_time", "The time of the case discussion must be in the past")
        manager, worker = data.get("manager"), data.get("worker")
        if manager and worker and manager.pk == worker.pk:
            self.add_error("worker", "The worker must be someone other than the manager")
        # Every section blank: nothing was discussed, so it is not a case discussion (issue 17). Only
        # when each section was read (one over its limit has its own error).
        sections = ("previous_actions", "overview", "new_concerns", "multi_agency", "exit_strategy")
        if all(name in data and not data[name].strip() for name in sections):
            self.add_error("previous_actions", NOTHING_WRITTEN)
        kind = self.fixed_kind or data.get("kind")
        if data.get("plans_reviewed") and kind and kind != CaseDiscussion.Kind.OOC:
            self.add_error(
                "plans_reviewed", "Only tick the plans reviewed for an out-of-court case discussion"
            )
        return data

    def stale_values(self, record: CaseDiscussion) -> dict[str, object]:
        """The saved discussion by this form's fields (its time is part of `held_at`)."""
        values = super().stale_values(record)
        if "held_time" in self.fields:
            local = timezone.localtime(record.held_at) if record.held_at else None
            values["held_time"] = local.time().replace(second=0, microsecond=0) if local else None
        return {name: values[name] for name in self.fields if name in values}

    def service_kwargs(self) -> dict:
        """The cleaned answers as case_discussion_create / case_discussion_update arguments."""
        data = self.cleaned_data
        return {
            "kind": self.fixed_kind or data["kind"],
            "held_on": data["held_on"],
            "held_time": data.get("held_time"),
            "manager": data["manager"],
            "worker": data["worker"],
            "significant": data.get("significant", False),
            "brief_check": data.get("brief_check", False),
            "plans_reviewed": data.get("plans_reviewed", False),
            "previous_actions": data.get("previous_actions", ""),
            "overview": data.get("overview", ""),
            "new_concerns": data.get("new_concerns", ""),
            "multi_agency": data.get("multi_agency", ""),
            "exit_strategy": data.get("exit_strategy", ""),
        }
