"""Forms for a move out of the area: the request to the host area, its checklist, the host's answer and
the parenting order (003 §12.6-§12.11).

No GOV.UK conditional reveals (axe rejects aria-expanded on radios): every field is shown and a field
that applies to one answer says so in its hint. The policy checks live in
transfers/services/external/transfer_out.py; the forms run the date checks for field-level errors.
"""

from functools import partial
from typing import TYPE_CHECKING, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.html import format_html

from cases.policy import timescale_lazy
from core.forms import GovErrorsMixin, VersionedFormMixin, gov_date, gov_radios, gov_text, not_in_future

from ...models import TransferOut
from .common import textarea

# An optional checklist date, not in the future.
_out_date = partial(gov_date, required=False, hint="Leave blank if not done yet. For example, 27 3 2026")

# The mixin is used only on forms: type checkers see its form base; at run time it stays a plain mixin.
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class _OutChecklistMixin(_FormBase):
    """The checklist and parenting order fields both transfer-out forms share."""

    open_parenting_order: bool

    def _checklist_layout(self) -> list:
        """The §12.6 checklist and the §12.9-§12.11 parenting order."""
        return [
            Fieldset(
                Field("assetplus_updated_on"),
                Field("yot_request_on"),
                Field("requested_on"),
                legend="Checklist (003 §12.6)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(self._parenting_html()),
                Field.checkbox("parenting_order"),
                Field.checkbox("parenting_simultaneous"),
                Field.checkboxes("parenting_documents", legend_size=Size.SMALL, small=True),
                legend="Parenting order (003 §12.9-§12.11)",
                legend_size=Size.MEDIUM,
            ),
        ]

    def _parenting_html(self) -> str:
        """Say when the child's record already shows an open parenting order."""
        if not self.open_parenting_order:
            return ""
        return format_html(
            '<div class="govuk-inset-text" id="parenting-order-open">{}</div>',
            "The child's record has an open parenting order: it should transfer with the child's order, and "
            "every document below is needed before the case is marked transferred.",
        )

    def clean(self):
        """Checklist dates not in the future."""
        data = super().clean() or {}
        for name in ("assetplus_updated_on", "yot_request_on", "requested_on", "outcome_on"):
            if name in self.fields and name not in self.errors:
                try:
                    not_in_future(data.get(name), str(self.fields[name].label))
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


def _parenting_fields() -> dict:
    """The parenting order fields (003 §12.9-§12.11)."""
    return {
        "parenting_order": forms.BooleanField(
            label="A parent is subject to a Parenting Order", required=False
        ),
        "parenting_simultaneous": forms.BooleanField(
            label="The parenting order transfers at the same time as the child's order",
            required=False,
            help_text="Good practice (003 §12.9); required before the case is marked transferred",
        ),
        "parenting_documents": forms.MultipleChoiceField(
            label="Documents provided to the receiving area (003 §12.11)",
            choices=TransferOut.PARENTING_DOCUMENTS,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="All are required before the case is marked transferred",
        ),
    }


