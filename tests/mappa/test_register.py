"""The MAPPA register (001 §8): visibility (TM/AP their team's, the service manager and the development
manager every record, anyone else 404), filters, constant queries, the XLSX and CSV exports, and the
quarterly share with the development manager's task."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Obligation, Role
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, UserFactory
from mappa.models import Criterion, MappaRecord, RegisterShare
from mappa.selectors import register as reg
from mappa.services import records as services
from meetings.models import Meeting, MeetingKind

HEADER = [h for h, _ in reg.COLUMNS]
COL = {key: i for i, (_, key) in enumerate(reg.COLUMNS)}  # a column's index by its key


def _today() -> datetime.date:
    return timezone.localdate()


def _record(child, user, *, criterion=Criterion.SCH15_CUSTODY, level=1, days_ago=30, form_h=False):
    """A MAPPA record made through the service (Form H sent the day after, if asked)."""
    record = services.mappa_record_create(
        child=child,
        user=user,
        criterion=criterion,
        offence="Robbery",
        identified_on=_today() - datetime.timedelta(days=days_ago),
        level=level,
        custody_months=24,
    )
    if form_h:
        services.mappa_form_h_record(
            record=record, user=user, sent_on=_today() - datetime.timedelta(days=days_ago - 1)
        )
        record.refresh_from_db()
    return record


@pytest.fixture
def dev_manager(service_manager):
    """The YJ development manager: sees the register, not the children's records."""
    return UserFactory(username="devmgr", role=Role.DEVELOPMENT_MANAGER, team=service_manager.team)


@pytest.fixture
def south_tm(south):
    """South's team manager."""
    return UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)


@pytest.fixture
def two_teams(child, team_manager, south, south_tm):
    """A North record (category 2, level 1, Form H sent) and a South one (category 1, level 2, no Form H)."""
    south_child = ChildFactory(team=south, first_name="Sam", last_name="Southchild")
    north = _record(child, team_manager, form_h=True)
    south_rec = _record(south_child, south_tm, criterion=Criterion.REGISTERED_SEXUAL_OFFENDER, level=2)
    return north, south_rec


@pytest.mark.django_db
class TestVisibility:
    def test_case_manager_and_outsider_get_404(self, client, case_manager, outsider, two_teams):
        """Anyone but TMs/APs, the SM and the development manager: 404 on every register URL."""
        for user in (case_manager, outsider):
            client.force_login(user)
            for name in ("mappa_register", "mappa_export_xlsx", "mappa_export_csv", "mappa_share"):
                assert client.get(reverse(name)).status_code == 404, name

    def test_team_manager_sees_own_team_only(self, client, team_manager, two_teams, child):
        """North's TM sees North's record, linked; not South's."""
        client.force_login(team_manager)
        html = client.get(reverse("mappa_register")).content.decode()
        assert child.case_number in html and "Southchild" not in html
        assert reverse("child_mappa", args=[child.pk]) in html
        assert reverse("mappa_share") not in html  # only the sharers record the share

    def test_service_manager_sees_all_linked(self, client, service_manager, two_teams):
        """The SM sees both, each linked to the child."""
        client.force_login(service_manager)
        html = client.get(reverse("mappa_register")).content.decode()
        for record in two_teams:
            assert reverse("child_mappa", args=[record.child_id]) in html

    def test_dev_manager_sees_rows_but_no_child_pages(self, client, dev_manager, two_teams):
        """The development manager sees every row, unlinked, and gets 404 on the children's pages."""
        client.force_login(dev_manager)
        html = client.get(reverse("mappa_register")).content.decode()
        for record in two_teams:
            assert record.child.case_number in html
            assert reverse("child_mappa", args=[record.child_id]) not in html
            assert client.get(reverse("child_mappa", args=[record.child_id])).status_code == 404
            assert client.get(reverse("child_detail", args=[record.child_id])).status_code == 404

    def test_ended_records_not_on_register(self, client, service_manager, two_teams, team_manager):
        """Only children still managed under MAPPA are on the register."""
        north, _ = two_teams
        services.mappa_record_end(record=north, user=team_manager, ended_on=_today(), reason="Ended")
        client.force_login(service_manager)
        html = client.get(reverse("mappa_register")).content.decode()
        assert north.child.case_number not in html and "1 child managed" in html

    def test_view_is_audited(self, client, service_manager, two_teams):
        """Looking at the register is audited."""
        client.force_login(service_manager)
        client.get(reverse("mappa_register"))
        assert AuditEntry.objects.filter(description="Viewed the MAPPA register: 2 rows").exists()


