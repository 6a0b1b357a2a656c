"""`manage.py restore ARCHIVE`: restore a `backup` archive into an empty database (core/backup, ADR 0014).

Every checksum is verified before the database is touched; a damaged or foreign archive, another
vendor's, one made by newer code, or a database that is not empty is refused with one line and exit 2.
After the restore each table's rows are counted against the manifest: any difference is one line and
exit 1, never reported as success.
"""

from django.core.management.base import CommandError

from core.backup import ArchiveRefused, BackupFailed, RestoreRefused, backup_restore
from core.cli import OneLineCommand, bad_input, one_line


class Command(OneLineCommand):
    help = "Restore a backup archive into an empty database and check every table's rows against it."

    def add_arguments(self, parser):
        """ARCHIVE: the .tar file `manage.py backup` wrote."""
        parser.add_argument("archive", help="the archive file (yjs-backup-...tar)")

    def handle(self, *args, **options):
        """Restore, then say whether every count matched (and what is left to do) in one line."""
        try:
            result = backup_restore(options["archive"])
        except (ArchiveRefused, RestoreRefused) as exc:
            raise bad_input(exc) from None
        except BackupFailed as exc:
            raise CommandError(one_line(exc), returncode=1) from None
        made = result.manifest.get("created_at")
        if result.mismatches:
            shown = ", ".join(
                f"{table} (archive {want}, restored {got if got is not None else 'missing'})"
                for table, (want, got) in sorted(result.mismatches.items())[:5]
            )
            n = len(result.mismatches)
            differ = f"{n} table differs" if n == 1 else f"{n} tables differ"
            raise CommandError(f"Restored, but {differ} from the manifest: {shown}", returncode=1)
        line = (
            f"Restored {options['archive']} (made {made}): {len(result.state.tables)} tables, "
            f"{result.state.rows:,} rows, every count matches the manifest, in {result.seconds:.1f} s."
        )
        if result.pending_migrations:
            line += f" {result.pending_migrations} migrations to apply: run manage.py migrate."
        self.stdout.write(line)