class TransferOutForm(_OutChecklistMixin, GovErrorsMixin, forms.Form):
    """A move out of the area: the request to the host area (003 §12.6)."""

    kind = gov_radios("Request", TransferOut.Kind.choices, noun="transfer or caretaking")
    host_area = gov_text(
        "Host YJS area", max_length=120, hint="For example, Leicester City YJS", noun="the host YJS area"
    )
    host_contact = textarea("Host YJS contact", hint="Name, phone and email", rows=3)
    move_known_on = gov_date(
        "Date the move was known",
        hint=timescale_lazy(
            "The request is due to the host area {transfer_out.request} after this (003 §12.6). For example, 27 3 2026"
        ),
    )
    new_address = textarea("New address", rows=3)
    assetplus_updated_on = _out_date("Date AssetPlus was fully updated")
    yot_request_on = _out_date("Date the 'YOT to YOT Transfer' request was completed on AssetPlus")
    requested_on = _out_date("Date the request was sent to the host area")

    radio_first = {"kind": 1}

    def __init__(self, *args, open_parenting_order: bool = False, **kwargs):
        """Lay out the request, checklist and parenting order."""
        super().__init__(*args, **kwargs)
        self.fields.update(_parenting_fields())
        self.open_parenting_order = open_parenting_order
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", inline=True, small=True, legend_size=Size.SMALL),
            Field.text("host_area"),
            Field.textarea("host_contact", rows=3),
            Field("move_known_on"),
            Field.textarea("new_address", rows=3),
            *self._checklist_layout(),
            Submit("submit", "Record the move out of the area"),
        )

    def clean_move_known_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("move_known_on"), "Date the move was known")

    def service_kwargs(self) -> dict:
        """The cleaned answers as transfer_out_create arguments."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "host_area": data["host_area"],
            "host_contact": data.get("host_contact", ""),
            "move_known_on": data["move_known_on"],
            "new_address": data.get("new_address", ""),
            "assetplus_updated_on": data.get("assetplus_updated_on"),
            "yot_request_on": data.get("yot_request_on"),
            "requested_on": data.get("requested_on"),
            "parenting_order": data.get("parenting_order", False),
            "parenting_simultaneous": data.get("parenting_simultaneous", False),
            "parenting_documents": data.get("parenting_documents") or [],
        }


class TransferOutUpdateForm(VersionedFormMixin, _OutChecklistMixin, GovErrorsMixin, forms.Form):
    """Progress on a move out: the checklist, the host's answer, the agreed responsibilities (003 §12.6-§12.7)."""

    status = gov_radios("Where the request stands", [], noun="where the request stands")
    assetplus_updated_on = _out_date("Date AssetPlus was fully updated")
    yot_request_on = _out_date("Date the 'YOT to YOT Transfer' request was completed on AssetPlus")
    requested_on = _out_date("Date the request was sent to the host area")
    host_contact = textarea("Host YJS contact", hint="Name, phone and email", rows=3)
    outcome_on = gov_date(
        "Date of the host area's answer",
        required=False,
        hint="Required when the host area caretakes, accepts transfer or declines. For example, 27 3 2026",
    )
    responsibilities = textarea(
        "Responsibilities agreed in writing",
        hint="Which area does what (003 §12.7): required when the host area caretakes",
        rows=5,
    )
    outcome_notes = textarea("Notes", rows=3)

    radio_first = {"status": 1}

    def __init__(
        self, *args, transfer_out: TransferOut, statuses, open_parenting_order: bool = False, **kwargs
    ):
        """Offer the statuses this move may go to next; carry the move's version (the case manager and
        the team's managers may all update it, ADR 0009)."""
        super().__init__(*args, **kwargs)
        self.fields.update(_parenting_fields())
        self.open_parenting_order = open_parenting_order
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s, TransferOut.Status(s).label) for s in statuses
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *self.versioned(transfer_out),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            *self._checklist_layout(),
            Field.textarea("host_contact", rows=3),
            Field("outcome_on"),
            Field.textarea("responsibilities", rows=5),
            Field.textarea("outcome_notes", rows=3),
            Submit("submit", "Save the move out"),
        )

    def service_kwargs(self) -> dict:
        """The cleaned answers as transfer_out_update arguments."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "assetplus_updated_on": data.get("assetplus_updated_on"),
            "yot_request_on": data.get("yot_request_on"),
            "requested_on": data.get("requested_on"),
            "host_contact": data.get("host_contact", ""),
            "outcome_on": data.get("outcome_on"),
            "responsibilities": data.get("responsibilities", ""),
            "outcome_notes": data.get("outcome_notes", ""),
            "parenting_order": data.get("parenting_order", False),
            "parenting_simultaneous": data.get("parenting_simultaneous", False),
            "parenting_documents": data.get("parenting_documents") or [],
        }