@pytest.mark.django_db
class TestFilters:
    def _codes(self, client, query: str) -> set[str]:
        """The case numbers on the register for a query string."""
        response = client.get(reverse("mappa_register") + query)
        assert response.status_code == 200
        return {row.values["case_number"] for row in response.context["rows"]}

    def test_filters(self, client, service_manager, two_teams, north, south):
        """Team, category, level, Form H outstanding; nonsense values are ignored, never a 500."""
        n, s = (r.child.case_number for r in two_teams)
        client.force_login(service_manager)
        assert self._codes(client, "") == {n, s}
        assert self._codes(client, f"?team={north.pk}") == {n}
        assert self._codes(client, f"?team={south.pk}") == {s}
        assert self._codes(client, "?category=1") == {s}
        assert self._codes(client, "?category=2") == {n}
        assert self._codes(client, "?level=2") == {s}
        assert self._codes(client, "?level=3") == set()
        assert self._codes(client, "?form_h=on") == {s}
        assert self._codes(client, "?category=2&level=1&form_h=on") == set()
        assert self._codes(client, "?team=abc&category=9&level=x&page=zz") == {n, s}

    def test_tm_cannot_filter_to_another_team(self, client, team_manager, two_teams, south):
        """A TM asking for another team's filter sees nothing of it."""
        client.force_login(team_manager)
        assert self._codes(client, f"?team={south.pk}") == {two_teams[0].child.case_number}

    def test_filters_carried_to_export_links(self, client, service_manager, two_teams):
        """The export links keep the filters."""
        client.force_login(service_manager)
        html = client.get(reverse("mappa_register") + "?category=1&form_h=on").content.decode()
        assert reverse("mappa_export_csv") + "?category=1&amp;form_h=on" in html

    def test_meetings_columns(self, client, service_manager, team_manager, two_teams, child):
        """Last held and next booked level 1 meetings, and the mappa.meeting due date."""
        start = timezone.now() - datetime.timedelta(days=7)
        held = Meeting.objects.create(
            child=child, kind=MeetingKind.MAPPA_LEVEL_1, status=Meeting.Status.FINALISED, starts_at=start,
            held_at=start, chair=team_manager, case_manager=team_manager, booked_by=team_manager,
        )  # fmt: skip
        Obligation.objects.create(
            child=child, code="mappa.meeting", title="MAPPA level 1 meeting held", status="overdue",
            due=_today() - datetime.timedelta(days=1), basis="001 §8", position=0, as_of=_today(),
        )  # fmt: skip
        client.force_login(service_manager)
        response = client.get(reverse("mappa_register"))
        (row,) = [r for r in response.context["rows"] if r.record.child_id == child.pk]
        assert row.values["last_meeting"] == timezone.localdate(start)
        assert row.values["next_due"] == _today() - datetime.timedelta(days=1)
        html = response.content.decode()
        assert reverse("meeting_detail", args=[child.pk, held.pk]) in html and "Overdue" in html


