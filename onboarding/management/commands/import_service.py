"""`manage.py import_service FOLDER_OR_ZIP_OR_XLSX [--dry-run] [--report FILE] [--by USERNAME]`: check a
service's files and import them, each child in its own transaction (docs/import-format.md, ADR 0021).

Exit 0 when everything was imported (or, with --dry-run, would be); 1 when some rows were not: children
skipped for their errors (the others imported), or an error in teams, staff or a file's headings, which
stops the import (nothing imported); 2 with one line for a path or format that cannot be read.

Progress goes to standard error: a bar of the children done when it is a terminal, otherwise a line every
PROGRESS_EVERY children (and one per step).
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import User
from core.cli import OneLineCommand, bad_input

from ...models import ServiceImport
from ...reader import ImportFormatError, read_path
from ...services import CHILDREN_STEP, service_import

PROGRESS_EVERY = 100
BAR_WIDTH = 30


class Command(OneLineCommand):
    help = "Check (--dry-run) or import a service's teams, staff and cases from a folder, ZIP or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder of CSV files, a ZIP of them, or an XLSX workbook")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing")
        parser.add_argument("--report", help="Also write the report as CSV to this file")
        parser.add_argument("--by", help="Username of the person importing (named in the audit log)")

    def handle(self, *args, **opts):
        by = None
        if opts["by"]:
            by = User.objects.filter(username=opts["by"], is_active=True).first()
            if by is None:
                raise bad_input(f"--by: no active member of staff has the username {opts['by']}")
        path = Path(opts["source"])
        try:
            sheets = read_path(path)
        except ImportFormatError as error:
            raise bad_input(f"Cannot read the import: {error}") from error
        run = ServiceImport.objects.create(
            source_name=path.name[:200], dry_run=opts["dry_run"], created_by=by
        )
        progress = self.progress_writer()
        report = service_import(sheets=sheets, by=by, run=run, dry_run=opts["dry_run"], progress=progress)
        run.report = report.as_dict()
        run.status = (
            ServiceImport.Status.REFUSED
            if report.stopped
            else ServiceImport.Status.CHECKED
            if opts["dry_run"]
            else ServiceImport.Status.IMPORTED
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "status", "finished_at"])
        if opts["report"]:
            try:
                Path(opts["report"]).write_text(report.errors_csv(), encoding="utf-8")
            except OSError as error:
                raise bad_input(f"Cannot write the report: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(self.outcome(report, dry_run=opts["dry_run"]), returncode=1)
        self.stdout.write("Checked: no errors (nothing was written)" if opts["dry_run"] else "Imported.")

    @staticmethod
    def outcome(report, *, dry_run: bool) -> str:
        """One line for exit 1: what was (or would be) left out."""
        errors = f"{len(report.problems)} error{'s' if len(report.problems) != 1 else ''}"
        if report.stopped:
            return f"{errors} in teams, staff or a file's headings: nothing was imported"
        skipped = len(report.skipped_children)
        if skipped:
            children = f"{skipped} child{'ren' if skipped != 1 else ''}"
            if dry_run:
                return f"{errors}: {children} would be skipped, the others would be imported"
            return f"{errors}: {children} skipped, the others imported"
        return f"{errors}: those rows {'would be ' if dry_run else ''}skipped, the rest {'would be ' if dry_run else ''}imported"

    def progress_writer(self):
        """Progress on standard error (stdout is the report): a line per step; for the children, a bar
        redrawn in place on a terminal, otherwise a line every PROGRESS_EVERY children."""
        tty = self.stderr.isatty()
        last = [""]

        def plain(text: str, ending: str = "\n") -> None:
            self.stderr.write(text, style_func=lambda t: t, ending=ending)

        def progress(step: str, done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if step == CHILDREN_STEP:
                if tty:
                    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
                    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                    plain(f"\r{step} [{bar}] {done}/{total} ({percent}%)", "\n" if done >= total else "")
                    self.stderr.flush()
                elif done % PROGRESS_EVERY == 0 or done == total:
                    plain(f"{step} {done}/{total} ({percent}%)")
                last[0] = step
                return
            if step != last[0] or step.startswith("Working out"):
                plain(f"{step}{f' {done}/{total} ({percent}%)' if total > 1 else ''}")
                last[0] = step

        return progress
