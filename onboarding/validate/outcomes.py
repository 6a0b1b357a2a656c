"""The checks of a child's KPI facts and of the management board's meetings (issue 21), mirroring the
outcomes forms and services (outcomes/forms.py, outcomes/services.py `_check_common`, `_check_kind`):
dates in order and not before the child was born, hours from 0 to 60 with attended not more than offered,
an academic year like 2025/26 with a plan, an offer only where a screening found a need, gravity 1 to 8,
a victim known by a reference and never a name, and every statutory partner's attendance at a board."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from cases.models import Child
from outcomes.models import BoardMeeting, Offence, SpecialNeed
from outcomes.snapshots import academic_year

from ..format.outcomes import PARTNER_NAMES, attendance_column, data_column
from ..models import ImportedRecord
from .rows import Row

ACADEMIC_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
MAX_HOURS = Decimal(60)
# A reference has a digit (VR-00031); a name has none.
REFERENCE = re.compile(r"\d")


def _hours(text: str) -> Decimal:
    """A number of hours a week, 0 to 60 with at most one decimal place, or ValueError saying why."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError("not a number of hours: use a number like 25 or 12.5") from error
    if not value.is_finite() or value < 0 or value > MAX_HOURS:
        raise ValueError("not a number of hours from 0 to 60")
    if value != value.quantize(Decimal("0.1")):
        raise ValueError("at most one decimal place, like 12.5")
    return value.quantize(Decimal("0.1"))


