"""`manage.py backup [--output DIR]`: one archive of the database, the stored documents and files, and
a manifest with their checksums and each table's row count (core/backup, ADR 0014).

Prints one line naming the archive; exit 2 with one line when the output folder cannot be used, 1
when a step fails (pg_dump missing or refusing). See docs/operations.md, "Backups and restore".
"""

from django.core.management.base import CommandError

from core.backup import ArchiveRefused, BackupFailed, RestoreRefused, backup_create
from core.cli import OneLineCommand, bad_input, one_line


class Command(OneLineCommand):
    help = "Back up the database and stored files into one timestamped archive with a checked manifest."

    def add_arguments(self, parser):
        """--output: the folder for the archive (default BACKUP_DIR)."""
        parser.add_argument("--output", metavar="DIR", help="folder for the archive (default: BACKUP_DIR)")

    def handle(self, *args, **options):
        """Make the archive and name it, with its size, tables, rows and checksum, in one line."""
        try:
            result = backup_create(options["output"])
        except (ArchiveRefused, RestoreRefused) as exc:
            raise bad_input(exc) from None
        except BackupFailed as exc:
            raise CommandError(one_line(exc), returncode=1) from None
        manifest = result.manifest
        size = result.path.stat().st_size / 1024 / 1024
        self.stdout.write(
            f"Backup written: {result.path} ({size:.1f} MB, {len(manifest['tables'])} tables, "
            f"{manifest['rows']:,} rows, {len(manifest['files']) - 1} stored files beside the database, "
            f"sha256 {result.sha256}) in {result.seconds:.1f} s."
            + (f" Not audited: {result.not_audited}" if result.not_audited else "")
        )
