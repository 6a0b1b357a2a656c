"""The import format's documentation, template and example agree with the format the code reads."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from onboarding.format import KINDS
from onboarding.models import ImportedRecord
from onboarding.reader import read_path
from onboarding.validate import check

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_file_and_column_is_documented():
    """docs/import-format.md has a table for each file with a row for each of its columns."""
    text = (DOCS / "import-format.md").read_text()
    for kind in KINDS:
        section = text.split(f"### {kind.filename}:", 1)[1].split("\n### ", 1)[0]
        for column in kind.columns:
            assert f"\n| {column.name} | {'yes' if column.required else 'no'} | {column.kind} |" in section


def test_template_has_every_heading():
    """The empty template set is every file with exactly the format's headings."""
    sheets = read_path(DOCS / "import-format" / "template")
    assert {name: sheet.headings for name, sheet in sheets.items()} == {k.name: k.headings for k in KINDS}
    assert not any(sheet.rows for sheet in sheets.values())


@pytest.mark.django_db
def test_example_set_checks_clean():
    """The documented example set has no errors."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=zoneinfo.ZoneInfo("Europe/London"))):
        checked = check(read_path(DOCS / "import-format" / "example"), today=datetime.date(2026, 3, 2))
    assert checked.report.problems == []
    assert checked.report.counts("children").read == 2


def test_every_file_name_fits_the_record_of_what_it_made():
    """ImportedRecord keeps each record's file name: every file's name fits its column (PostgreSQL would
    refuse a longer one where SQLite does not)."""
    room = ImportedRecord._meta.get_field("kind").max_length
    assert room is not None
    assert [kind.name for kind in KINDS if len(kind.name) > room] == []
