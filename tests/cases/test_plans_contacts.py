"""Plans and reviews, contacts and appointments, and the 000 App. B compliance summary."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.forms.plans_contacts import ContactForm, ContactOutcomeForm, PlanForm
from cases.models import Contact, Event, EventType, Obligation, Plan, Programme
from cases.rules import compute
from cases.rules.calendar import add_months_raw
from cases.selectors import plans_contacts as records
from cases.services import plans_contacts as record_services
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory

O = Contact.Outcome  # noqa: E741


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _rules(facts: list[dict]) -> dict[str, dict]:
    """Obligations by code as the rules module computes them for these facts, as of today."""
    result = compute(
        {"policy": settings.POLICY_PROFILE, "as_of": timezone.localdate().isoformat(), "facts": facts}
    )
    return {o["code"]: o for o in result["obligations"]}


def _contact(
    child, author, *, date, outcome=O.KEPT, kind=Contact.Kind.FACE_TO_FACE, is_appointment=True, **kw
):
    """A contact row straight into the database (no service side effects)."""
    return Contact.objects.create(
        child=child, author=author, worker=author, kind=kind, date=date, outcome=outcome,
        is_appointment=is_appointment, **kw,
    )  # fmt: skip


def _plan(child, author, **kw):
    """A plan row straight into the database."""
    values = {
        "kind": Plan.Kind.INTERVENTION,
        "completed_on": datetime.date(2024, 1, 20),
        "objectives": "Objectives",
    }
    return Plan.objects.create(child=child, author=author, **{**values, **kw})


@pytest.mark.django_db
class TestPlanServices:
    def test_plan_is_audited_evented_and_meets_plan_intervention(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """An intervention plan completed within 15 working days of a YRO meets plan.intervention (001 §6)."""
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8))
        with django_capture_on_commit_callbacks(execute=True):
            plan = record_services.plan_create(
                child=child,
                author=case_manager,
                kind=Plan.Kind.INTERVENTION,
                completed_on=datetime.date(2024, 1, 22),
                objectives="Reparation and education, training and employment work",
            )
        assert AuditEntry.objects.filter(action="create", object_type="plan", object_id=str(plan.pk)).exists()
        event = Event.objects.get(source=f"plan:{plan.pk}")
        assert event.event_type == EventType.PLAN and event.occurred_on == datetime.date(2024, 1, 22)
        stored = Obligation.objects.get(child=child, code="plan.intervention")
        assert stored.status == Obligation.Status.MET and stored.met_on == datetime.date(2024, 1, 22)

    def test_review_takes_the_plans_kind(self, child, case_manager, django_capture_on_commit_callbacks):
        """A review is a new plan of the same kind marked as a review; it meets a YRO's plan.review."""
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 1, 8))
        plan = _plan(child, case_manager)
        with django_capture_on_commit_callbacks(execute=True):
            review = record_services.plan_review(
                plan=plan, author=case_manager, completed_on=datetime.date(2024, 4, 10), objectives="Progress"
            )
        assert review.is_review and review.reviews == plan and review.kind == Plan.Kind.INTERVENTION
        assert Event.objects.filter(source=f"plan:{review.pk}", summary__startswith="Review of").exists()
        assert Obligation.objects.filter(
            child=child, code="plan.review", status__in=["met", "met_late"]
        ).exists()

    def test_other_childs_records_refused(self, child, case_manager):
        """A programme or a plan of another child cannot be attached."""
        other = ChildFactory(team=child.team)
        with pytest.raises(ValueError):
            record_services.plan_create(
                child=child,
                author=case_manager,
                kind="action",
                completed_on=datetime.date(2024, 1, 1),
                objectives="x",
                programme=ProgrammeFactory(child=other),
            )
        with pytest.raises(ValueError):
            record_services.plan_create(
                child=child,
                author=case_manager,
                kind="action",
                completed_on=datetime.date(2024, 1, 1),
                objectives="x",
                reviews=_plan(other, case_manager),
            )


