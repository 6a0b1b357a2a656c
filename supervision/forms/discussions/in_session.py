"""A case discussion held in a supervision, as one fieldset of the one-page Record of Supervision
(001 App. 5 inside 000 App. C's "Cases Discussed").

The supervision fixes what the discussion's own page asks for: its date (the supervision's), the manager
(the supervisor), the worker (the supervisee) and the kind (a case discussion in supervision). What is
left is the child, the two flags that set its timescales and App. 5's five sections. A new fieldset names
the child from the supervisee's open cases; a saved draft carries its id and version (ADR 0009).

A fieldset left untouched (no child chosen, nothing written) is no discussion and is not saved. In a
`partial` form (an autosave, ADR 0018) nothing is required, but lengths are still checked.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from cases.models import Child
from core.forms import GovErrorsMixin, ModelChoiceField, VersionedFormMixin, model_choice_field, parse_id

from ...models import CaseDiscussion
from ...services.discussions.case import NOTHING_WRITTEN, TEXT_FIELDS
from .case import long_textarea

FLAGS = ("significant", "brief_check")


class ChildChoiceField(ModelChoiceField):
    """One of the supervisee's open cases: name and case number (the record itself shows initials)."""

    def label_from_instance(self, obj):
        """Last name, first name (case number)."""
        return f"{obj.last_name}, {obj.first_name} ({obj.case_number})"


class SessionDiscussionForm(VersionedFormMixin, GovErrorsMixin, forms.Form):
    """One Case Discussion Record of the supervision (001 App. 5), as a fieldset of the record's page."""

    id = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    child = ChildChoiceField(
        label="Child discussed",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Choose the child",
        help_text="One of the supervisee's open cases not yet discussed in this supervision",
        error_messages={"invalid_choice": "Choose the child from the list"},
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
    previous_actions = long_textarea("Update on actions from previous case discussion / CMM", rows=3)
    overview = long_textarea(
        "Case overview / progress of case",
        hint="What outcomes are we trying to achieve? Barriers? Diversity factors?",
        rows=4,
    )
    new_concerns = long_textarea(
        "Since the most recent assessment have there been any new concerns, incidents, or events, and what "
        "action has been taken to address these?",
        hint="Consider if these have had an impact on RoSH, SaW or LoR levels",
        rows=4,
        error_label="New concerns, incidents or events",
    )
    multi_agency = long_textarea(
        "How would you describe the effectiveness of multi-agency partnership working?",
        hint="Consider frequency of contact, agency/child/parental feedback, is there a need for escalation?",
        rows=3,
        error_label="Effectiveness of multi-agency partnership working",
    )
    exit_strategy = long_textarea(
        "Exit strategy considerations",
        hint="Consider the role of internal / external support that will need to be put in place now for "
        "the end of the order",
        rows=3,
    )

    def __init__(
        self,
        *args,
        number: int,
        children,
        discussion: CaseDiscussion | None = None,
        partial: bool = False,
        **kwargs,
    ):
        """Fieldset `number` (from 1) of the page: a saved draft `discussion` (its child fixed, its
        version carried), or a new one whose child is chosen from `children`."""
        super().__init__(*args, **kwargs)
        self.number, self.discussion, self.partial = number, discussion, partial
        self.anchor = f"discussion-{number}"
        layout: list = []
        if discussion is not None:
            del self.fields["child"]
            self.initial.setdefault("id", discussion.pk)
            # Several people may write it (ADR 0009). Only the hidden version here: the page shows the
            # "What is saved now" panel above the fieldset (crispy's HTML reads the page's own `form`).
            layout += [item for item in self.versioned(discussion) if isinstance(item, Field)]
            legend = f"Case discussion {number}: {discussion.child.initials} {discussion.child.case_number}"
        else:
            model_choice_field(self, "child").queryset = children
            # Empty until a save creates the draft: an autosave then fills in its id and version.
            self.fields["version"] = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
            layout.append(Field("version"))
            legend = f"Case discussion {number}"
        layout.append(Field("id"))
        if discussion is None:
            layout.append(Field.select("child"))
        layout += [
            Field.checkbox("significant"),
            Field.checkbox("brief_check"),
            *(
                Field.textarea(name, rows=self.fields[name].widget.attrs.get("rows", 4))
                for name in TEXT_FIELDS
            ),
        ]
        if discussion is not None:
            layout.append(HTML(self._links_html(discussion)))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(*layout, legend=legend, legend_size=Size.MEDIUM, css_id=self.anchor)
        )

    @staticmethod
    def _links_html(discussion: CaseDiscussion) -> str:
        """Where the draft's agreed actions are added, and where it is deleted (their own pages)."""
        args = [discussion.child_id, discussion.pk]
        html = format_html(
            '<p class="govuk-body"><a class="govuk-link" href="{}">Add or change the agreed actions'
            '<span class="govuk-visually-hidden"> of the case discussion for {}</span></a> · '
            '<a class="govuk-link" href="{}">Delete this case discussion'
            '<span class="govuk-visually-hidden"> for {}</span></a></p>',
            reverse("discussion_actions", args=args),
            discussion.child.case_number,
            reverse("discussion_delete", args=args),
            discussion.child.case_number,
        )
        # crispy's HTML() renders its text as a Django template: nothing recorded may read as a tag.
        return html.replace("{", "&#123;").replace("}", "&#125;")

    @property
    def is_new(self) -> bool:
        """Not saved yet: its child is chosen on the page."""
        return self.discussion is None

    def is_untouched(self) -> bool:
        """A new fieldset with no child chosen and nothing written or ticked: not a discussion."""
        if not self.is_new:
            return False
        data = self.cleaned_data
        return (
            data.get("child") is None
            and not any((data.get(name) or "").strip() for name in TEXT_FIELDS)
            and not any(data.get(name) for name in FLAGS)
            and "child" not in self.errors
        )

    def is_written(self) -> bool:
        """At least one of App. 5's sections says what was discussed."""
        return any((self.cleaned_data.get(name) or "").strip() for name in TEXT_FIELDS)

    def clean(self):
        """A new discussion names its child; a discussion says something (issue 17). Neither in a partial
        save, which keeps what can be kept and asks for nothing."""
        super().clean()
        if self.partial or self.is_untouched():
            return self.cleaned_data
        if self.is_new and self.cleaned_data.get("child") is None and "child" not in self.errors:
            self.add_error("child", "Choose the child this case discussion is about")
        if all(name in self.cleaned_data for name in TEXT_FIELDS) and not self.is_written():
            self.add_error("previous_actions", NOTHING_WRITTEN)
        return self.cleaned_data

    def saved_id(self) -> int | None:
        """The id of the draft this fieldset writes: its own, or the one an earlier save created."""
        if self.discussion is not None:
            return self.discussion.pk
        return parse_id(self.cleaned_data.get("id"))

    def stale_values(self, record: CaseDiscussion) -> dict[str, object]:
        """The saved discussion by this form's fields (not its id or child, which do not change)."""
        return {name: getattr(record, name) for name in (*FLAGS, *TEXT_FIELDS)}

    def service_data(self) -> dict:
        """The answers as case_discussion_create / case_discussion_update's App. 5 fields."""
        data = self.cleaned_data
        return {
            **{name: bool(data.get(name)) for name in FLAGS},
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
        }


__all__ = ["ChildChoiceField", "SessionDiscussionForm"]
