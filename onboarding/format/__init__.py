"""The import format (docs/import-format.md): one CSV file (or XLSX sheet) per kind, every column named
as a person exporting from CAPITA, COREPLUS or Child View would recognise it.

This table is the one place the format is defined: the reader, the validation, the export and the
documentation's tables all follow it (tests/onboarding/test_format.py checks the documentation).
"""

from .base import CASE_NUMBER, CHOICE, DATE, DATETIME, EMAIL, NUMBER, TEXT, TIME, YESNO, Column, Kind
from .courts import COURTS
from .outcomes import OUTCOMES
from .people import PEOPLE
from .records import RECORDS
from .staff_records import STAFF_RECORDS
from .transfers import TRANSFERS

__all__ = [
    "BY_NAME",
    "CASE_NUMBER",
    "CHILD_KINDS",
    "CHOICE",
    "DATE",
    "DATETIME",
    "EMAIL",
    "IMPORT_ORDER",
    "KINDS",
    "STAFF_KINDS",
    "NUMBER",
    "TEXT",
    "TIME",
    "YESNO",
    "Column",
    "Kind",
]

KINDS: tuple[Kind, ...] = (*PEOPLE, *RECORDS, *STAFF_RECORDS, *TRANSFERS, *COURTS, *OUTCOMES)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
# Files that reference a child, in the order they are imported (after teams, staff and children).
CHILD_KINDS = (
    "levels",
    "programmes",
    "allocations",
    "assessments",
    "plans",
    "contacts",
    "case_notes",
    "cmms",
    "case_discussions",
    "mappa",
    "mappa_levels",
    "internal_transfers",
    "transfers_in",
    "caretaking",
    "transfers_out",
    "oversight_decisions",
    "oversight_holders",
    # Court history (003 §9-§10, 000 §1.3).
    "crown_court",
    "hearings_awaited",
    "further_offences",
    "bail_applications",
    # The KPI facts (issue 21, ADR 0022).
    "accommodation",
    "education",
    "special_needs",
    "health_needs",
    "wider_services",
    "offences",
    "victim_contacts",
)
# Files of staff's and the service's own records, checked against the staff and imported after the children
# (in one transaction).
STAFF_KINDS = (
    "supervision",
    "supervision_frequencies",
    "leave",
    "leave_cover",
    "register_shares",
    "board_meetings",
)
# Every file, in the order an import reads and writes them (the report lists them so).
IMPORT_ORDER = ("teams", "staff", "children", *CHILD_KINDS, *STAFF_KINDS)
