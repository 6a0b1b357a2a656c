"""The import's writes (ADR 0021): a mixin per group of files, each a `BaseWriter` whose methods are named
as the files they write; `Writer` puts them together in the order `run` takes them."""

from __future__ import annotations

from ...format import STAFF_KINDS
from .courts import CourtsWriter
from .outcomes import OutcomesWriter
from .people import PeopleWriter
from .records import RecordsWriter
from .staff_records import StaffRecordsWriter
from .transfers import TransfersWriter


class Writer(OutcomesWriter, RecordsWriter, StaffRecordsWriter, TransfersWriter, CourtsWriter, PeopleWriter):
    """The whole set's writes: teams and staff (`people`), each child (`child`), then `staff_records`."""

    def staff_records(self) -> None:
        """Staff's and the service's own records (in the caller's transaction), once the children are in:
        each file of STAFF_KINDS, in order."""
        self.rows = {kind: self.all_rows.get(kind, []) for kind in STAFF_KINDS}
        for kind in STAFF_KINDS:
            getattr(self, kind)()
