"""Forms for allocating a case (003 §2-§6): the choice, the rationale for each exception, ending a co-allocation."""

from __future__ import annotations

from functools import partial
from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils import timezone

from core.forms import ModelChoiceField, gov_date, gov_radios, gov_textarea, not_in_future, parse_id

from ..models import Role

# A required GOV.UK date named by its label ("Enter the start date"), for allocation and leave.
date_field = partial(gov_date, hint="For example, 27 3 2024")


class WorkerChoiceField(ModelChoiceField):
    """A staff select whose options show role, caseload and weighted load against capacity (003 §2.1)."""

    def __init__(self, *args, workloads=None, **kwargs):
        self.workloads = workloads or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        """The worker with their role, team and workload."""
        parts = [str(obj), obj.get_role_display()]
        if obj.team is not None and obj.team.kind == "interventions":
            parts.append(str(obj.team))
        load = self.workloads.get(obj.pk)
        if load:
            parts.append(f"{load['cases']} cases, weighted {load['weighted']} of {load['capacity']}")
            if load.get("on_leave"):
                parts.append("on leave")
        if obj.is_absent:
            parts.append("absent")
        return " – ".join(parts)


class AllocationChoiceForm(forms.Form):
    """Step 1: who, in which role, from when and why."""

    ROLE_CHOICES = [("case_manager", "Case manager"), ("co_worker", "Co-allocated worker")]

    worker = WorkerChoiceField(
        queryset=None,
        label="Worker",
        empty_label="Choose a worker",
        error_messages={
            "required": "Choose the worker to allocate",
            "invalid_choice": "Choose a worker from the list",
        },
    )
    role = gov_radios(
        "Role on the case",
        ROLE_CHOICES,
        noun="whether they will be the case manager or a co-allocated worker",
    )
    primary_worker = WorkerChoiceField(
        queryset=None,
        required=False,
        label="Primary worker (only when allocating a student as case manager)",
        help_text="A student's case is co-allocated to a worker from the interventions or locality team "
        "who is accountable for it (003 §6.1).",
        empty_label="No primary worker",
        error_messages={"invalid_choice": "Choose a primary worker from the list"},
    )
    started_on = date_field("Start date")
    reason = gov_textarea(
        "Reason for the allocation",
        required=True,
        rows=3,
        max_length=2000,
        noun="the reason for the allocation",
        error_label="Reason",
    )

    # The case manager when the page was first shown (issue 16): carried through the checks page, so the
    # confirmation can say truthfully when someone else allocated the child in between.
    seen_case_manager = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, child, candidates, workloads, co_worker_ids=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        kwargs["initial"].setdefault("seen_case_manager", child.case_manager_id or "")
        super().__init__(*args, **kwargs)
        self.child = child
        self.co_worker_ids = set(co_worker_ids)
        worker = cast(WorkerChoiceField, self.fields["worker"])
        worker.queryset = candidates
        worker.workloads = workloads
        primary_worker = cast(WorkerChoiceField, self.fields["primary_worker"])
        primary_worker.queryset = candidates.exclude(role=Role.STUDENT)
        primary_worker.workloads = workloads
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("seen_case_manager"),
            Field.select("worker"),
            Field.radios("role", legend_size="s"),
            Field.select("primary_worker"),
            Field("started_on"),
            Field.textarea("reason"),
        )

    def clean_started_on(self):
        """An allocation starts today or in the past."""
        return not_in_future(self.cleaned_data["started_on"], "Start date")

    def clean(self):
        """The worker is not already on the case in that role; a primary worker only for a student, not themself."""
        super().clean()
        data = self.cleaned_data
        worker, role, primary = data.get("worker"), data.get("role"), data.get("primary_worker")
        if worker is None or not role:
            return data
        if role == "case_manager" and self.child.case_manager_id == worker.pk:
            if self.seen_case_manager_id() != worker.pk:
                self.add_error(
                    "worker",
                    f"{worker} is already the case manager: someone allocated them after you opened this "
                    "page, so there is nothing more to save",
                )
            else:
                self.add_error("worker", f"{worker} is already the case manager")
        if role == "co_worker" and (
            self.child.case_manager_id == worker.pk or worker.pk in self.co_worker_ids
        ):
            self.add_error("worker", f"{worker} already holds or co-works this case")
        if primary is not None:
            if role != "case_manager" or worker.role != Role.STUDENT:
                self.add_error(
                    "primary_worker", "Only choose a primary worker when allocating a student as case manager"
                )
            elif primary.pk == worker.pk:
                self.add_error("primary_worker", "The primary worker must be someone other than the student")
        return data

    def seen_case_manager_id(self) -> int | None:
        """The case manager's id when the page was first shown (None: there was none). A POST that did
        not say (a test, a script) is taken to have seen the child as it is now."""
        if self.add_prefix("seen_case_manager") not in self.data:
            return self.child.case_manager_id
        value = (self.cleaned_data.get("seen_case_manager") or "") if hasattr(self, "cleaned_data") else ""
        return parse_id(value)


def rationale_field_name(code: str) -> str:
    """A form field name for a check code ("primary_worker.capacity" -> "rationale_primary_worker__capacity")."""
    return "rationale_" + code.replace(".", "__")


class AllocationRationaleForm(forms.Form):
    """Step 2: a rationale for each check that needs one; blocking checks refuse confirmation."""

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = checks
        names = []
        for check in checks:
            if not check["needs_rationale"]:
                continue
            name = rationale_field_name(check["code"])
            field = gov_textarea(
                check["rationale_label"],
                hint=f"{check['title']} ({check['basis']})",
                required=True,
                rows=3,
                max_length=2000,
                error_label="Rationale",
            )
            field.error_messages["required"] = check["rationale_error"]
            self.fields[name] = field
            names.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*[Field.textarea(name) for name in names])

    def clean(self):
        """A blocking check stops the allocation."""
        data = super().clean()
        for check in self.checks:
            if check["blocking"]:
                raise forms.ValidationError(check["message"])
        return data

    def rationales(self) -> dict[str, str]:
        """{check code: rationale} from the cleaned data."""
        return {
            c["code"]: self.cleaned_data.get(rationale_field_name(c["code"]), "")
            for c in self.checks
            if c["needs_rationale"]
        }


class CoAllocationEndForm(forms.Form):
    """End a co-allocation, as agreed at a CMM or in supervision (003 §5.4)."""

    AGREED_CHOICES = [
        ("at a case management meeting (CMM)", "At a case management meeting (CMM)"),
        ("in supervision", "In supervision"),
    ]

    agreed_at = gov_radios(
        "Where was ending the co-allocation agreed?",
        AGREED_CHOICES,
        noun="where ending the co-allocation was agreed",
    )
    ended_on = date_field("Date the co-allocation ends")
    reason = gov_textarea(
        "Reason", required=True, rows=4, max_length=2000, noun="the reason for ending the co-allocation"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("agreed_at", legend_size="s"), Field("ended_on"), Field.textarea("reason")
        )

    def clean_ended_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data["ended_on"], "Date the co-allocation ends")
