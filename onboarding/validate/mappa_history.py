"""The checks of MAPPA's history (001 §8): every level set of a MAPPA record (mappa_levels.csv, agreeing with
mappa.csv's current level) and the register's quarterly shares (register_shares.csv)."""

from __future__ import annotations

from mappa.models import MappaRecord, RegisterShare
from mappa.selectors.register import quarter_bounds

from ..models import ImportedRecord
from .rows import Row
from .steps import StepChecks


class MappaHistoryChecks(StepChecks):
    """MAPPA levels and register shares."""

    def mappa_of(self, rows: list[Row]) -> dict[str, tuple[str, object, Row | None]]:
        """Each MAPPA record named: (case number, identified on, its mappa.csv row), from mappa.csv or
        imported before."""
        found: dict[str, tuple[str, object, Row | None]] = {
            r["MAPPA ID"]: (r["Case number"], r["Identified on"], r) for r in self.rows.get("mappa", [])
        }
        wanted = {r["MAPPA ID"] for r in rows} - set(found)
        ids = dict(
            ImportedRecord.objects.filter(kind="mappa", external_id__in=wanted).values_list(
                "object_id", "external_id"
            )
        )
        for pk, number, identified_on in MappaRecord.objects.filter(pk__in=ids).values_list(
            "pk", "child__case_number", "identified_on"
        ):
            found[ids[pk]] = (number, identified_on, None)
        return found

    # -- mappa_levels.csv ---------------------------------------------------------------------------------
    def mappa_levels(self, rows: list[Row]) -> list[Row]:
        kind = "mappa_levels"
        rows = self.unique(kind, rows, "Level ID", "level ID")
        records = self.mappa_of(rows)
        seen: dict[tuple, int] = {}
        kept = []
        for row in rows:
            ok = self.known_staff(kind, row, "Set by email")
            number, identified_on, _mappa_row = records.get(row["MAPPA ID"], ("", None, None))
            if not number:
                self.fail(kind, row, "MAPPA ID", "unknown MAPPA record: not in mappa.csv or imported before")
                ok = False
            elif number != row["Case number"]:
                self.fail(kind, row, "MAPPA ID", "a MAPPA record of another child")
                ok = False
            elif row["Set on"] < identified_on:
                self.fail(kind, row, "Set on", "before the child was identified as eligible (001 §8)")
                ok = False
            key = (row["MAPPA ID"], row["Set on"], row["Level"])
            if key in seen:
                self.fail(kind, row, "Set on", f"the same level set twice that day: also on row {seen[key]}")
                ok = False
            seen.setdefault(key, row.number)
            if ok:
                kept.append(row)
        return self.levels_agree(kept, records)

    def levels_agree(self, rows: list[Row], records: dict) -> list[Row]:
        """mappa.csv's current level is the latest level set (the register reads it): a record's levels
        are all kept or, if they disagree with it, all reported on its latest."""
        latest: dict[str, Row] = {}
        for row in rows:
            last = latest.get(row["MAPPA ID"])
            if last is None or row["Set on"] >= last["Set on"]:
                latest[row["MAPPA ID"]] = row
        wrong = set()
        for ext, row in latest.items():
            mappa_row = records[ext][2]
            if mappa_row is None:
                continue
            if (mappa_row["Level"], mappa_row["Level set on"]) != (row["Level"], row["Set on"]):
                self.fail(
                    "mappa_levels",
                    row,
                    "Level",
                    "the latest level set differs from mappa.csv's Level and Level set on: give the same "
                    "current level in both",
                )
                wrong.add(ext)
        return [r for r in rows if r["MAPPA ID"] not in wrong]

    # -- register_shares.csv (staff's own) ----------------------------------------------------------------
    def register_shares(self, rows: list[Row]) -> list[Row]:
        kind = "register_shares"
        rows = self.unique(kind, rows, "Share ID", "share ID")
        rows = self.unique(kind, rows, "Quarter", "quarter")
        mine = dict(
            ImportedRecord.objects.filter(
                kind=kind, external_id__in=[r["Share ID"] for r in rows]
            ).values_list("external_id", "object_id")
        )
        here = dict(RegisterShare.objects.values_list("quarter", "pk"))
        kept = []
        for row in rows:
            ok = self.known_staff(kind, row, "Shared by email")
            quarter = row["Quarter"].upper()
            row.values["Quarter"] = quarter
            try:
                start, _end = quarter_bounds(quarter)
            except ValueError:
                self.fail(kind, row, "Quarter", "not a quarter: use YYYY-Qn, for example 2025-Q4")
                kept_row = False
            else:
                kept_row = True
                if start > self.today:
                    self.fail(kind, row, "Quarter", "the quarter has not started yet")
                    kept_row = False
                elif row["Shared on"] < start:
                    self.fail(kind, row, "Shared on", f"before the quarter started ({start:%Y-%m-%d})")
                    kept_row = False
            if quarter in here and here[quarter] != mine.get(row["Share ID"]):
                self.fail(kind, row, "Quarter", "the share for this quarter is already recorded here")
                kept_row = False
            if ok and kept_row:
                kept.append(row)
        return kept
