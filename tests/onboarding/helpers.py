"""What the import's tests share: the day they import on, running the command, and reading its report."""

import datetime
import io
import zoneinfo
from pathlib import Path

from django.core.management import call_command

from onboarding.reader import read_path
from onboarding.validate import check

from .factories import write_folder

# Every import test imports on Monday 2 March 2026 (the `on_the_import_day` fixture, conftest.py).
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
TODAY = NOW.date()


def import_folder(path: Path, *args: str) -> str:
    """`import_service` on a folder (raising CommandError as the command does); its report table."""
    out = io.StringIO()
    call_command("import_service", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def file_counts(out: str, file: str) -> list[int]:
    """A file's line of the command's report table: read, create, update, same, skip, errors."""
    line = next(line for line in out.splitlines() if line.startswith(f"{file} "))
    return [int(n) for n in line.split()[1:]]


def problems_in(folder: Path, data: dict) -> set[tuple[str, int, str, str]]:
    """Each error the check finds in the set written to `folder`: (file, row, column, reason)."""
    checked = check(read_path(write_folder(folder, data)), today=TODAY)
    return {(p.file, p.row, p.column, p.reason) for p in checked.report.problems}
