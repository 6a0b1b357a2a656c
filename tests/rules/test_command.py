"""``manage.py timescales``: JSON in, JSON out, exit 2 with one stderr line on bad input."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from .examples import WORKED_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, stdin=""):
    """Run ``python manage.py timescales ...`` in a subprocess (as a person or CI would)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "timescales", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_stdin_worked_example():
    """Reading standard input prints the spec's obligations and exits 0."""
    proc = manage("-", stdin=json.dumps(WORKED_EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["policy"] == "nottinghamshire" and out["as_of"] == "2024-06-03"
    assert [(o["code"], o["due"], o["status"]) for o in out["obligations"]] == [
        ("assetplus.gatekeep", "2024-01-25", "overdue"),
        ("assetplus.due", "2024-01-29", "met"),
        ("plan.intervention", "2024-01-29", "overdue"),
        ("case_discussion.due", "2024-03-07", "overdue"),
        ("cmm.risk_review", "2024-04-12", "overdue"),
        ("assetplus.review", "2024-04-25", "overdue"),
    ]
    assert proc.stderr == ""


def test_file_argument(tmp_path):
    """A file path works the same as standard input."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps({**WORKED_EXAMPLE, "policy": "enfield"}), encoding="utf-8")
    proc = manage(str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["policy"] == "enfield"


def test_call_command_shape(tmp_path):
    """Through call_command the output is one JSON object with the spec's keys."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(WORKED_EXAMPLE), encoding="utf-8")
    out = io.StringIO()
    call_command("timescales", str(path), stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"policy", "as_of", "obligations"}
    assert data["obligations"][1] == {
        "code": "assetplus.due",
        "title": data["obligations"][1]["title"],
        "due": "2024-01-29",
        "earliest": None,
        "status": "met",
        "met_on": "2024-01-25",
        "basis": data["obligations"][1]["basis"],
        "trigger": 0,
    }


def test_call_command_bad_input_exits_2(tmp_path):
    """Through call_command bad input also exits 2 (SystemExit), not CommandError's 1."""
    path = tmp_path / "in.json"
    path.write_text('{"facts": [{"type": "nope", "date": "2024-01-01"}]}', encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("timescales", str(path), stderr=err)
    assert info.value.code == 2
    assert err.getvalue() == "facts[0].type: unknown fact type 'nope'\n"


BAD = [
    (
        '{"facts": [{"type": "programme_started", "programme": "yrx", "date": "2024-01-08"}]}',
        "facts[0].programme: unknown programme 'yrx'",
    ),
    (
        '{"facts": [{"type": "contact", "kind": "phone", "date": "2024-01-08"}, {"type": "wibble", "date": "2024-01-08"}]}',
        "facts[1].type: unknown fact type 'wibble'",
    ),
    (
        '{"facts": [{"type": "contact", "kind": "phone", "date": "8/1/2024"}]}',
        "facts[0].date: malformed date '8/1/2024'",
    ),
    (
        '{"facts": [{"type": "cmm_held", "reason": "bail", "date": "2024-01-08", "at": "noon"}]}',
        "facts[0].at: malformed datetime 'noon'",
    ),
    (
        '{"facts": [{"type": "programme_started", "programme": "psr", "date": "2024-01-08"}]}',
        "facts[0].court_date: missing required field",
    ),
    (
        '{"facts": [{"type": "risk_rated", "date": "2024-01-08", "rosh": "huge", "saw": "low", "lor": "low"}]}',
        "facts[0].rosh: unknown risk level 'huge'",
    ),
    (
        '{"facts": [{"type": "programme_started", "programme": "yro", "date": "2024-01-08", "iss": "maybe"}]}',
        "facts[0].iss: expected true or false, got 'maybe'",
    ),
    ('{"policy": "kent", "facts": []}', "policy: unknown policy 'kent'"),
    ('{"as_of": "tomorrow", "facts": []}', "as_of: malformed date 'tomorrow'"),
    ('{"facts": 5}', "facts: expected a list, got 5"),
    ('{"facts": [7]}', "facts[0]: expected an object, got 7"),
    ("[1, 2]", "input: expected a JSON object, got a list"),
    ("{not json", "input: malformed JSON"),
    ("", "input: malformed JSON"),
]


@pytest.mark.parametrize("text,message", BAD, ids=[m for _, m in BAD])
def test_bad_input_exits_2_one_line(text, message):
    """Every bad input exits 2 with one stderr line naming where it is, and no traceback."""
    proc = manage("-", stdin=text)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(message)
    assert proc.stderr.count("\n") == 1 and proc.stderr.endswith("\n")
    assert "Traceback" not in proc.stderr


def test_unreadable_file_exits_2(tmp_path):
    """A missing file is bad input: exit 2, one line."""
    proc = manage(str(tmp_path / "missing.json"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_non_utf8_input_exits_2(tmp_path):
    """Bytes that are not UTF-8 are bad input, not a crash."""
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"facts": [], "x": "\xff"}')
    proc = manage(str(path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


# ---------------------------------------------------------------------------- revision 2, through the command

REMAND_2028 = {
    "policy": "nottinghamshire",
    "as_of": "2028-03-01",
    "facts": [
        {"type": "programme_started", "programme": "remand", "date": "2028-01-05"},
        {"type": "planning_meeting_held", "date": "2028-01-31"},
        {"type": "planning_meeting_held", "date": "2028-02-28"},
        {"type": "yjaf_plan_uploaded", "date": "2028-02-03"},
    ],
}


def _ob(code, title, due, status, met_on, basis, trigger):
    """One output obligation as the contract prints it (no window: earliest null)."""
    return {
        "code": code,
        "title": title,
        "due": due,
        "earliest": None,
        "status": status,
        "met_on": met_on,
        "basis": basis,
        "trigger": trigger,
    }


def test_remand_planning_rev2_exact_json(tmp_path):
    """The whole output for a remand from Wed 5 Jan 2028 (2028 is a leap year), worked by hand:
    - yjaf.entering_custody: 72 hours, date only: + 3 days = Sat 8 Jan, never moved; overdue.
    - contact.initial, planning_meeting.initial: 5 wd: 6, 7, 10, 11, Wed 12 Jan (the meeting of 31 Jan
      is late).
    - visit.welfare: + 1 month = Sat 5 Feb, moved back to Fri 4 Feb; overdue.
    - yjaf.plan_upload per meeting (001 §6 table: Remand): Mon 31 Jan + 5 wd = Mon 7 Feb (met 3 Feb);
      Mon 28 Feb + 5 wd = Tue 29, Wed 1, Thu 2, Fri 3, Mon 6 Mar (open).
    - planning_meeting.monthly: anchor the first meeting (fact 1) + 1 month = Tue 29 Feb (leap clamp),
      met 28 Feb -> Tue 28 Mar.
    - assetplus.review (001 §6.2): + 6 months = Wed 5 Jul 2028.
    No case discussion yet: the remand's chain waits for the first assessment (000 §4.3)."""
    path = tmp_path / "remand.json"
    path.write_text(json.dumps(REMAND_2028), encoding="utf-8")
    out = io.StringIO()
    call_command("timescales", str(path), stdout=out)
    remand = "001 §6 timescales table: Remand Management Programme"
    custody = "001 §6 timescales table: Remand, DTO Custody"
    upload = "Remand plan uploaded to YJAF after the planning meeting"
    upload_basis = f'{remand} ("uploaded to YJAF within 5 w/days of any planning meetings")'
    monthly = "Monthly remand planning meeting held"
    monthly_basis = f'{remand} ("monthly planning meetings")'
    assert json.loads(out.getvalue()) == {
        "policy": "nottinghamshire",
        "as_of": "2028-03-01",
        "obligations": [
            _ob(
                "yjaf.entering_custody",
                "Entering Custody stage uploaded to YJAF",
                "2028-01-08",
                "overdue",
                None,
                custody,
                0,
            ),
            _ob(
                "contact.initial",
                "Contact with the child on remand",
                "2028-01-12",
                "overdue",
                None,
                remand,
                0,
            ),
            _ob(
                "planning_meeting.initial",
                "Initial remand planning meeting held",
                "2028-01-12",
                "met_late",
                "2028-01-31",
                remand,
                0,
            ),
            _ob(
                "visit.welfare", "Monthly welfare visit in custody", "2028-02-04", "overdue", None, custody, 0
            ),
            _ob("yjaf.plan_upload", upload, "2028-02-07", "met", "2028-02-03", upload_basis, 1),
            _ob("planning_meeting.monthly", monthly, "2028-02-29", "met", "2028-02-28", monthly_basis, 1),
            _ob("yjaf.plan_upload", upload, "2028-03-06", "open", None, upload_basis, 2),
            _ob("planning_meeting.monthly", monthly, "2028-03-28", "open", None, monthly_basis, None),
            _ob(
                "assetplus.review",
                "AssetPlus reviewed (6-monthly in custody)",
                "2028-07-05",
                "open",
                None,
                "001 §6.2: custody AssetPlus no less than 6-monthly",
                0,
            ),
        ],
    }


def test_islington_my_future_rev2_stdin():
    """Islington, My Future from Tue 4 Jan 2028 to Easter Monday 17 Apr 2028, through standard input:
    - assessment.gatekeep 8 wd: 5-7, 10-13, Fri 14 Jan; assessment.due 10 wd: Mon 17, Tue 18 Jan (the
      closure of 12 Apr is the first My Future assessment: late); plan.action 15 wd: Tue 25 Jan.
    - contact.fortnightly: + 14 days = Tue 18 Jan, unmet: no successor.
    - case_discussion.recorded (002): Tue 15 Feb + 5 wd = Tue 22 Feb, overdue.
    - case_discussion.due (002, every open case): the last working day of February, Tue 29 Feb, met
      15 Feb -> the last working day of March, Fri 31 Mar (before the end): overdue.
    - assessment.end_review: due 17 Apr moved back over Easter to Thu 13 Apr, window from Fri 17 Mar
      (20 wd before), met by the closure of 12 Apr; trigger the programme_ended (fact 3)."""
    data = {
        "policy": "islington",
        "as_of": "2028-04-20",
        "facts": [
            {"type": "programme_started", "programme": "my_future", "date": "2028-01-04"},
            {"type": "case_discussion_held", "date": "2028-02-15"},
            {
                "type": "assessment_completed",
                "assessment": "my_future",
                "stage": "closure",
                "date": "2028-04-12",
            },
            {"type": "programme_ended", "programme": "my_future", "date": "2028-04-17"},
        ],
    }
    proc = manage("-", stdin=json.dumps(data))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = json.loads(proc.stdout)
    assert out["policy"] == "islington" and out["as_of"] == "2028-04-20"
    for o in out["obligations"]:
        assert list(o) == ["code", "title", "due", "earliest", "status", "met_on", "basis", "trigger"]
    got = [
        (o["code"], o["due"], o["earliest"], o["status"], o["met_on"], o["trigger"])
        for o in out["obligations"]
    ]
    assert got == [
        ("assessment.gatekeep", "2028-01-14", None, "overdue", None, 0),
        ("assessment.due", "2028-01-18", None, "met_late", "2028-04-12", 0),
        ("contact.fortnightly", "2028-01-18", None, "overdue", None, 0),
        ("plan.action", "2028-01-25", None, "overdue", None, 0),
        ("case_discussion.recorded", "2028-02-22", None, "overdue", None, 1),
        ("case_discussion.due", "2028-02-29", None, "met", "2028-02-15", 0),
        ("case_discussion.due", "2028-03-31", None, "overdue", None, None),
        ("assessment.end_review", "2028-04-13", "2028-03-17", "met", "2028-04-12", 3),
    ]
    by_code = {o["code"]: o for o in out["obligations"]}
    assert by_code["case_discussion.due"]["basis"].startswith("002")
    assert by_code["assessment.end_review"]["basis"].startswith("001 §6 timescales table: My Future")


def test_rev2_bad_input_exits_2():
    """A non-boolean assessed_for_court is bad input: exit 2 naming the fact and field."""
    bad = {
        "facts": [
            {
                "type": "programme_started",
                "programme": "bail_supervision_support",
                "date": "2028-01-04",
                "assessed_for_court": 1,
            }
        ]
    }
    proc = manage("-", stdin=json.dumps(bad))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "facts[0].assessed_for_court: expected true or false, got 1\n"
