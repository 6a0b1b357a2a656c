"""Writes for the service import (issue 22, ADR 0021): check a set of files, then import it: teams and
staff in one transaction (an error there stops the import: every child depends on them), then each child
with all of its rows in its own transaction (a child with an error is skipped and reported, the others go
in), then supervision; then recompute the imported children's obligations."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from contextlib import nullcontext

from django.db import transaction
from django.utils import timezone

from cases.models import Child, User
from cases.services import child_obligations_refresh, worker_obligations_refresh
from core.audit import audit_record
from core.models import AuditEntry

from ..format import CHILD_KINDS
from ..models import ServiceImport
from ..reader import Sheet
from ..report import Report
from ..validate import Checked, Row, check
from .writer import Writer

logger = logging.getLogger(__name__)

# Children's obligations are recomputed after the records commit, this many per transaction (as
# seed_demo does: one transaction for thousands would make PostgreSQL check every savepoint on each read).
OBLIGATION_BATCH = 100
# The step whose counter (children done of all the children) the command line's bar and the page show.
CHILDREN_STEP = "Importing children"

Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """No progress shown."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def child_groups(checked: Checked) -> dict[str, dict[str, list[Row]]]:
    """Each child's rows by file (children.csv's order first, then children already here named only by
    other files), the skipped children left out by the check."""
    groups: dict[str, dict[str, list[Row]]] = {}
    for kind in ("children", *CHILD_KINDS):
        for row in checked.rows.get(kind, []):
            groups.setdefault(row["Case number"], {}).setdefault(kind, []).append(row)
    return groups


def _write(
    writer: Writer, checked: Checked, *, by: User | None, run: ServiceImport, progress: Progress
) -> set[int]:
    """Teams and staff, each child, supervision, each in its own transaction; the children touched."""
    report = checked.report
    with transaction.atomic():
        writer.people()
    groups = child_groups(checked)
    touched: set[int] = set()
    progress(CHILDREN_STEP, 0, len(groups))
    for done, (number, rows) in enumerate(groups.items(), start=1):
        saved = report.snapshot()
        try:
            with transaction.atomic():
                writer.child(rows)
        except Exception as error:  # noqa: BLE001 (any failure skips this child only: ADR 0021)
            logger.exception("Import of %s: child %s skipped", run.source_name, number)
            report.restore(saved)
            own = rows.get("children", [])
            report.child_failed(
                case_number=number,
                row=own[0].number if own else 0,
                reason=f"could not be written, so nothing of this child was imported: {error}",
            )
        else:
            touched |= writer.touched
        progress(CHILDREN_STEP, done, len(groups))
    with transaction.atomic():
        writer.staff_records()
        audit_record(
            user=by,
            action=AuditEntry.Action.CREATE,
            obj=run,
            description=f"Imported {run.source_name}: "
            + ", ".join(f"{c.file} {c.created} new, {c.updated} updated" for c in report.ordered())
            + (f"; {len(report.skipped_children)} children skipped" if report.skipped_children else ""),
        )
    return touched


def service_import(
    *,
    sheets: dict[str, Sheet],
    by: User | None,
    run: ServiceImport,
    dry_run: bool,
    today: datetime.date | None = None,
    progress: Progress = _quiet,
) -> Report:
    """Check the files, then write them: nothing if teams, staff or a file's headings have an error;
    otherwise every child but the skipped ones, each in its own transaction. A dry run takes the same
    steps inside one transaction rolled back at the end, so its report (counts, skipped children) is what
    the import would do. A real import is audited, invites its new staff, and recomputes every touched
    child's obligations once the children are in."""
    today = today or timezone.localdate()
    progress("Checking the files", 0, 1)
    checked = check(sheets, today=today)
    report = checked.report
    if checked.stopped:
        report.finish()
        return report
    writer = Writer(checked, by=by, source_name=run.source_name)
    try:
        with transaction.atomic() if dry_run else nullcontext():
            touched = _write(writer, checked, by=by, run=run, progress=progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.finish()
        return report
    report.finish()
    # The children changed, and any child of the set never worked out (an earlier run of the same files
    # that stopped part-way through this step), so running the import again finishes it.
    numbers = [row["Case number"] for row in checked.rows.get("children", [])]
    never = Child.objects.filter(case_number__in=numbers, fact_snapshot__isnull=True).values_list(
        "pk", flat=True
    )
    child_ids = sorted(touched | set(never))
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
