"""`manage.py export_service FOLDER`: write this database's teams, staff, children and their records as
the import format's CSV files (docs/import-format.md), for a rehearsal or a move (ADR 0021)."""

from pathlib import Path

from core.cli import OneLineCommand, bad_input

from ...export import service_export


class Command(OneLineCommand):
    help = "Write the service's records as the import format's CSV files into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder to write the CSV files into (made if missing)")

    def handle(self, *args, **opts):
        folder = Path(opts["folder"])
        if folder.exists() and not folder.is_dir():
            raise bad_input(f"{folder} is not a folder")
        try:
            written = service_export(folder=folder)
        except OSError as error:
            raise bad_input(f"Cannot write to {folder}: {error}") from error
        for name, count in written.items():
            self.stdout.write(f"{name:<18} {count:>7} rows")
