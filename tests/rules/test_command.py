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
