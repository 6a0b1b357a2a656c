"""`manage.py retention_due` (issue 19): the records due, as text or CSV; bad input is one line on
stderr and exit 2."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("retention_due", *args, stdout=out)
    return out.getvalue()


def test_text_lists_the_records_due_on_the_day(closed_child, other_child):
    out = run("--today", "2030-06-15")
    assert "YJ900001" in out and "review due 2030-06-15" in out and "YJ900002" in out
    assert out.strip().endswith("2 records due for review on 2030-06-15.")
    assert "Robin" not in out  # no names: the output may be kept or sent on
    assert "YJ900001" not in run("--today", "2030-06-14")


def test_csv_has_a_header_and_one_row_per_record(closed_child, other_child):
    lines = run("--format", "csv", "--today", "2036-03-03").splitlines()
    assert lines[0] == "case_number,team,closed_on,review_due,extended"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["YJ900001", "YJ900002"]
    assert "YJ900002,North locality team,2022-05-31,2029-02-01,no" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format must be one of text, csv, not 'xml'"),
        (["--today", "2030-02-30"], "--today must be a date as YYYY-MM-DD, not '2030-02-30'"),
        (["--nonsense"], "retention_due: unrecognized arguments: --nonsense"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, capsys):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("retention_due", *args, stderr=err)
    assert exit_.value.code == 2
    text = err.getvalue() or capsys.readouterr().err
    assert text.strip() == message and len(text.strip().splitlines()) == 1