class OutcomeChecks:
    """Mixed into the checker (onboarding.validate), which gives the look-ups and helpers declared here."""

    today: datetime.date
    rows: dict[str, list[Row]]
    offence_children: dict[str, str]
    programme_children: dict[str, str]
    _births: dict[str, datetime.date]

    # The checker's own methods (onboarding/validate/__init__.py and records.py), named for the type checker.
    fail: Callable[[str, Row, str, str], None]
    unique: Callable[[str, list[Row], str, str], list[Row]]
    known_staff: Callable[..., bool]
    programme_known: Callable[[str, Row], bool]
    sheets_rows: Callable[[str], list[Row]]

    def births(self) -> dict[str, datetime.date]:
        """Each child's date of birth: children.csv's, else the one here (read once)."""
        if not hasattr(self, "_births"):
            here = dict(Child.objects.values_list("case_number", "date_of_birth"))
            self._births = {**here, **{r["Case number"]: r["Date of birth"] for r in self.rows["children"]}}
        return self._births

    def _dated(
        self, kind: str, row: Row, start: str, end: str | None = "Until", before: str = "the date it started"
    ) -> bool:
        """What every KPI fact shares: the recorder in staff, a start not before the child's birth and an
        end not before the start (outcomes/services.py `_check_common`)."""
        ok = self.known_staff(kind, row, "Recorded by email")
        born = self.births().get(row["Case number"])
        if born and row[start] < born:
            self.fail(kind, row, start, "before the child's date of birth")
            ok = False
        if end and row[end] and row[end] < row[start]:
            self.fail(kind, row, end, f"before {before}")
            ok = False
        return ok

    def accommodation(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("accommodation", rows, "Accommodation ID", "accommodation ID")
        return [row for row in rows if self._dated("accommodation", row, "From")]

    def wider_services(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("wider_services", rows, "Service ID", "service ID")
        return [row for row in rows if self._dated("wider_services", row, "From")]

    def education(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("education", rows, "ETE ID", "ETE ID")
        kept = []
        for row in rows:
            ok = self._dated("education", row, "From")
            for column in ("Hours offered", "Hours attended"):
                if row[column] is None:
                    continue
                try:
                    row.values[column] = _hours(row[column])
                except ValueError as error:
                    self.fail("education", row, column, str(error))
                    row.values[column] = None
                    ok = False
            offered, attended = row["Hours offered"], row["Hours attended"]
            if ok and offered is not None and attended is not None and attended > offered:
                self.fail("education", row, "Hours attended", "more than the hours offered")
                ok = False
            if ok and attended is not None and offered is None:
                self.fail("education", row, "Hours offered", "required with the hours attended")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def special_needs(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("special_needs", rows, "SEND ID", "SEND ID")
        kept = []
        for row in rows:
            ok = self._dated("special_needs", row, "From")
            year, plan = row["Plan academic year"], row["Plan"]
            match = ACADEMIC_YEAR.match(year or "")
            if year and (not match or (int(match.group(1)) + 1) % 100 != int(match.group(2))):
                self.fail(
                    "special_needs",
                    row,
                    "Plan academic year",
                    f"not an academic year: write it like {academic_year(self.today)}",
                )
                ok = False
            if row["Identified"] is False and plan != SpecialNeed.Plan.NONE:
                self.fail("special_needs", row, "Plan", "no learning plan where no need was identified")
                ok = False
            if plan != SpecialNeed.Plan.NONE and not year:
                self.fail("special_needs", row, "Plan academic year", "required with a learning plan")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def health_needs(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("health_needs", rows, "Screening ID", "screening ID")
        kept = []
        for row in rows:
            ok = self._dated("health_needs", row, "Screened on", before="the screening")
            offered = bool(row["Intervention"] or row["Offered on"])
            if row["Offered on"] and row["Offered on"] < row["Screened on"]:
                self.fail("health_needs", row, "Offered on", "before the screening")
                ok = False
            if row["Need identified"] is False and (offered or row["Attending"]):
                self.fail(
                    "health_needs",
                    row,
                    "Need identified",
                    "an intervention is planned or offered only where the screening found a need",
                )
                ok = False
            if row["Attending"] is not None and not offered:
                self.fail(
                    "health_needs",
                    row,
                    "Attending",
                    "whether the child attends is given only with the intervention planned or offered, or its date",
                )
                ok = False
            if ok:
                kept.append(row)
        return kept

    def offences(self, rows: list[Row]) -> list[Row]:
        # Every offence of the file, even one with an error, so its victims are not reported again (its
        # child is skipped for the offence's error).
        self.offence_children = {
            (r["Offence ID"] or "").strip(): (r["Case number"] or "").strip()
            for r in self.sheets_rows("offences")
        }
        rows = self.unique("offences", rows, "Offence ID", "offence ID")
        kept = []
        for row in rows:
            ok = self._dated("offences", row, "Committed on", "Proven on", "the date of the offence")
            ok = self.programme_known("offences", row) and ok
            if ok:
                kept.append(row)
        return kept

    def imported_offences(self, ids: set[str]) -> dict[str, str]:
        """The case number of each offence an earlier import made, by its old id."""
        mapping = dict(
            ImportedRecord.objects.filter(kind="offences", external_id__in=ids).values_list(
                "external_id", "object_id"
            )
        )
        children = dict(
            Offence.objects.filter(pk__in=mapping.values()).values_list("pk", "child__case_number")
        )
        return {ext: children[pk] for ext, pk in mapping.items() if pk in children}

    def victim_contacts(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("victim_contacts", rows, "Victim ID", "victim ID")
        offences = getattr(self, "offence_children", {})
        earlier = self.imported_offences({r["Offence ID"] for r in rows if r["Offence ID"]} - set(offences))
        kept = []
        for row in rows:
            kind = "victim_contacts"
            ok = self._dated(kind, row, "Identified on", None)
            ok = self.programme_known(kind, row) and ok
            if not REFERENCE.search(row["Victim reference"]):
                self.fail(
                    kind,
                    row,
                    "Victim reference",
                    "looks like a name: a victim is known by a reference with a digit, never by name",
                )
                ok = False
            ref = row["Offence ID"]
            owner = offences.get(ref) or earlier.get(ref) if ref else None
            if ref and owner is None:
                self.fail(kind, row, "Offence ID", "unknown offence: not in offences.csv or imported before")
                ok = False
            elif ref and owner != row["Case number"]:
                self.fail(kind, row, "Offence ID", "an offence of another child")
                ok = False
            if row["RJ taken part"] and not row["RJ offered"]:
                self.fail(kind, row, "RJ taken part", "restorative justice was not offered")
                ok = False
            if row["Consented"] is False and (row["Views sought"] or row["RJ offered"]):
                self.fail(
                    kind,
                    row,
                    "Consented",
                    "a victim who did not consent to contact was not asked or offered anything",
                )
                ok = False
            if ok:
                kept.append(row)
        return kept

    def board_meetings(self, rows: list[Row]) -> list[Row]:
        """Every partner's attendance (outcomes/services.py `_board_attendance`); data only from a partner who
        attended; one meeting a day (here too: a meeting of that day not made by this row's ID)."""
        kind = "board_meetings"
        rows = self.unique(kind, rows, "Board meeting ID", "board meeting ID")
        here = dict(BoardMeeting.objects.values_list("held_on", "pk"))
        made = dict(ImportedRecord.objects.filter(kind=kind).values_list("external_id", "object_id"))
        days: dict[datetime.date, int] = {}
        kept = []
        for row in rows:
            ok = self.known_staff(kind, row, "Recorded by email")
            day = row["Held on"]
            if day in days:
                self.fail(kind, row, "Held on", f"a second board meeting that day: also on row {days[day]}")
                ok = False
            elif day in here and here[day] != made.get(row["Board meeting ID"]):
                self.fail(kind, row, "Held on", "a board meeting of that day is already here")
                ok = False
            days.setdefault(day, row.number)
            for partner, name in PARTNER_NAMES.items():
                if row[data_column(partner)] and row[attendance_column(partner)] == "absent":
                    self.fail(kind, row, data_column(partner), f"{name} did not attend, so brought no data")
                    ok = False
            if ok:
                kept.append(row)
        return kept