@pytest.mark.django_db
class TestContactServices:
    def test_kept_face_to_face_meets_remand_initial_contact(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """A kept face-to-face contact within 5 working days of remand meets contact.initial (001 §6)."""
        ProgrammeFactory(
            child=child, kind=Programme.Kind.REMAND, start_date=datetime.date(2024, 3, 4), length_months=None
        )
        with django_capture_on_commit_callbacks(execute=True):
            contact = record_services.contact_create(
                child=child,
                author=case_manager,
                kind="face_to_face",
                date=datetime.date(2024, 3, 6),
                outcome=O.KEPT,
            )
        assert contact.worker == case_manager
        assert AuditEntry.objects.filter(
            action="create", object_type="contact", object_id=str(contact.pk)
        ).exists()
        assert Event.objects.get(source=f"contact:{contact.pk}").event_type == EventType.CONTACT
        stored = Obligation.objects.get(child=child, code="contact.initial")
        assert stored.status == Obligation.Status.MET and stored.met_on == datetime.date(2024, 3, 6)

    def test_unacceptable_failure_starts_compliance_cmm(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """An unacceptable failure creates cmm.compliance, 10 working days later (000 §1.3)."""
        failed_on = datetime.date(2024, 5, 20)
        with django_capture_on_commit_callbacks(execute=True):
            record_services.contact_create(
                child=child,
                author=case_manager,
                kind="face_to_face",
                date=failed_on,
                outcome=O.UNACCEPTABLE_FAILURE,
                explanation="None given",
            )
        expected = _rules([{"type": "failure_to_comply", "date": failed_on.isoformat()}])["cmm.compliance"]
        stored = Obligation.objects.get(child=child, code="cmm.compliance")
        assert stored.due.isoformat() == expected["due"]
        assert stored.basis.startswith("000 §1.3")

    def test_booked_appointment_writes_no_event_until_its_outcome(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """A booked appointment is audited but not on the timeline; recording its outcome adds the event."""
        future = timezone.localdate() + datetime.timedelta(days=7)
        contact = record_services.contact_create(
            child=child, author=case_manager, kind="phone", date=future, outcome=O.BOOKED
        )
        assert not Event.objects.filter(source=f"contact:{contact.pk}").exists()
        with pytest.raises(ValueError):
            record_services.contact_outcome_record(contact=contact, user=case_manager, outcome=O.KEPT)
        past = _contact(child, case_manager, date=datetime.date(2024, 2, 1), outcome=O.BOOKED)
        with django_capture_on_commit_callbacks(execute=True):
            record_services.contact_outcome_record(
                contact=past, user=case_manager, outcome=O.UNACCEPTABLE_FAILURE, explanation="Overslept"
            )
        past.refresh_from_db()
        assert past.outcome == O.UNACCEPTABLE_FAILURE and past.explanation == "Overslept"
        assert AuditEntry.objects.filter(
            action="update", object_type="contact", object_id=str(past.pk)
        ).exists()
        assert Event.objects.filter(source=f"contact:{past.pk}").exists()
        assert Obligation.objects.filter(child=child, code="cmm.compliance").exists()
        with pytest.raises(ValueError):
            record_services.contact_outcome_record(contact=past, user=case_manager, outcome=O.KEPT)

    def test_service_refuses_what_the_policy_does_not_allow(self, child, case_manager):
        """A future kept contact, a failure of a non-appointment, or a failure with no explanation."""
        future = timezone.localdate() + datetime.timedelta(days=1)
        cases = [
            {"date": future, "outcome": O.KEPT},
            {
                "date": datetime.date(2024, 1, 1),
                "outcome": O.ACCEPTABLE_FAILURE,
                "is_appointment": False,
                "explanation": "x",
            },
            {"date": datetime.date(2024, 1, 1), "outcome": O.UNACCEPTABLE_FAILURE, "explanation": " "},
        ]
        for kwargs in cases:
            with pytest.raises(ValueError):
                record_services.contact_create(child=child, author=case_manager, kind="phone", **kwargs)
        assert not Contact.objects.exists()


@pytest.mark.django_db
class TestComplianceSummary:
    def test_counts_and_details(self, child, case_manager, django_assert_num_queries):
        """000 App. B: appointments given, kept, acceptable and unacceptable failures, and their details."""
        start, end = datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)
        _contact(child, case_manager, date=datetime.date(2024, 3, 4))
        _contact(child, case_manager, date=datetime.date(2024, 3, 11))
        _contact(
            child,
            case_manager,
            date=datetime.date(2024, 3, 18),
            outcome=O.ACCEPTABLE_FAILURE,
            explanation="Ill",
        )
        _contact(
            child, case_manager, date=datetime.date(2024, 3, 25), outcome=O.UNACCEPTABLE_FAILURE,
            explanation="None given", kind=Contact.Kind.VIRTUAL, notes="Warning letter sent",
        )  # fmt: skip
        _contact(child, case_manager, date=datetime.date(2024, 3, 28), outcome=O.BOOKED)
        # Outside the period, a contact that was not an appointment, and another child's: not counted.
        _contact(child, case_manager, date=datetime.date(2024, 4, 2), outcome=O.UNACCEPTABLE_FAILURE)
        _contact(child, case_manager, date=datetime.date(2024, 3, 5), is_appointment=False, kind="phone")
        _contact(ChildFactory(team=child.team), case_manager, date=datetime.date(2024, 3, 5))
        with django_assert_num_queries(2):
            summary = records.contact_compliance_summary(child=child, start=start, end=end)
        assert (summary["start"], summary["end"]) == (start, end)
        assert summary["appointments_given"] == 5
        assert summary["kept"] == 2
        assert summary["acceptable_failures"] == 1
        assert summary["unacceptable_failures"] == 1
        assert summary["awaiting_outcome"] == 1
        rows = summary["non_compliance"]
        assert [r["date"] for r in rows] == [datetime.date(2024, 3, 18), datetime.date(2024, 3, 25)]
        assert rows[0]["acceptable"] is True and rows[0]["explanation"] == "Ill"
        assert rows[1]["kind_display"] == "Virtual" and rows[1]["notes"] == "Warning letter sent"
        assert rows[1]["outcome"] == O.UNACCEPTABLE_FAILURE

    def test_query_count_does_not_grow(self, child, case_manager, django_assert_num_queries):
        """Forty failures still take two queries."""
        for day in range(1, 29):
            _contact(child, case_manager, date=datetime.date(2024, 2, day), outcome=O.UNACCEPTABLE_FAILURE)
        with django_assert_num_queries(2):
            summary = records.contact_compliance_summary(
                child=child, start=datetime.date(2024, 2, 1), end=datetime.date(2024, 2, 29)
            )
        assert summary["unacceptable_failures"] == 28

    def test_default_period(self, child):
        """From the current open programme's start, else the last 3 months, to today."""
        today = datetime.date(2024, 6, 10)
        start, end, basis = records.contact_compliance_default_period(child=child, today=today)
        assert (start, end) == (add_months_raw(today, -3), today) and basis == "the last 3 months"
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2024, 2, 5))
        ProgrammeFactory(
            child=child, kind=Programme.Kind.REFERRAL_ORDER, start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2024, 5, 1),
        )  # fmt: skip
        start, end, basis = records.contact_compliance_default_period(child=child, today=today)
        assert start == datetime.date(2024, 2, 5) and "Youth Rehabilitation Order" in basis


