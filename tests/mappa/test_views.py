"""The child's MAPPA tab and its forms (001 §8): who sees and who changes them, error summaries that keep
the user's input, the level 1 link to the CMM booking, and the MAPPA level 1 meetings listed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Obligation, Role
from core.models import AuditEntry
from demo.factories import UserFactory
from mappa.models import Criterion, MappaRecord
from mappa.services import records as services
from meetings.models import Meeting, MeetingKind
from tests.browser.conftest import assert_accessible, browser, page  # noqa: F401


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _today() -> datetime.date:
    return timezone.localdate()


def _record(child, user, *, level=1, days_ago=30) -> MappaRecord:
    """A MAPPA record made through the service."""
    return services.mappa_record_create(
        child=child,
        user=user,
        criterion=Criterion.SCH15_CUSTODY,
        offence="Robbery",
        identified_on=_today() - datetime.timedelta(days=days_ago),
        level=level,
        custody_months=24,
    )


def _meeting(child, tm, *, status=Meeting.Status.BOOKED, days=14, minutes_sent=None) -> Meeting:
    """A MAPPA level 1 meeting row (the CMM machinery's)."""
    starts = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(
        child=child,
        kind=MeetingKind.MAPPA_LEVEL_1,
        status=status,
        starts_at=starts,
        held_at=starts if status != Meeting.Status.BOOKED else None,
        chair=tm,
        case_manager=child.case_manager,
        booked_by=tm,
        mappa_minutes_sent_on=minutes_sent,
    )


@pytest.mark.django_db
class TestChildTab:
    def test_outsider_gets_404_everywhere(self, client, outsider, child, team_manager):
        """A worker of another team cannot see or change the child's MAPPA record."""
        record = _record(child, team_manager)
        client.force_login(outsider)
        for name, args in [
            ("child_mappa", [child.pk]),
            ("mappa_record_new", [child.pk]),
            ("mappa_form_h", [child.pk, record.pk]),
            ("mappa_level_set", [child.pk, record.pk]),
            ("mappa_end", [child.pk, record.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404, name
            assert client.post(reverse(name, args=args), {}).status_code == 404, name

    def test_case_manager_reads_but_cannot_change(self, client, case_manager, child, team_manager):
        """The case manager sees the tab without buttons; the forms are 404 for them."""
        record = _record(child, team_manager)
        client.force_login(case_manager)
        html = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
        assert "Category 2: violent or other sexual offender" in html and "Change the level" not in html
        assert client.get(reverse("mappa_level_set", args=[child.pk, record.pk])).status_code == 404
        assert client.get(reverse("mappa_record_new", args=[child.pk])).status_code == 404

    def test_record_of_another_child_is_404(self, client, team_manager, child, north):
        """A record id from another child's URL is not found."""
        from demo.factories import ChildFactory

        other = ChildFactory(team=north, case_manager=child.case_manager)
        record = _record(other, team_manager)
        client.force_login(team_manager)
        assert client.get(reverse("mappa_form_h", args=[child.pk, record.pk])).status_code == 404
        assert client.get(reverse("mappa_form_h", args=[child.pk, 99999])).status_code == 404

    def test_tab_shows_record_history_obligations_meetings_and_is_audited(self, client, child, team_manager):
        """Record, level history, mappa.* obligations and level 1 meetings (with minutes sent)."""
        record = _record(child, team_manager, level=2, days_ago=60)
        services.mappa_level_set(
            record=record,
            user=team_manager,
            level=1,
            set_on=_today() - datetime.timedelta(days=20),
            reason="Reduced",
        )
        held = _meeting(child, team_manager, status=Meeting.Status.FINALISED, days=-10, minutes_sent=_today())
        Obligation.objects.create(
            child=child, code="mappa.meeting", title="MAPPA level 1 meeting held (CMM timescales)",
            due=_today() + datetime.timedelta(days=50), status="open", basis="001 §8", position=0, as_of=_today(),
        )  # fmt: skip
        client.force_login(team_manager)
        response = client.get(reverse("child_mappa", args=[child.pk]))
        html = response.content.decode()
        assert response.context["tab"] == "mappa"
        assert "Robbery" in html and "Not sent yet" in html
        assert html.count("Level 2") >= 1 and "Reduced" in html
        assert "MAPPA level 1 meeting held (CMM timescales)" in html
        assert reverse("meeting_detail", args=[child.pk, held.pk]) in html
        assert _today().strftime("%-d %b %Y") in html
        book = reverse("meeting_book", args=[child.pk]) + "?kind=mappa_level_1&amp;obligation=mappa.meeting"
        assert book in html
        assert AuditEntry.objects.filter(child=child, action="view", description="Viewed MAPPA").exists()

    def test_no_book_link_when_booked_or_level_2(self, client, child, team_manager):
        """A booked level 1 meeting is shown instead of the book button; level 2 says who chairs."""
        record = _record(child, team_manager, level=1)
        booked = _meeting(child, team_manager)
        client.force_login(team_manager)
        html = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
        assert "Book a MAPPA level 1 meeting" not in html
        assert "Next meeting booked" in html and reverse("meeting_detail", args=[child.pk, booked.pk]) in html
        services.mappa_level_set(
            record=record, user=team_manager, level=2, set_on=_today(), reason="Escalated"
        )
        html = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
        assert "chaired by the MAPPA co-ordinator" in html

    def test_not_managed_shows_record_button_for_manager(self, client, child, team_manager):
        """No record: a manager is offered to record eligibility."""
        client.force_login(team_manager)
        html = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
        assert "not managed under MAPPA" in html and reverse("mappa_record_new", args=[child.pk]) in html


@pytest.mark.django_db
class TestRecordNew:
    def test_form_shows_criteria_with_categories_and_mcu_email(self, client, child, team_manager, settings):
        """The criteria as radios, each hinting its category; the MCU's secure email shown."""
        settings.MAPPA_UNIT_EMAIL = "mcu@police.invalid"
        client.force_login(team_manager)
        html = client.get(reverse("mappa_record_new", args=[child.pk])).content.decode()
        assert 'value="hospital_order"' in html and "Category 3: other dangerous offender" in html
        assert "mcu@police.invalid" in html

    def test_creates_record_and_redirects(
        self, client, child, team_manager, django_capture_on_commit_callbacks
    ):
        """A valid form creates the record with its category and first level; obligations refreshed."""
        client.force_login(team_manager)
        data = {
            "criterion": "rso",
            "offence": "Sexual assault",
            **_date("identified_on", _today()),
            "level": "1",
            "notes": "",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("mappa_record_new", args=[child.pk]), data)
        assert response.status_code == 302 and response.url == reverse("child_mappa", args=[child.pk])
        record = MappaRecord.objects.get(child=child)
        assert (record.category, record.current_level, record.offence) == (1, 1, "Sexual assault")
        assert child.obligations.filter(code="mappa.form_h").exists()

    def test_errors_keep_input(self, client, child, team_manager):
        """A missing criterion and a future date: error summary, the typed offence kept."""
        client.force_login(team_manager)
        future = _today() + datetime.timedelta(days=3)
        data = {"offence": "Typed offence text", **_date("identified_on", future), "level": "2"}
        response = client.post(reverse("mappa_record_new", args=[child.pk]), data)
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Choose the MAPPA eligibility criterion" in html
        assert "Date identified as eligible must be today or in the past" in html
        assert 'value="Typed offence text"' in html
        assert not MappaRecord.objects.exists()

    def test_category_shown_when_criterion_chosen(self, client, child, team_manager):
        """With a criterion chosen but an error elsewhere, the page says which category it gives."""
        client.force_login(team_manager)
        response = client.post(reverse("mappa_record_new", args=[child.pk]), {"criterion": "other_dangerous"})
        assert "category 3: other dangerous offender" in response.content.decode()

    def test_second_open_record_refused_in_summary(self, client, child, team_manager):
        """The service's refusal shows in the error summary; GET redirects to the tab."""
        _record(child, team_manager)
        client.force_login(team_manager)
        assert client.get(reverse("mappa_record_new", args=[child.pk])).status_code == 302
        data = {"criterion": "rso", "offence": "X", **_date("identified_on", _today()), "level": "1"}
        html = client.post(reverse("mappa_record_new", args=[child.pk]), data).content.decode()
        assert "already has an open MAPPA record" in html and 'value="X"' in html


@pytest.mark.django_db
class TestFormHLevelEnd:
    def test_form_h(self, client, child, team_manager, settings):
        """Form H date recorded; the MCU's email shown on the form."""
        settings.MAPPA_UNIT_EMAIL = "mcu@police.invalid"
        record = _record(child, team_manager)
        client.force_login(team_manager)
        url = reverse("mappa_form_h", args=[child.pk, record.pk])
        assert "mcu@police.invalid" in client.get(url).content.decode()
        assert client.post(url, _date("sent_on", _today())).status_code == 302
        record.refresh_from_db()
        assert record.form_h_sent_on == _today()

    def test_form_h_errors(self, client, child, team_manager):
        """Before identification: the service's message in the summary; nonsense date: a field error."""
        record = _record(child, team_manager, days_ago=5)
        client.force_login(team_manager)
        url = reverse("mappa_form_h", args=[child.pk, record.pk])
        html = client.post(url, _date("sent_on", _today() - datetime.timedelta(days=10))).content.decode()
        assert "on or after the date identified" in html
        html = client.post(url, {"sent_on_0": "40", "sent_on_1": "13", "sent_on_2": "2026"}).content.decode()
        assert "Date Form H was sent must be a real date" in html and 'value="40"' in html

    def test_level_change_to_2_and_back_to_1(self, client, child, team_manager):
        """Level changes are kept; the current level is offered no more; level 1 points to booking."""
        record = _record(child, team_manager, level=1)
        client.force_login(team_manager)
        url = reverse("mappa_level_set", args=[child.pk, record.pk])
        html = client.get(url).content.decode()
        assert "Level 1: managed by the YJS through CMM procedures" not in html  # the current level
        assert "Level 2: multi-agency, chaired by the MAPPA co-ordinator" in html
        response = client.post(
            url, {"level": "2", **_date("set_on", _today()), "reason": "Needs MAPPA input"}
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.current_level == 2
        response = client.post(
            url, {"level": "1", **_date("set_on", _today()), "reason": "Reduced"}, follow=True
        )
        assert "book the MAPPA level 1 meeting" in response.content.decode()
        assert record.levels.count() == 3

    def test_level_errors_keep_reason(self, client, child, team_manager):
        """No level chosen: the summary names it and the typed reason is kept."""
        record = _record(child, team_manager)
        client.force_login(team_manager)
        url = reverse("mappa_level_set", args=[child.pk, record.pk])
        html = client.post(url, {**_date("set_on", _today()), "reason": "My reason text"}).content.decode()
        assert "Choose the MAPPA management level" in html and "My reason text" in html

    def test_end(self, client, child, team_manager):
        """Ending keeps the record (shown under earlier records); its pages are then 404."""
        record = _record(child, team_manager)
        client.force_login(team_manager)
        url = reverse("mappa_end", args=[child.pk, record.pk])
        html = client.post(url, _date("ended_on", _today())).content.decode()
        assert "Enter why the child is no longer managed under MAPPA" in html
        assert client.post(url, {**_date("ended_on", _today()), "reason": "Order ended"}).status_code == 302
        html = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
        assert "Earlier MAPPA records" in html and "Order ended" in html
        assert client.get(url).status_code == 404

    def test_service_manager_may_change(self, client, child, team_manager, service_manager):
        """The service manager may keep the record too."""
        record = _record(child, team_manager)
        client.force_login(service_manager)
        assert client.get(reverse("mappa_level_set", args=[child.pk, record.pk])).status_code == 200

    def test_other_team_manager_404(self, client, child, team_manager, south):
        """Another team's manager cannot even see the child."""
        record = _record(child, team_manager)
        other = UserFactory(role=Role.TEAM_MANAGER, team=south)
        client.force_login(other)
        assert client.get(reverse("mappa_end", args=[child.pk, record.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Every page in a real browser, with axe-core (WCAG 2.2 AA), including its error states


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
class TestPagesAccessible:
    def _sign_in(self, tab, live_server, username):
        """Sign in through the form."""
        tab.goto(f"{live_server.url}/sign-in/")
        tab.get_by_label("Username").fill(username)
        tab.get_by_label("Password").fill("correct-horse-battery")
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(lambda url: "/sign-in/" not in url)

    def _check(self, tab, url, button=None, errors=True):
        """Open the page (and submit it as it stands when a button is named) and run axe-core on it."""
        tab.goto(url)
        assert_accessible(tab)
        if button:
            tab.get_by_role("button", name=button).first.click()
            tab.wait_for_load_state()
            assert ("There is a problem" in tab.content()) == errors
            assert_accessible(tab)

    def test_mappa_pages_are_axe_clean(self, live_server, page, child, team_manager, service_manager):  # noqa: F811
        """The MAPPA tab (empty and with a record), every form with its errors, the register and the
        share page."""
        self._sign_in(page, live_server, "tm")
        base = live_server.url
        self._check(page, base + reverse("child_mappa", args=[child.pk]))
        self._check(
            page, base + reverse("mappa_record_new", args=[child.pk]), button="Record MAPPA eligibility"
        )
        record = _record(child, team_manager)
        _meeting(child, team_manager)
        self._check(page, base + reverse("child_mappa", args=[child.pk]))
        self._check(page, base + reverse("mappa_form_h", args=[child.pk, record.pk]))
        self._check(
            page, base + reverse("mappa_level_set", args=[child.pk, record.pk]), button="Change the level"
        )
        self._check(
            page, base + reverse("mappa_end", args=[child.pk, record.pk]), button="End MAPPA management"
        )
        self._check(page, base + reverse("mappa_register"))
        page.context.clear_cookies()
        self._sign_in(page, live_server, "sm")
        self._check(page, base + reverse("mappa_register") + "?form_h=on")
        # The share form comes filled in (this quarter, today): submitting it records the share.
        self._check(page, base + reverse("mappa_share"), button="Record the share", errors=False)
        assert "Shared with the MAPPA unit for" in page.content()
