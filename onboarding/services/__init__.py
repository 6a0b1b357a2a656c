"""Writes for the service import (issue 22, ADR 0021): check a set of files, then import it all or
nothing, then recompute the imported children's obligations."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.models import Child, User
from cases.services import child_obligations_refresh, worker_obligations_refresh
from core.audit import audit_record
from core.models import AuditEntry

from ..models import ServiceImport
from ..reader import Sheet
from ..report import Report
from ..validate import check
from .writer import Writer

# Children's obligations are recomputed after the records commit, this many per transaction (as
# seed_demo does: one transaction for thousands would make PostgreSQL check every savepoint on each read).
OBLIGATION_BATCH = 100

Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """No progress shown."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def service_import(
    *,
    sheets: dict[str, Sheet],
    by: User | None,
    run: ServiceImport,
    dry_run: bool,
    today: datetime.date | None = None,
    progress: Progress = _quiet,
) -> Report:
    """Check the files, then write them in one transaction: a dry run (or a set with any error) is rolled
    back, so its report says what the files would do and nothing is kept. A real import is audited,
    invites its new staff, and recomputes every touched child's obligations once it has committed."""
    today = today or timezone.localdate()
    progress("Checking the files", 0, 1)
    checked = check(sheets, today=today)
    report = checked.report
    writer = Writer(checked, by=by, source_name=run.source_name)
    try:
        with transaction.atomic():
            writer.run(progress)
            if dry_run or not report.ok:
                raise _DryRun
            audit_record(
                user=by,
                action=AuditEntry.Action.CREATE,
                obj=run,
                description=f"Imported {run.source_name}: "
                + ", ".join(f"{c.file} {c.created} new, {c.updated} updated" for c in report.ordered()),
            )
    except _DryRun:
        return report
    except DatabaseError:
        # A set with errors is written only to count what its good rows would do; a row that leans on a
        # refused one may break a constraint there, which changes nothing: the errors are the report.
        if report.ok:
            raise
        return report
    # The children changed, and any child of the set never worked out (an earlier run of the same files
    # that stopped part-way through this step), so running the import again finishes it.
    numbers = [row["Case number"] for row in checked.rows.get("children", [])]
    never = Child.objects.filter(case_number__in=numbers, fact_snapshot__isnull=True).values_list(
        "pk", flat=True
    )
    child_ids = sorted(writer.touched | set(never))
    children_obligations_refresh(child_ids=child_ids, as_of=today, progress=progress)
    progress("Working out staff's own obligations", 0, 1)
    for worker_id in sorted(writer.workers):
        with transaction.atomic():
            worker_obligations_refresh(worker_id=worker_id, as_of=today)
    return report


def children_obligations_refresh(
    *, child_ids: list[int], as_of: datetime.date, progress: Progress = _quiet
) -> None:
    """Recompute the children's obligations through the cases app's refresh (which marks the compliance
    roll-up's months stale, ADR 0020), a batch per transaction. A failure leaves the records imported and
    the rest to a re-run of the import (which works out any child of the set never worked out) or the
    weekly recomputation (cases.tasks)."""
    for start in range(0, len(child_ids), OBLIGATION_BATCH):
        progress("Working out what is due", start, len(child_ids))
        with transaction.atomic():
            for child_id in child_ids[start : start + OBLIGATION_BATCH]:
                child_obligations_refresh(child_id=child_id, as_of=as_of)
    progress("Working out what is due", len(child_ids), len(child_ids))