@pytest.mark.django_db
class TestForms:
    def _contact_data(self, **kw):
        data = {
            "kind": "face_to_face",
            "is_appointment": "yes",
            "outcome": O.KEPT,
            "explanation": "",
            "notes": "",
        }
        data.update(_date("date", kw.pop("date", datetime.date(2024, 3, 4))))
        data.update(kw)
        return data

    def test_future_appointment_only_booked(self, child):
        """A future appointment can only be recorded as booked; booked is fine."""
        future = timezone.localdate() + datetime.timedelta(days=3)
        form = ContactForm(self._contact_data(date=future), child=child)
        assert not form.is_valid() and "can only be booked" in form.errors["outcome"][0]
        assert ContactForm(self._contact_data(date=future, outcome=O.BOOKED), child=child).is_valid()

    def test_failures_need_an_explanation_and_an_appointment(self, child):
        """Acceptable and unacceptable failures need the explanation given, and an appointment."""
        form = ContactForm(self._contact_data(outcome=O.UNACCEPTABLE_FAILURE), child=child)
        assert not form.is_valid() and "explanation" in form.errors
        form = ContactForm(
            self._contact_data(outcome=O.ACCEPTABLE_FAILURE, is_appointment="no", explanation="Ill"),
            child=child,
        )
        assert not form.is_valid() and "Only an appointment" in form.errors["outcome"][0]
        form = ContactForm(self._contact_data(outcome=O.ACCEPTABLE_FAILURE, explanation="Ill"), child=child)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["is_appointment"] is True

    def test_bad_time_and_choices(self, child):
        """A malformed time or an unknown choice is a GOV.UK error."""
        form = ContactForm(self._contact_data(time="25:99", kind="teleport", outcome="maybe"), child=child)
        assert not form.is_valid()
        assert form.errors["time"] == ["Enter a real time, like 14:30"]
        assert form.errors["kind"] == ["Choose the type of contact"]
        assert ContactForm(self._contact_data(time="14:30"), child=child).is_valid()

    def test_outcome_form(self, child, case_manager):
        """The outcome of a future appointment cannot be recorded yet; failures need an explanation."""
        future = _contact(
            child, case_manager, date=timezone.localdate() + datetime.timedelta(days=2), outcome=O.BOOKED
        )
        form = ContactOutcomeForm({"outcome": O.KEPT}, contact=future)
        assert not form.is_valid() and "on or after the day" in form.non_field_errors()[0]
        past = _contact(child, case_manager, date=datetime.date(2024, 3, 4), outcome=O.BOOKED)
        form = ContactOutcomeForm({"outcome": O.UNACCEPTABLE_FAILURE, "explanation": ""}, contact=past)
        assert not form.is_valid() and "explanation" in form.errors
        assert not ContactOutcomeForm({"outcome": O.BOOKED}, contact=past).is_valid()

    def test_plan_form_dates(self, child, case_manager):
        """Not completed in the future; next review after completion; a review not before its plan."""
        data = {"kind": "intervention", "objectives": "Objectives", "programme": ""}
        future = timezone.localdate() + datetime.timedelta(days=1)
        form = PlanForm({**data, **_date("completed_on", future)}, child=child)
        assert not form.is_valid() and "today or in the past" in form.errors["completed_on"][0]
        form = PlanForm(
            {
                **data,
                **_date("completed_on", datetime.date(2024, 3, 1)),
                **_date("next_review", datetime.date(2024, 2, 1)),
            },
            child=child,
        )
        assert not form.is_valid() and "next_review" in form.errors
        plan = _plan(child, case_manager, completed_on=datetime.date(2024, 3, 1))
        form = PlanForm(
            {**data, **_date("completed_on", datetime.date(2024, 2, 1))}, child=child, reviews=plan
        )
        assert (
            not form.is_valid()
            and "on or after the date the plan was completed" in form.errors["completed_on"][0]
        )
        assert "kind" not in form.fields
        # The review's wording does not leak into the next plan form.
        bad = {"completed_on_0": "x", "completed_on_1": "1", "completed_on_2": "2024"}
        review = PlanForm({**data, **bad}, child=child, reviews=plan)
        assert not review.is_valid() and review.errors["completed_on"] == [
            "Date of the review must be a real date"
        ]
        fresh = PlanForm({**data, **bad}, child=child)
        assert not fresh.is_valid() and fresh.errors["completed_on"] == ["Date completed must be a real date"]

    def test_plan_programme_must_be_the_childs(self, child):
        """Another child's programme id is a form error, not a 500."""
        other = ProgrammeFactory(child=ChildFactory(team=child.team))
        form = PlanForm(
            {
                "kind": "action",
                "objectives": "x",
                "programme": str(other.pk),
                **_date("completed_on", datetime.date(2024, 3, 1)),
            },
            child=child,
        )
        assert not form.is_valid() and form.errors["programme"] == ["Choose one of this child's programmes"]


