"""The whole CMM Record (001 App. 4) as one form on one page: each section a fieldset with its heading and
an anchor (`section-<slug>`), what the chair needs beside it, one error summary for every section, and
two buttons (save; save and check before finalising).

In `autosave` mode (the page's draft saved in the background, ADR 0018) nothing is required: the form
checks only types and lengths, and `draft_data` gives the fields whose value differs from the record.
"""

from crispy_forms_gds.layout import HTML, Button, Div, Fieldset, Layout, Size
from django import forms

from ...models import Meeting
from .sections import SECTIONS, RecordSectionForm

# The submit buttons' names: "check" goes on to the finalise page after saving.
SAVE, CHECK = "save", "check"


def anchor(slug: str) -> str:
    """The id of a section's fieldset on the one-page record."""
    return f"section-{slug}"


class RecordForm(RecordSectionForm):
    """Every section of the CMM Record in one form (the one-page record)."""

    def __init__(self, *args, meeting: Meeting, autosave: bool = False, **kwargs):
        """All the sections; in autosave mode no field is required (a draft may be half written)."""
        self.autosave = autosave
        super().__init__(*args, meeting=meeting, sections=list(SECTIONS), **kwargs)
        if autosave:
            for field in self.fields.values():
                field.required = False
                if isinstance(field, forms.TypedChoiceField):
                    field.empty_value = None

    def layout(self, built: dict[str, list]) -> Layout:
        """Each section a fieldset headed by its title (an h2), with its notes first; then the buttons."""
        fieldsets = [
            Fieldset(
                HTML(f'{{% include "meetings/_section_intro.html" with section="{slug}" heading="h3" %}}'),
                *items,
                legend=SECTIONS[slug]["title"],
                legend_size=Size.MEDIUM,
                legend_tag="h2",
                css_id=anchor(slug),
                css_class="app-record-section",
            )
            for slug, items in built.items()
        ]
        buttons = Div(
            Button(CHECK, "Save and check before finalising"),
            Button.secondary(SAVE, "Save"),
            css_class="govuk-button-group",
        )
        # The page's script saves the draft in the background (assets/js/autosave.mjs, ADR 0018).
        self.helper.attrs = {"data-autosave": "", "novalidate": ""}
        return Layout(*self.versioned(self.meeting), *fieldsets, buttons)

    def draft_data(self) -> dict:
        """What autosave writes: the record fields whose cleaned value differs from the record, less a
        revised level left unchosen (a draft never clears an answer it cannot give back)."""
        changed = {}
        for name, value in self.record_data().items():
            if name.startswith("revised_") and not value:
                continue
            if isinstance(value, str):
                value = value.strip()
            if value != getattr(self.meeting, name):
                changed[name] = value
        return changed
