"""Reading the database out in the import format (`manage.py export_service`): the same files an import
takes, so a service's records can be moved, checked or rehearsed (the round trip, ADR 0021).

Records an import made keep the old system's ids (ImportedRecord); others are given `P12`-style ids
from their primary keys, which a later import of the export matches again.
"""

from __future__ import annotations

import csv
from pathlib import Path

from core.downloads import csv_cell

from ..format import KINDS
from .courts import CourtsExporter
from .outcomes import OutcomesExporter
from .records import RecordsExporter
from .staff_records import StaffRecordsExporter
from .transfers import TransfersExporter


class _Exporter(RecordsExporter, StaffRecordsExporter, TransfersExporter, CourtsExporter, OutcomesExporter):
    """Every file's rows: one mixin per group of files (each a `BaseExporter`)."""


def service_export(*, folder: Path) -> dict[str, int]:
    """Write every kind's CSV file into `folder` (made if missing); returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    exporter = _Exporter()
    written = {}
    for kind in KINDS:
        path = folder / kind.filename
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(kind.headings)
            count = 0
            for row in getattr(exporter, f"{kind.name}_rows")():
                writer.writerow([csv_cell(v) for v in row])
                count += 1
        written[kind.filename] = count
    return written
