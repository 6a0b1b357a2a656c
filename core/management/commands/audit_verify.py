"""`manage.py audit_verify`: check the audit log's hash chain and name the first broken entry.

Exit 0 when the chain holds; 1 (with one line saying where and how it breaks) when it does not.
`--seal` first seals what is due (entries older than five minutes), as beat does. `--archive` also walks
the archive (core/audit_archive.py) from the first entry ever written, so the whole chain is checked.
"""

from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's tamper-evident hash chain; name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal the entries that are due first")
        parser.add_argument("--archive", action="store_true", help="walk the archived entries too")

    def handle(self, *args, **options):
        if options["seal"]:
            sealed = audit_seal()
            self.stdout.write(f"Sealed {sealed} entr{'y' if sealed == 1 else 'ies'}.")
        result = audit_verify(archive=options["archive"])
        if not result.ok:
            raise CommandError(f"The audit chain is broken: {result.problem}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"The audit chain holds: {result.entries} entries verified."))
