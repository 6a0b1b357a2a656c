"""Programmes and orders: services, per-kind validation and views (001 §6 timescales table)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.forms.programmes import ProgrammeCloseForm, ProgrammeForm
from cases.models import Event, EventType, Obligation, Programme
from cases.rules import compute
from cases.services import programmes as programme_services
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory

K = Programme.Kind
TODAY = datetime.date.today


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _rules_due(facts: list[dict]) -> dict[str, str | None]:
    """Due dates by code as the rules module computes them for these facts, as of today."""
    result = compute(
        {"policy": settings.POLICY_PROFILE, "as_of": timezone.localdate().isoformat(), "facts": facts}
    )
    return {o["code"]: o["due"] for o in result["obligations"]}


@pytest.mark.django_db
class TestProgrammeServices:
    def test_yro_is_audited_evented_and_drives_obligations(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """Adding a YRO writes an audit entry and a sourced event, and stores the 001 §6 YRO obligations."""
        start = datetime.date(2024, 1, 8)
        with django_capture_on_commit_callbacks(execute=True):
            programme = programme_services.programme_create(
                child=child, user=case_manager, kind=K.YRO, start_date=start, length_months=12
            )
        assert programme.created_by == case_manager
        assert AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_type="programme", object_id=str(programme.pk), child=child
        ).exists()
        event = Event.objects.get(child=child, source=f"programme:{programme.pk}")
        assert event.event_type == EventType.PROGRAMME and event.occurred_on == start
        expected = _rules_due(
            [
                {
                    "type": "programme_started",
                    "programme": "yro",
                    "date": start.isoformat(),
                    "length_months": 12,
                }
            ]
        )
        stored = {o.code: o for o in Obligation.objects.filter(child=child)}
        for code in ("assetplus.gatekeep", "assetplus.due", "plan.intervention"):
            assert stored[code].due.isoformat() == expected[code], code

    def test_fields_that_do_not_apply_are_cleared(self, child, case_manager):
        """A remand keeps none of the other kinds' fields, even if the caller passes them."""
        programme = programme_services.programme_create(
            child=child,
            user=case_manager,
            kind=K.REMAND,
            start_date=datetime.date(2024, 3, 4),
            length_months=6,
            court_date=datetime.date(2024, 4, 1),
            iss=True,
            custody_threshold=True,
            custody_months=3,
        )
        programme.refresh_from_db()
        assert programme.length_months is None and programme.court_date is None
        assert programme.iss is False and programme.custody_threshold is False
        assert programme.custody_months is None

    def test_close_is_audited_and_evented(self, child, case_manager, django_capture_on_commit_callbacks):
        """Closing sets the end date and reason, audits it, writes an event, and recomputes obligations."""
        programme = ProgrammeFactory(child=child, kind=K.YRO, start_date=datetime.date(2024, 1, 8))
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.programme_close(
                programme=programme,
                user=case_manager,
                end_date=datetime.date(2024, 6, 3),
                closure_reason=Programme.ClosureReason.COMPLETED,
            )
        programme.refresh_from_db()
        assert programme.end_date == datetime.date(2024, 6, 3) and programme.closure_reason == "completed"
        assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_type="programme").exists()
        assert Event.objects.filter(
            source=f"programme:{programme.pk}", occurred_on=programme.end_date
        ).exists()
        assert Obligation.objects.filter(child=child).exists()

    def test_cannot_close_twice_or_before_start(self, child, case_manager):
        """A closed programme cannot be closed again, and the end cannot precede the start."""
        programme = ProgrammeFactory(child=child, start_date=datetime.date(2024, 1, 8))
        with pytest.raises(ValueError):
            programme_services.programme_close(
                programme=programme,
                user=case_manager,
                end_date=datetime.date(2024, 1, 1),
                closure_reason="other",
            )
        programme_services.programme_close(
            programme=programme,
            user=case_manager,
            end_date=datetime.date(2024, 2, 1),
            closure_reason="completed",
        )
        with pytest.raises(ValueError):
            programme_services.programme_close(
                programme=programme,
                user=case_manager,
                end_date=datetime.date(2024, 3, 1),
                closure_reason="other",
            )


def _programme_data(kind, start=datetime.date(2024, 1, 8), **extra) -> dict:
    """POST data for the add-programme form."""
    data = {"kind": kind, **_date("start_date", start)}
    for key, value in extra.items():
        data.update(_date(key, value) if isinstance(value, datetime.date) else {key: value})
    return data