@pytest.mark.django_db
class TestQueries:
    def _count(self, client, url) -> int:
        """How many queries a GET of the page takes."""
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def _add(self, n, team, tm):
        """n more children with MAPPA records in a team."""
        for _ in range(n):
            _record(ChildFactory(team=team), tm, form_h=True)

    @pytest.mark.parametrize("who", ["service_manager", "team_manager", "dev_manager"])
    def test_register_queries_constant(self, client, request, who, north, south, team_manager, south_tm):
        """2 rows or 6 rows: the same number of queries (for each kind of viewer)."""
        user = request.getfixturevalue(who)
        self._add(1, north, team_manager)
        self._add(
            1, south if who != "team_manager" else north, south_tm if who != "team_manager" else team_manager
        )
        client.force_login(user)
        url = reverse("mappa_register")
        self._count(client, url)  # the first visit may create the development manager's task
        few = self._count(client, url)
        self._add(4, north, team_manager)
        assert self._count(client, url) == few

    def test_exports_queries_constant(self, client, service_manager, north, team_manager):
        """The exports take the same queries whatever the rows."""
        self._add(2, north, team_manager)
        client.force_login(service_manager)
        few = [self._count(client, reverse(n)) for n in ("mappa_export_xlsx", "mappa_export_csv")]
        self._add(4, north, team_manager)
        assert [self._count(client, reverse(n)) for n in ("mappa_export_xlsx", "mappa_export_csv")] == few

    def test_paginated(self, client, service_manager, north, team_manager):
        """More records than a page holds are split into pages."""
        self._add(27, north, team_manager)
        client.force_login(service_manager)
        response = client.get(reverse("mappa_register"))
        assert len(response.context["rows"]) == 25 and "27 children" in response.content.decode()
        assert len(client.get(reverse("mappa_register") + "?page=2").context["rows"]) == 2