@pytest.mark.django_db
class TestViews:
    def _urls(self, child, plan, contact):
        return [
            reverse("child_plans", args=[child.pk]),
            reverse("plan_add", args=[child.pk]),
            reverse("plan_review", args=[child.pk, plan.pk]),
            reverse("child_contacts", args=[child.pk]),
            reverse("contact_add", args=[child.pk]),
            reverse("contact_outcome", args=[child.pk, contact.pk]),
        ]

    def test_outsider_gets_404(self, client, outsider, child, case_manager):
        """Someone outside the child's team gets 404 on every plan and contact page, GET and POST."""
        plan = _plan(child, case_manager)
        contact = _contact(child, case_manager, date=datetime.date(2024, 3, 4), outcome=O.BOOKED)
        client.force_login(outsider)
        for url in self._urls(child, plan, contact):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"outcome": O.KEPT}).status_code == 404, url
        assert not AuditEntry.objects.filter(user=outsider).exists()
        contact.refresh_from_db()
        assert contact.outcome == O.BOOKED

    def test_other_childs_records_and_known_outcomes_are_404(self, client, case_manager, child):
        """A plan or contact of another child, or a contact whose outcome is known, is not found here."""
        other = ChildFactory(team=child.team)
        client.force_login(case_manager)
        other_plan = _plan(other, case_manager)
        other_contact = _contact(other, case_manager, date=datetime.date(2024, 3, 4), outcome=O.BOOKED)
        kept = _contact(child, case_manager, date=datetime.date(2024, 3, 4))
        assert client.get(reverse("plan_review", args=[child.pk, other_plan.pk])).status_code == 404
        assert client.get(reverse("contact_outcome", args=[child.pk, other_contact.pk])).status_code == 404
        assert client.get(reverse("contact_outcome", args=[child.pk, kept.pk])).status_code == 404

    def test_record_and_review_a_plan(self, client, case_manager, child):
        """Recording a plan and reviewing it from the browser; the list shows both."""
        client.force_login(case_manager)
        response = client.post(
            reverse("plan_add", args=[child.pk]),
            {"kind": "intervention", "objectives": "Victim awareness", "child_views": "Agreed", "programme": "",
             **_date("completed_on", datetime.date(2024, 2, 1))},
        )  # fmt: skip
        assert response.status_code == 302
        plan = Plan.objects.get(child=child)
        review_url = reverse("plan_review", args=[child.pk, plan.pk])
        assert "Victim awareness" in client.get(review_url).content.decode()
        response = client.post(
            review_url,
            {
                "objectives": "Progress made",
                "programme": "",
                **_date("completed_on", datetime.date(2024, 5, 1)),
            },
        )
        assert response.status_code == 302
        review = Plan.objects.get(is_review=True)
        assert review.reviews == plan and review.kind == plan.kind
        content = client.get(reverse("child_plans", args=[child.pk])).content.decode()
        assert (
            "Review of intervention plan" in content and "Intervention plan completed 1 Feb 2024" in content
        )

    def test_plan_bad_input(self, client, case_manager, child):
        """Bad input re-renders with the error summary and keeps what was typed."""
        client.force_login(case_manager)
        response = client.post(
            reverse("plan_add", args=[child.pk]),
            {"kind": "", "objectives": "Kept objectives", "completed_on_0": "30", "completed_on_1": "2",
             "completed_on_2": "2024", "programme": "abc"},
        )  # fmt: skip
        content = response.content.decode()
        assert response.status_code == 200 and "<title>Error:" in content
        assert "Choose the type of plan" in content and "Date completed must be a real date" in content
        assert "Kept objectives" in content
        assert not Plan.objects.exists()

    def test_record_unacceptable_failure_warns(
        self, client, case_manager, child, django_capture_on_commit_callbacks
    ):
        """Recording an unacceptable failure says it starts the compliance CMM timescale, and the page warns."""
        client.force_login(case_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("contact_add", args=[child.pk]),
                {"kind": "face_to_face", "is_appointment": "yes", "outcome": O.UNACCEPTABLE_FAILURE,
                 "explanation": "None given", "time": "10:00", "notes": "",
                 **_date("date", timezone.localdate() - datetime.timedelta(days=1))},
            )  # fmt: skip
        assert response.status_code == 302
        content = client.get(response["Location"]).content.decode()
        assert "starts the compliance CMM timescale" in content
        assert "A CMM for compliance must be held by" in content
        assert 'Number of unacceptable failures</dt><dd class="govuk-summary-list__value">1' in content

    def test_contact_bad_input(self, client, case_manager, child):
        """An empty or malformed contact re-renders with errors, never a 500."""
        client.force_login(case_manager)
        response = client.post(reverse("contact_add", args=[child.pk]), {})
        content = response.content.decode()
        assert response.status_code == 200 and "Choose the type of contact" in content
        assert 'href="#id_date_0"' in content and 'href="#id_kind_1"' in content
        response = client.post(
            reverse("contact_add", args=[child.pk]),
            {"kind": "phone", "is_appointment": "maybe", "outcome": O.KEPT, "time": "noon", "notes": "Kept notes",
             "date_0": "1", "date_1": "13", "date_2": "2024"},
        )  # fmt: skip
        content = response.content.decode()
        assert response.status_code == 200 and "Kept notes" in content
        assert "Enter a real time" in content and "Date must be a real date" in content
        assert not Contact.objects.exists()

    def test_record_outcome_through_view(self, client, case_manager, child):
        """A booked appointment's outcome is recorded from the contacts page's link."""
        contact = _contact(child, case_manager, date=datetime.date(2024, 3, 4), outcome=O.BOOKED)
        client.force_login(case_manager)
        url = reverse("contact_outcome", args=[child.pk, contact.pk])
        assert url in client.get(reverse("child_contacts", args=[child.pk])).content.decode()
        response = client.post(url, {"outcome": O.KEPT, "explanation": ""})
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.outcome == O.KEPT

    def test_period_form(self, client, case_manager, child):
        """A chosen period changes the summary; a malformed one shows an error and the default period."""
        _contact(
            child,
            case_manager,
            date=datetime.date(2024, 3, 4),
            outcome=O.ACCEPTABLE_FAILURE,
            explanation="Ill",
        )
        client.force_login(case_manager)
        url = reverse("child_contacts", args=[child.pk])
        params = {
            **_date("period_start", datetime.date(2024, 3, 1)),
            **_date("period_end", datetime.date(2024, 3, 31)),
        }
        content = client.get(url, params).content.decode()
        assert "from 1 March 2024 to 31 March 2024" in content and "Ill" in content
        response = client.get(url, {"period_start_0": "x", "period_start_1": "", "period_start_2": "",
                                    **_date("period_end", datetime.date(2024, 3, 31))})  # fmt: skip
        assert response.status_code == 200 and "From date must be a real date" in response.content.decode()
        response = client.get(url, {**params, **_date("period_end", datetime.date(2024, 2, 1))})
        assert "To date must be on or after the from date" in response.content.decode()

    @pytest.mark.parametrize("name", ["child_contacts", "child_plans"])
    def test_list_query_count_constant(self, client, case_manager, child, name):
        """The contacts and plans pages run the same number of queries for 5 rows as for 40."""
        client.force_login(case_manager)

        programme = ProgrammeFactory(child=child)
        first = _plan(child, case_manager, programme=programme)

        def add(n):
            for i in range(n):
                day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i)
                _contact(
                    child, case_manager, date=day, outcome=[O.KEPT, O.BOOKED, O.UNACCEPTABLE_FAILURE][i % 3]
                )
                _plan(
                    child, case_manager, completed_on=day, is_review=True, reviews=first, programme=programme
                )

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name, args=[child.pk])).status_code == 200
            return len(ctx.captured_queries)

        add(5)
        small = count()
        add(35)
        assert count() == small