@pytest.mark.django_db
class TestProgrammeForm:
    def test_psr_needs_court_date(self, child):
        """001 §6 table: a PSR's gatekeeping counts back from the court date, so it is required."""
        form = ProgrammeForm(_programme_data(K.PSR), child=child)
        assert not form.is_valid()
        assert form.errors["court_date"] == ["Enter the court date for the pre-sentence report"]

    def test_psr_court_date_not_before_request(self, child):
        """The court date cannot come before the date the report was requested."""
        form = ProgrammeForm(_programme_data(K.PSR, court_date=datetime.date(2024, 1, 1)), child=child)
        assert not form.is_valid() and "court_date" in form.errors

    @pytest.mark.parametrize("kind", [K.REFERRAL_ORDER, K.YRO, K.DTO_CUSTODY])
    def test_statutory_orders_need_length(self, child, kind):
        """Referral Orders, YROs and DTOs need their length (cmm.risk_review counts on it, 001 §6.2)."""
        form = ProgrammeForm(_programme_data(kind, custody_months="6"), child=child)
        assert not form.is_valid()
        assert form.errors["length_months"][0].startswith("Enter the length of the")

    def test_referral_order_length_range(self, child):
        """A Referral Order is 3 to 12 months long."""
        form = ProgrammeForm(_programme_data(K.REFERRAL_ORDER, length_months="18"), child=child)
        assert not form.is_valid() and "between 3 and 12" in form.errors["length_months"][0]

    def test_referral_order_panel_after_sentence(self, child):
        """The initial panel is on or after the sentence."""
        form = ProgrammeForm(
            _programme_data(K.REFERRAL_ORDER, length_months="6", panel_date=datetime.date(2024, 1, 1)),
            child=child,
        )
        assert not form.is_valid() and "panel_date" in form.errors

    def test_dto_custody_rules(self, child):
        """A DTO needs its custodial part, no longer than the order, and a release after sentence."""
        form = ProgrammeForm(_programme_data(K.DTO_CUSTODY, length_months="8"), child=child)
        assert not form.is_valid() and "custody_months" in form.errors
        form = ProgrammeForm(
            _programme_data(
                K.DTO_CUSTODY, length_months="8", custody_months="10", release_date=datetime.date(2024, 1, 8)
            ),
            child=child,
        )
        assert not form.is_valid()
        assert "custody_months" in form.errors and "release_date" in form.errors

    def test_valid_yro_with_iss(self, child):
        """A YRO with ISS and a length is valid; fields of other kinds are cleared, even if mistyped."""
        data = _programme_data(K.YRO, length_months="12", iss="on")
        data.update({"court_date_0": "x", "court_date_1": "", "court_date_2": "", "custody_months": "abc"})
        form = ProgrammeForm(data, child=child)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["iss"] is True
        assert form.cleaned_data["court_date"] is None and form.cleaned_data["custody_months"] is None

    def test_non_applicable_fields_are_cleared(self, child):
        """A remand with a length and ISS ticked saves neither."""
        form = ProgrammeForm(_programme_data(K.REMAND, length_months="6", iss="on"), child=child)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["length_months"] is None and form.cleaned_data["iss"] is False

    @pytest.mark.parametrize(
        "parts, message",
        [
            (("31", "2", "2024"), "Start date must be a real date"),
            (("a", "b", "c"), "Start date must be a real date"),
            (("1", "1", "99999"), "Start date must be"),
            (("1", "1", "1850"), "Start date must be between"),
            (("", "", ""), "Enter the start date"),
        ],
    )
    def test_bad_start_dates_are_errors(self, child, parts, message):
        """Malformed dates are GOV.UK errors, never exceptions."""
        data = {
            "kind": K.REMAND,
            "start_date_0": parts[0],
            "start_date_1": parts[1],
            "start_date_2": parts[2],
        }
        form = ProgrammeForm(data, child=child)
        assert not form.is_valid()
        assert any(e.startswith(message) for e in form.errors["start_date"]), form.errors

    def test_start_not_in_future_or_before_birth(self, child):
        """The start date is today or earlier, and after the child's birth."""
        form = ProgrammeForm(
            _programme_data(K.REMAND, start=TODAY() + datetime.timedelta(days=2)), child=child
        )
        assert not form.is_valid() and "today or in the past" in form.errors["start_date"][0]
        form = ProgrammeForm(
            _programme_data(K.REMAND, start=child.date_of_birth - datetime.timedelta(days=1)), child=child
        )
        assert not form.is_valid() and "date of birth" in form.errors["start_date"][0]

    def test_kind_required(self, child):
        """No kind chosen is a GOV.UK error linked to the first radio."""
        form = ProgrammeForm({"start_date_0": "1", "start_date_1": "2", "start_date_2": "2024"}, child=child)
        assert not form.is_valid()
        assert ("#id_kind_1", "Choose the programme or order") in form.error_links()


@pytest.mark.django_db
class TestProgrammeCloseForm:
    def test_end_date_rules(self, child):
        """The end is not before the start nor in the future; "Other" needs notes."""
        programme = ProgrammeFactory(child=child, start_date=datetime.date(2024, 1, 8))
        form = ProgrammeCloseForm(
            {**_date("end_date", datetime.date(2024, 1, 1)), "closure_reason": "completed"},
            programme=programme,
        )
        assert not form.is_valid() and "on or after the start date" in form.errors["end_date"][0]
        form = ProgrammeCloseForm(
            {**_date("end_date", TODAY() + datetime.timedelta(days=1)), "closure_reason": "completed"},
            programme=programme,
        )
        assert not form.is_valid() and "today or in the past" in form.errors["end_date"][0]
        form = ProgrammeCloseForm(
            {**_date("end_date", datetime.date(2024, 2, 1)), "closure_reason": "other"}, programme=programme
        )
        assert not form.is_valid() and "closure_notes" in form.errors


