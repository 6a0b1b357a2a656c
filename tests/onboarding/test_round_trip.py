"""The round trip (issue 22): a seeded demo exported in the import format and imported into an empty
database gives every child the same obligations, and the same caseloads and dashboard figures."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from cases.models import (
    Child,
    Obligation,
    ObligationMonth,
    ObligationMonthStale,
    StaffChange,
    Team,
    User,
)
from cases.services import child_obligations_refresh, worker_obligations_refresh
from cases.services.rollup import months_rebuild_all, period_rows
from core.models import AuditEntry
from dashboards.team import caseload_by_worker, overdue_by_code
from demo.seed.clear import clear_demo
from onboarding.models import ImportedRecord, ServiceImport
from outcomes.models import (
    Accommodation,
    BoardAttendance,
    BoardMeeting,
    Education,
    HealthNeed,
    Offence,
    Snapshot,
    SpecialNeed,
    VictimContact,
    WiderService,
)

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
TODAY = NOW.date()

# Records the import format does not carry (docs/import-format.md, "Not in the format"): removed from
# the demo before it is exported, so the comparison is of everything the format does carry.
OUTSIDE_THE_FORMAT = (
    # The KPI facts (issue 21) came after the format; their snapshots go too, so both sides judge the
    # KPI snapshot obligations on the programmes alone.
    VictimContact,
    Offence,
    Accommodation,
    Education,
    SpecialNeed,
    HealthNeed,
    WiderService,
    BoardAttendance,
    BoardMeeting,
    Snapshot,
)


def _within_the_format() -> None:
    """Remove the records the format does not carry, and work out everyone's obligations again."""
    for model in OUTSIDE_THE_FORMAT:
        model.objects.all().delete()
    for child_id in Child.objects.values_list("pk", flat=True):
        child_obligations_refresh(child_id=child_id, as_of=TODAY)
    for worker_id in User.objects.values_list("pk", flat=True):
        worker_obligations_refresh(worker_id=worker_id, as_of=TODAY)
    months_rebuild_all()


def _figures() -> dict:
    """What the comparison reads: children's obligations, caseloads, the team dashboards and the
    compliance figures, named by case number, email and team name (never by primary key)."""
    obligations = sorted(
        Obligation.objects.filter(child__isnull=False).values_list(
            "child__case_number", "code", "due", "status"
        )
    )
    caseloads = sorted(
        (
            c.case_number,
            c.team.name,
            c.case_manager.email if c.case_manager else "",
            c.is_open,
            tuple(sorted(c.co_workers.values_list("email", flat=True))),
        )
        for c in Child.objects.select_related("team", "case_manager")
    )
    teams = {}
    for team in Team.objects.all():
        teams[team.name] = {
            "open": Child.objects.filter(team=team, is_open=True).count(),
            "caseload": sorted(
                (r["worker"].email, r["cases"], r["co_allocated"], r["weighted"])
                for r in caseload_by_worker(team=team, today=TODAY)
            ),
            "overdue": sorted((r["code"], r["count"]) for r in overdue_by_code(team=team, today=TODAY)),
        }
    names = dict(Team.objects.values_list("pk", "name"))
    compliance = sorted(
        (
            r["code"],
            names.get(r["team_key"], ""),
            r["n_due"],
            r["n_met"],
            r["n_met_late"],
            r["n_overdue"],
            r["n_open"],
        )
        for r in period_rows(datetime.date(2025, 3, 1), datetime.date(2026, 2, 28))
    )
    return {"obligations": obligations, "caseloads": caseloads, "teams": teams, "compliance": compliance}


def _empty_the_database() -> None:
    """Nothing left of the service: no children, staff, teams, obligations or audit entries."""
    clear_demo()
    for model in (
        ImportedRecord,
        ServiceImport,
        AuditEntry,
        StaffChange,
        Obligation,
        ObligationMonth,
        ObligationMonthStale,
    ):
        model.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_round_trip_of_the_demo(settings, tmp_path):
    """Export the demo, import it into an empty database: obligations, caseloads and dashboards match."""
    settings.DEBUG = True
    quiet = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--children", "30", "--today", TODAY.isoformat(), stdout=quiet)
        _within_the_format()
        before = _figures()
        call_command("export_service", str(tmp_path), stdout=quiet)
        _empty_the_database()
        assert not Child.objects.exists() and not User.objects.exists()
        call_command("import_service", str(tmp_path), stdout=quiet, stderr=quiet)
        months_rebuild_all()
        after = _figures()
    assert len(before["obligations"]) > 300
    assert after["obligations"] == before["obligations"]
    assert after["caseloads"] == before["caseloads"]
    assert after["teams"] == before["teams"]
    assert after["compliance"] == before["compliance"]
