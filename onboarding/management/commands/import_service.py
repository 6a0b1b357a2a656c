"""`manage.py import_service FOLDER_OR_ZIP_OR_XLSX [--dry-run] [--report FILE] [--by USERNAME]`: check a
service's files and import them all or nothing (docs/import-format.md, ADR 0021).

Exit 0 when imported (or, with --dry-run, when the files have no errors); 1 when the files have errors
(nothing is imported); 2 with one line for a path or format that cannot be read.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import User
from core.cli import OneLineCommand, bad_input

from ...models import ServiceImport
from ...reader import ImportFormatError, read_path
from ...services import service_import


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
        last = [""]

        def progress(step: str, done: int, total: int) -> None:
            # A line per step, and one per batch of a long step (stderr: stdout is the report).
            if step != last[0] or step.startswith("Working out"):
                percent = f" {done}/{total} ({100 * done // total}%)" if total > 1 else ""
                self.stderr.write(f"{step}{percent}", style_func=lambda text: text)
                last[0] = step

        report = service_import(sheets=sheets, by=by, run=run, dry_run=opts["dry_run"], progress=progress)
        run.report = report.as_dict()
        run.status = (
            ServiceImport.Status.REFUSED
            if not report.ok
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
            raise CommandError(f"{len(report.problems)} errors: nothing was imported", returncode=1)
        self.stdout.write("Checked: no errors (nothing was written)" if opts["dry_run"] else "Imported.")
