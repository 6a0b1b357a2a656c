"""`manage.py audit_archive`: move the audit log's older months to the archive (ADR 0018).

    manage.py audit_archive                  # everything before the months kept live (AUDIT_KEEP_LIVE_MONTHS)
    manage.py audit_archive --before 2025-04 # everything written before 1 April 2025
    manage.py audit_archive --dry-run        # say what would move, move nothing

Exit 0 when done (or nothing was due); 2 with one line for a month it cannot use; 1 with one line
where the chain is broken (nothing from the break on is moved).
"""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from core.audit_archive import ArchiveRefused, audit_archive, default_before, month_start
from core.cli import OneLineCommand, bad_input, one_line
from core.models import AuditChain, AuditEntry


def _month(value: str) -> datetime.datetime:
    """`YYYY-MM` as the first moment of that month in the service's time zone."""
    try:
        day = datetime.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise bad_input(f"--before must be a month as YYYY-MM, e.g. 2025-04, not {value!r}") from None
    if day.year < 2000:
        raise bad_input(f"--before {value} is before any audit entry could have been written")
    return month_start(day)


class Command(OneLineCommand):
    help = "Move the audit log's entries written before a month to the archive, keeping the chain whole."

    def add_arguments(self, parser):
        parser.add_argument("--before", help="YYYY-MM: archive entries written before this month's first day")
        parser.add_argument("--dry-run", action="store_true", help="say how many would move; move nothing")

    def handle(self, *args, **options):
        before = _month(options["before"]) if options["before"] else default_before()
        if before > month_start(timezone.localdate()):
            raise bad_input(f"--before {before:%Y-%m} has not ended: only past months can be archived")
        label = f"{timezone.localtime(before):%d %B %Y}"
        if options["dry_run"]:
            head = AuditChain.objects.filter(pk=1).first()
            due = AuditEntry.objects.filter(
                pk__gt=head.archived_to_id if head else 0,
                pk__lte=head.last_entry_id if head else 0,
                at__lt=before,
            ).count()
            self.stdout.write(f"{due} sealed entries written before {label} would move to the archive.")
            return
        try:
            result = audit_archive(before=before)
        except ArchiveRefused as exc:
            raise CommandError(one_line(f"Not archived: {exc}."), returncode=1) from None
        if not result.entries:
            self.stdout.write(
                f"Nothing to archive: no sealed entries written before {label} are in the live log."
            )
            return
        months = f" ({len(result.months)} monthly partitions)" if result.months else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Archived {result.entries} entries written before {label}, to entry {result.to_id}{months}."
            )
        )
