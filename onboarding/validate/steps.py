"""What the transfer and MAPPA history checks share: a cell's list of items, a child's team and care
status, and the checks of a step's dates and people (required, blank, in order)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cases.models import Child

from ..models import ImportedRecord
from .rows import Row


def codes(text: str | None) -> list[str]:
    """A cell's items separated by semicolons, trimmed, blanks left out."""
    return [part.strip() for part in (text or "").split(";") if part.strip()]


class StepChecks:
    """Mixed into the checker (onboarding.validate), which gives the look-ups and helpers declared here."""

    today: datetime.date
    rows: dict[str, list[Row]]
    team_names: set[str]
    fail: Callable[[str, Row, str, str], None]
    unique: Callable[[str, list[Row], str, str], list[Row]]
    known_staff: Callable[..., bool]

    def child_facts(self, rows: list[Row]) -> dict[str, tuple[str, bool]]:
        """Each named child's team (lower case) and whether looked after: children.csv's row, else here."""
        facts = {
            r["Case number"]: (r["Team"].lower(), bool(r["Looked after"]))
            for r in self.rows.get("children", [])
        }
        others = {r["Case number"] for r in rows} - set(facts)
        for number, team, looked_after in Child.objects.filter(case_number__in=others).values_list(
            "case_number", "team__name", "looked_after"
        ):
            facts[number] = (team.lower(), looked_after)
        return facts

    @staticmethod
    def in_progress_here(kind: str, model, statuses, rows: list[Row], key: str) -> dict[str, set[int]]:
        """The records of this kind in progress here for each child the rows name, but those the file's
        own rows are (by their old ids): recorded in the product, or imported before under another id."""
        numbers = {r["Case number"] for r in rows}
        mine = set(
            ImportedRecord.objects.filter(kind=kind, external_id__in=[r[key] for r in rows]).values_list(
                "object_id", flat=True
            )
        )
        here: dict[str, set[int]] = {}
        for pk, number in model.objects.filter(
            child__case_number__in=numbers, status__in=list(statuses)
        ).values_list("pk", "child__case_number"):
            if pk not in mine:
                here.setdefault(number, set()).add(pk)
        return here

    def one_in_progress(
        self, kind: str, row: Row, seen: dict[str, int], what: str, here: dict[str, set[int]] | None = None
    ) -> bool:
        """A child has one at a time in progress (the product refuses a second): in the file, and with
        what is here."""
        number = row["Case number"]
        if number in seen:
            self.fail(
                kind, row, "Status", f"a second {what} in progress for the child: also on row {seen[number]}"
            )
            return False
        if here and here.get(number):
            self.fail(
                kind,
                row,
                "Status",
                f"a second {what} in progress for the child: one is already in progress here (recorded in "
                "the product, or imported before under another ID)",
            )
            return False
        seen[number] = row.number
        return True

    def not_before(self, kind: str, row: Row, columns: tuple[str, ...], start: str, what: str) -> bool:
        ok = True
        for column in columns:
            if row[column] and row[start] and row[column] < row[start]:
                self.fail(kind, row, column, f"before {what}")
                ok = False
        return ok

    def needed(self, kind: str, row: Row, columns: tuple[str, ...], why: str) -> bool:
        missing = [c for c in columns if row[c] in (None, "")]
        for column in missing:
            self.fail(kind, row, column, f"required {why}")
        return not missing

    def blank(self, kind: str, row: Row, columns: tuple[str, ...], why: str) -> bool:
        given = [c for c in columns if row[c] not in (None, "")]
        for column in given:
            self.fail(kind, row, column, why)
        return not given