@pytest.mark.django_db
class TestExports:
    def test_xlsx_opens_with_header_and_rows(self, client, service_manager, two_teams):
        """openpyxl opens it: bold header, one row per record, dates as dates, the sheet named."""
        from openpyxl import load_workbook

        north, south = two_teams
        client.force_login(service_manager)
        response = client.get(reverse("mappa_export_xlsx"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert f'filename="mappa-register-{_today():%Y-%m-%d}.xlsx"' in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        sheet = book["MAPPA register"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER and sheet["A1"].font.bold
        assert len(rows) == 3
        by_number = {r[1]: r for r in rows[1:]}
        row = by_number[north.child.case_number]
        assert row[COL["name"]] == north.child.full_name
        assert row[COL["category"]] == 2 and row[COL["level"]] == 1
        assert row[COL["criterion"]] == Criterion.SCH15_CUSTODY.label
        assert row[COL["identified_on"]].date() == north.identified_on  # a real date cell
        assert row[COL["form_h_sent_on"]].date() == north.form_h_sent_on
        assert row[COL["team"]] == north.child.team.name
        # What the MAPPA unit needs (001 §8): index offence, date of birth, gender, custody.
        assert row[COL["offence"]] == "Robbery"
        assert row[COL["date_of_birth"]].date() == north.child.date_of_birth
        assert row[COL["gender"]] == north.child.get_gender_identity_display()
        assert row[COL["custody_months"]] == 24
        assert by_number[south.child.case_number][COL["form_h_sent_on"]] is None  # Form H outstanding
        assert sheet.column_dimensions["G"].width > 20
        assert AuditEntry.objects.filter(description="Exported the MAPPA register: 2 rows (XLSX)").exists()

    def test_csv_same_rows(self, client, service_manager, two_teams):
        """The CSV has the same header and rows (dates ISO)."""
        north, _ = two_teams
        client.force_login(service_manager)
        response = client.get(reverse("mappa_export_csv"))
        assert f'filename="mappa-register-{_today():%Y-%m-%d}.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == HEADER and len(rows) == 3
        by_number = {r[1]: r for r in rows[1:]}
        assert by_number[north.child.case_number][COL["identified_on"]] == north.identified_on.isoformat()
        assert (
            by_number[north.child.case_number][COL["date_of_birth"]] == north.child.date_of_birth.isoformat()
        )
        assert AuditEntry.objects.filter(description="Exported the MAPPA register: 2 rows (CSV)").exists()

    def test_exports_follow_filters_and_visibility(self, client, team_manager, two_teams, child):
        """A TM's export holds their team's rows; filters apply."""
        client.force_login(team_manager)
        rows = list(
            csv.reader(io.StringIO(client.get(reverse("mappa_export_csv")).content.decode("utf-8-sig")))
        )
        assert [r[1] for r in rows[1:]] == [child.case_number]
        rows = list(
            csv.reader(
                io.StringIO(client.get(reverse("mappa_export_csv") + "?level=2").content.decode("utf-8-sig"))
            )
        )
        assert rows == [HEADER]

    def test_csv_neutralises_formulae(self, client, service_manager, north, team_manager):
        """A name starting with = is not a formula in a spreadsheet."""
        _record(ChildFactory(team=north, first_name="=SUM(A1)", last_name="X"), team_manager)
        client.force_login(service_manager)
        text = client.get(reverse("mappa_export_csv")).content.decode("utf-8-sig")
        assert "'=SUM(A1) X" in text


@pytest.mark.django_db
class TestShare:
    def test_dev_manager_gets_task_on_register(self, client, dev_manager):
        """Opening the register gives the development manager the quarter's task (once)."""
        client.force_login(dev_manager)
        client.get(reverse("mappa_register"))
        client.get(reverse("mappa_register"))
        task = Task.objects.get(assignee=dev_manager)
        assert task.source == f"mappa-share:{reg.quarter_of(_today())}"
        assert task.due == reg.quarter_due(reg.quarter_of(_today()))

    def test_record_share(self, client, dev_manager, two_teams):
        """The form records the share for the quarter, with the rows now; the task is done; audited."""
        client.force_login(dev_manager)
        client.get(reverse("mappa_register"))
        quarter = reg.quarter_of(_today())
        html = client.get(reverse("mappa_share")).content.decode()
        assert quarter in html and reg.previous_quarter(quarter) in html
        response = client.post(
            reverse("mappa_share"),
            {"quarter": quarter, "shared_on_0": _today().day, "shared_on_1": _today().month,
             "shared_on_2": _today().year},
        )  # fmt: skip
        assert response.status_code == 302
        share = RegisterShare.objects.get(quarter=quarter)
        assert share.rows == 2 and share.shared_by == dev_manager
        assert Task.objects.get(assignee=dev_manager).done_on == _today()
        html = client.get(reverse("mappa_register")).content.decode()
        assert "Shared with the MAPPA unit for" in html

    def test_share_errors_keep_input(self, client, service_manager):
        """No quarter and a future date: the summary names both; the typed day is kept."""
        client.force_login(service_manager)
        future = _today() + datetime.timedelta(days=400)
        html = client.post(
            reverse("mappa_share"),
            {"shared_on_0": future.day, "shared_on_1": future.month, "shared_on_2": future.year},
        ).content.decode()
        assert "Choose the quarter" in html and "Date shared must be today or in the past" in html
        assert f'value="{future.year}"' in html
        assert not RegisterShare.objects.exists()

    def test_team_manager_cannot_share(self, client, team_manager):
        """Team managers see the register but do not record the share."""
        client.force_login(team_manager)
        assert client.get(reverse("mappa_share")).status_code == 404
        assert client.post(reverse("mappa_share"), {"quarter": "2026-Q4"}).status_code == 404

    def test_both_quarters_done(self, client, dev_manager):
        """When this and the last quarter are recorded the form is not offered."""
        quarter = reg.quarter_of(_today())
        for q in (quarter, reg.previous_quarter(quarter)):
            RegisterShare.objects.create(quarter=q, shared_on=_today(), shared_by=dev_manager)
        client.force_login(dev_manager)
        html = client.get(reverse("mappa_share")).content.decode()
        assert "already recorded" in html
        assert client.post(reverse("mappa_share"), {"quarter": quarter}).status_code == 200


@pytest.mark.django_db
def test_register_matches_records(client, service_manager, north, team_manager):
    """Every open MAPPA record is a register row, with the record's category and level."""
    records = [_record(ChildFactory(team=north), team_manager, level=lv) for lv in (1, 2, 3)]
    client.force_login(service_manager)
    rows = client.get(reverse("mappa_register")).context["rows"]
    assert {(r.record.pk, r.values["level"], r.values["category"]) for r in rows} == {
        (r.pk, r.current_level, r.category)
        for r in MappaRecord.objects.filter(pk__in=[x.pk for x in records])
    }
