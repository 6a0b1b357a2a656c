"""`python manage.py compliance_report`: the hand-worked figures as JSON and CSV, the CSV byte-identical
to the dashboard's export for the same period, and one line on stderr with exit 2 for bad input."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from .test_compliance_figures import EXPECTED, HEADER, build_dataset


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    """The hand-worked dataset (tests/dashboards/test_compliance_figures.py)."""
    return build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)


def run(*args) -> str:
    out = io.StringIO()
    call_command("compliance_report", *args, stdout=out)
    return out.getvalue()


def _figures(row: dict) -> tuple:
    pct = row["percent_on_time"]
    return (
        row["due"],
        row["met_on_time"],
        row["met_late"],
        row["overdue"],
        row["open"],
        "" if pct is None else f"{pct:.1f}",
    )


@pytest.mark.django_db
class TestOutput:
    def test_json_is_the_hand_worked_figures(self, dataset):
        """JSON (the default): the period, a row per code and team, totals per code, per team and overall."""
        data = json.loads(run("--from", "2026-04-01", "--to", "2026-06-30"))
        assert (data["from"], data["to"]) == ("2026-04-01", "2026-06-30")
        rows = [(r["code"], r["title"], r["team"], *_figures(r)) for r in data["rows"]]
        assert rows == [line for line in EXPECTED if line[2] != "All teams" and line[0] != "all"]
        by_code = [(r["code"], r["title"], "All teams", *_figures(r)) for r in data["totals"]["by_code"]]
        assert by_code == [line for line in EXPECTED if line[2] == "All teams" and line[0] != "all"]
        by_team = [
            ("all", "All obligation types", r["team"], *_figures(r)) for r in data["totals"]["by_team"]
        ]
        assert by_team == [line for line in EXPECTED if line[0] == "all" and line[2] != "All teams"]
        assert _figures(data["totals"]["overall"]) == (11, 5, 2, 3, 1, "50.0")  # 5/10, by hand
        assert (
            data["rows"][0]["basis"]
            == "001 §6 timescales table: YRO; 001 §6 timescales table: Bail Supervision and Support"
        )
        south_plan = next(
            r for r in data["rows"] if r["code"] == "plan.intervention" and r["team"].startswith("South")
        )
        assert south_plan["percent_on_time"] is None  # nothing met or overdue yet: null, not 0

    def test_csv_is_the_hand_worked_figures(self, dataset):
        """CSV: the export's columns and rows."""
        text = run("--from", "2026-04-01", "--to", "2026-06-30", "--format", "csv")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows[0] == HEADER
        assert [tuple(r) for r in rows[1:]] == [tuple(str(v) for v in line) for line in EXPECTED]

    def test_csv_is_byte_identical_to_the_dashboards(self, dataset, client, service_manager):
        """The same bytes as the dashboard's CSV export for the same period."""
        text = run("--from", "2026-04-01", "--to", "2026-06-30", "--format", "csv")
        client.force_login(service_manager)
        response = client.get(reverse("compliance_export_csv"), {"from": "2026-04-01", "to": "2026-06-30"})
        assert text.encode("utf-8") == response.content

    def test_empty_period(self, db):
        """A period with nothing due: no rows, zero totals, no percentage."""
        data = json.loads(run("--from", "2030-01-01", "--to", "2030-01-31"))
        assert data["rows"] == [] and data["totals"]["by_code"] == []
        assert data["totals"]["overall"] == {
            "due": 0,
            "met_on_time": 0,
            "met_late": 0,
            "overdue": 0,
            "open": 0,
            "percent_on_time": None,
        }


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        "args, message",
        [
            (["--to", "2026-06-30"], "--from is required (YYYY-MM-DD)"),
            (["--from", "2026-04-01"], "--to is required (YYYY-MM-DD)"),
            ([], "--from is required (YYYY-MM-DD)"),
            (
                ["--from", "1/4/2026", "--to", "2026-06-30"],
                "--from: '1/4/2026' is not a date in the form YYYY-MM-DD",
            ),
            (
                ["--from", "2026-4-1", "--to", "2026-06-30"],
                "--from: '2026-4-1' is not a date in the form YYYY-MM-DD",
            ),
            (["--from", "2026-04-01", "--to", "2026-02-30"], "--to: '2026-02-30' is not a real date"),
            (["--from", "2026-07-01", "--to", "2026-06-30"], "--from 2026-07-01 is after --to 2026-06-30"),
            (
                ["--from", "2026-04-01", "--to", "2026-06-30", "--format", "xml"],
                "--format must be json or csv, not 'xml'",
            ),
        ],
    )
    def test_one_line_on_stderr_and_exit_2(self, args, message):
        """Bad input: exactly one line on stderr, nothing on stdout, and exit code 2."""
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("compliance_report", *args, stdout=out, stderr=err)
        assert exc.value.code == 2
        assert err.getvalue() == message + "\n"
        assert out.getvalue() == ""

    def test_leap_day_is_a_real_date(self, db):
        """29 February 2024 is accepted (a month-end period in a leap year)."""
        data = json.loads(run("--from", "2024-02-01", "--to", "2024-02-29"))
        assert data["to"] == "2024-02-29"


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-07-01", "--to", "2026-06-30"],
        ["--to", "2026-06-30"],
        ["--from", "2026-04-01", "--to", "2026-06-30", "--format", "pdf"],
        # argparse's own errors are one line too, and the dashboard's year range applies.
        ["--from", "2026-01-01", "--to", "2026-02-01", "--format"],
        ["--from", "2026-01-01", "--to", "2026-02-01", "--bogus"],
        ["--from", "1999-12-01", "--to", "1999-12-31"],
    ],
)
def test_exit_2_from_the_command_line(args):
    """Run as a person or CI would: exit status 2 and a single line on stderr, no traceback."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "compliance_report", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
