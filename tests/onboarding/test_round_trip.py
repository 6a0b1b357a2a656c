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
from kpis.selectors.figures import kpi_figures
from kpis.selectors.quarters import Quarter
from onboarding.models import ImportedRecord, ServiceImport
from outcomes.models import Snapshot

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
TODAY = NOW.date()


def _worked_out() -> None:
    """Everyone's obligations worked out as of the day, and the compliance roll-up built, as the import
    leaves them: the demo as seeded, nothing removed (every record it holds is in the format)."""
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
    # The last complete quarter's KPI figures (the KPI page's and `kpi_report`'s), by measure, point and
    # line (all children, a team, a programme type), and the snapshots behind them.
    report = kpi_figures(quarter=Quarter.last_complete(TODAY))
    kpis = sorted(
        (measure.code, point, group.name, str(figure.numerator), str(figure.denominator))
        for measure, point, group, figure in report.lines()
    )
    kpis.append(("7.meetings", "", "", str(report.meetings_held), ""))
    snapshots = sorted(
        Snapshot.objects.values_list(
            "child__case_number",
            "programme__kind",
            "programme__start_date",
            "point",
            "as_of",
            "complete",
            "completed_on",
        )
    )
    return {
        "obligations": obligations,
        "caseloads": caseloads,
        "teams": teams,
        "compliance": compliance,
        "kpis": kpis,
        "snapshots": snapshots,
    }


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
        _worked_out()
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
    assert len(before["snapshots"]) > 30 and any(s[-1] for s in before["snapshots"])
    assert any(int(k[4] or 0) for k in before["kpis"])
    assert after["snapshots"] == before["snapshots"]
    assert after["kpis"] == before["kpis"]
    # The KPI snapshot obligations as the demo had them: some met on time, some late (Recorded at).
    kpi_statuses = {o[3] for o in before["obligations"] if o[1] in ("kpi.start_snapshot", "kpi.end_snapshot")}
    assert kpi_statuses >= {"met", "met_late"}