@pytest.mark.django_db
class TestProgrammeViews:
    def test_outsider_gets_404(self, client, outsider, child):
        """Someone outside the child's team gets 404 on every programme page, GET and POST."""
        programme = ProgrammeFactory(child=child)
        client.force_login(outsider)
        for url in (
            reverse("child_programmes", args=[child.pk]),
            reverse("programme_add", args=[child.pk]),
            reverse("programme_close", args=[child.pk, programme.pk]),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, _programme_data(K.YRO, length_months="12")).status_code == 404, url
        assert not Programme.objects.filter(child=child).exclude(pk=programme.pk).exists()

    def test_other_childs_or_closed_programme_is_404(self, client, case_manager, child):
        """A programme of another child, or one already closed, cannot be closed through this page."""
        other = ProgrammeFactory(child=ChildFactory(team=child.team))
        closed = ProgrammeFactory(child=child, end_date=datetime.date(2024, 6, 1), closure_reason="completed")
        client.force_login(case_manager)
        assert client.get(reverse("programme_close", args=[child.pk, other.pk])).status_code == 404
        assert client.get(reverse("programme_close", args=[child.pk, closed.pk])).status_code == 404

    def test_list_open_first_and_audited(self, client, case_manager, child):
        """The list shows open programmes before closed ones, with a close link for the open only."""
        closed = ProgrammeFactory(
            child=child,
            kind=K.REFERRAL_ORDER,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 6, 1),
            closure_reason="completed",
        )
        ProgrammeFactory(
            child=child,
            kind=K.PSR,
            start_date=datetime.date(2024, 1, 2),
            court_date=datetime.date(2024, 2, 1),
        )
        client.force_login(case_manager)
        response = client.get(reverse("child_programmes", args=[child.pk]))
        content = response.content.decode()
        assert response.status_code == 200
        assert content.index("Pre-sentence report") < content.index("Referral Order")
        assert "1 February 2024" in content
        assert reverse("programme_close", args=[child.pk, closed.pk]) not in content
        assert AuditEntry.objects.filter(user=case_manager, action="view", child=child).exists()

    def test_add_redirects_to_what_is_due(
        self, client, case_manager, child, django_capture_on_commit_callbacks
    ):
        """Adding a programme shows the child's due dates, now including its timescales."""
        client.force_login(case_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("programme_add", args=[child.pk]), _programme_data(K.YRO, length_months="12")
            )
        assert response.status_code == 302
        assert response["Location"] == reverse("child_obligations", args=[child.pk])
        page = client.get(response["Location"]).content.decode()
        assert "Youth Rehabilitation Order added" in page
        assert Obligation.objects.filter(child=child, code="plan.intervention").exists()

    def test_bad_input_rerenders_with_errors(self, client, case_manager, child):
        """Bad input re-renders the form with the error summary and what was typed."""
        client.force_login(case_manager)
        response = client.post(
            reverse("programme_add", args=[child.pk]),
            {"kind": K.PSR, "start_date_0": "8", "start_date_1": "1", "start_date_2": "2024"},
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content and "<title>Error:" in content
        assert 'href="#id_court_date_0"' in content and "Enter the court date" in content
        assert 'value="2024"' in content
        assert not Programme.objects.filter(child=child).exists()

    def test_close_through_view(self, client, case_manager, child):
        """Closing from the browser records the end and returns to the list."""
        programme = ProgrammeFactory(child=child, start_date=datetime.date(2024, 1, 8))
        client.force_login(case_manager)
        url = reverse("programme_close", args=[child.pk, programme.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                **_date("end_date", datetime.date(2024, 3, 1)),
                "closure_reason": "breached",
                "closure_notes": "",
            },
        )
        assert response.status_code == 302
        programme.refresh_from_db()
        assert programme.end_date == datetime.date(2024, 3, 1) and programme.closure_reason == "breached"

    def test_close_bad_input(self, client, case_manager, child):
        """A malformed end date re-renders with an error, not a 500."""
        programme = ProgrammeFactory(child=child, start_date=datetime.date(2024, 1, 8))
        client.force_login(case_manager)
        response = client.post(
            reverse("programme_close", args=[child.pk, programme.pk]),
            {"end_date_0": "99", "end_date_1": "99", "end_date_2": "2024", "closure_reason": "nonsense"},
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "End date must be a real date" in content and "Choose why the programme ended" in content
        programme.refresh_from_db()
        assert programme.end_date is None

    def test_list_query_count_constant(self, client, case_manager, child):
        """The programmes page runs the same number of queries for 3 programmes as for 20."""
        client.force_login(case_manager)
        ProgrammeFactory.create_batch(3, child=child, created_by=case_manager)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("child_programmes", args=[child.pk])).status_code == 200
            return len(ctx.captured_queries)

        small = count()
        ProgrammeFactory.create_batch(17, child=child, created_by=case_manager)
        assert count() == small
