"""The checks of a child's court history: Crown Court tracking, hearings awaited, further offences and bail
applications, each mirroring the product's own forms and services (courts/forms, courts/services,
meetings/forms/booking/triggers.py, meetings/services/triggers.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cases.models import Programme
from courts.models import AwaitingHearing, Band, CrownCourtTracking
from courts.selectors.tracking import proposed_band

from ..models import ImportedRecord
from ..values import LONDON
from .rows import Row

PRINCIPLES = {code for code, _ in CrownCourtTracking.PRINCIPLES}
# The App. C questions (003 §10.2, App. C): all three answered by a screening.
APP_C = ("Adjournment over six weeks", "Risk to others", "No other agencies")
ANSWERED = (AwaitingHearing.Decision.ACCEPTED, AwaitingHearing.Decision.DECLINED)


def principle_codes(text: str | None) -> list[str]:
    """The codes of a `Principles done` cell (separated by `;` or `,`), in the order written."""
    return [code.strip().lower() for code in (text or "").replace(",", ";").split(";") if code.strip()]


def first_day(row: Row) -> datetime.date:
    """The UK date of a tracking's first appearance: nothing about the tracking happens before it."""
    return row["First appearance at"].astimezone(LONDON).date()


class CourtChecks:
    """Mixed into the checker (onboarding.validate), which gives the look-ups and helpers declared here."""

    today: datetime.date
    rows: dict[str, list[Row]]

    # The checker's own methods (onboarding/validate/__init__.py, records.py), named for the type checker.
    fail: Callable[[str, Row, str, str], None]
    unique: Callable[[str, list[Row], str, str], list[Row]]
    known_staff: Callable[..., bool]
    programme_known: Callable[[str, Row], bool]

    def programme_of_kind(
        self, kind: str, row: Row, programme_kind: str, used: dict[str, int], kinds: dict[str, str]
    ) -> bool:
        """The row's Programme ID (if any) is the child's, of the kind this record starts, and no other row
        of the file names it (each programme belongs to one record)."""
        ref = row["Programme ID"]
        if not ref:
            return True
        if not self.programme_known(kind, row):
            return False
        label = Programme.Kind(programme_kind).label
        if kinds.get(ref, programme_kind) != programme_kind:
            self.fail(kind, row, "Programme ID", f"not a {label} programme")
            return False
        if ref in used:
            self.fail(kind, row, "Programme ID", f"the programme of another row: also on row {used[ref]}")
            return False
        used[ref] = row.number
        return True

    def programme_kinds(self, refs: list[str]) -> dict[str, str]:
        """The kind of each programme named, from programmes.csv or (imported before) the product."""
        kinds = {r["Programme ID"]: r["Kind"] for r in self.rows.get("programmes", [])}
        missing = [ref for ref in refs if ref not in kinds]
        if missing:
            ids = dict(
                ImportedRecord.objects.filter(kind="programmes", external_id__in=missing).values_list(
                    "object_id", "external_id"
                )
            )
            for pk, programme_kind in Programme.objects.filter(pk__in=ids).values_list("pk", "kind"):
                kinds[ids[pk]] = programme_kind
        return kinds

    def programme_ends(self, refs: list[str], given: dict) -> dict[str, object]:
        """The end date (None: still open) of each programme named that programmes.csv does not give,
        as an earlier import left it."""
        missing = [ref for ref in refs if ref not in given]
        if not missing:
            return {}
        ids = dict(
            ImportedRecord.objects.filter(kind="programmes", external_id__in=missing).values_list(
                "object_id", "external_id"
            )
        )
        return {
            ids[pk]: end for pk, end in Programme.objects.filter(pk__in=ids).values_list("pk", "end_date")
        }

    def crown_court(self, rows: list[Row]) -> list[Row]:
        """003 §9: the screening, progress, oversight and end as crown_court_start, _progress, _oversight
        and _end (courts/services/crown_court.py) accept them."""
        rows = self.unique("crown_court", rows, "Tracking ID", "tracking ID")
        # Every row's programme looked up once (not a query per row).
        kinds = self.programme_kinds([r["Programme ID"] for r in rows if r["Programme ID"]])
        kept: list[Row] = []
        used: dict[str, int] = {}
        open_tracking: dict[str, int] = {}
        ends = {r["Programme ID"]: r["End date"] for r in self.rows.get("programmes", [])}
        # A programme an earlier import made, not in programmes.csv this time: its end date here.
        here = self.programme_ends(
            [r["Programme ID"] for r in rows if r["Programme ID"] and r["Ended on"]], ends
        )
        for row in rows:
            ok = self.known_staff("crown_court", row, "Recorded by email", "Oversight by email")
            ok = (
                self.programme_of_kind("crown_court", row, Programme.Kind.CROWN_COURT_TRACKING, used, kinds)
                and ok
            )
            ok = self._screening(row) and ok
            ok = self._tracking_dates(row) and ok
            # crown_court_end closes the programme: one named in programmes.csv ends there too.
            if ok and row["Ended on"] and ends.get(row["Programme ID"], False) is None:
                self.fail(
                    "crown_court",
                    row,
                    "Programme ID",
                    "the tracking has ended but this programme is still open in programmes.csv: give it the "
                    "end date too",
                )
                ok = False
            elif ok and row["Ended on"] and here.get(row["Programme ID"], False) is None:
                self.fail(
                    "crown_court",
                    row,
                    "Programme ID",
                    "the tracking has ended but this programme is still open here: give it the end date in "
                    "programmes.csv too",
                )
                ok = False
            unknown = [code for code in principle_codes(row["Principles done"]) if code not in PRINCIPLES]
            if unknown:
                self.fail(
                    "crown_court",
                    row,
                    "Principles done",
                    f"not a case tracking principle: {', '.join(unknown)} (docs/import-format.md)",
                )
                ok = False
            if ok and not row["Ended on"]:
                number = row["Case number"]
                if number in open_tracking:
                    self.fail(
                        "crown_court",
                        row,
                        "Ended on",
                        f"a second Crown Court tracking still running: also on row {open_tracking[number]}",
                    )
                    ok = False
                else:
                    open_tracking[number] = row.number
            if ok:
                kept.append(row)
        return kept

    def _screening(self, row: Row) -> bool:
        """003 §9.2: a band other than the screening's proposal is explained in the screening notes."""
        proposal = proposed_band(
            seriousness=row["Seriousness"],
            rosh=row["RoSH at screening"] or "",
            saw=row["SaW at screening"] or "",
        )
        if row["Band"] != proposal and not (row["Screening notes"] or "").strip():
            self.fail(
                "crown_court",
                row,
                "Screening notes",
                f"the screening proposes {Band(proposal).label}: required to explain deciding otherwise "
                "(003 §9.2)",
            )
            return False
        return True

    def _tracking_dates(self, row: Row) -> bool:
        """Nothing before the first appearance; a decision with who and when; an end with its outcome."""
        ok, first = True, first_day(row)
        for column in ("Next hearing on", "Oversight on", "Ended on"):
            if row[column] and row[column] < first:
                self.fail("crown_court", row, column, "before the first appearance")
                ok = False
        decision = (row["Oversight decision"] or "").strip()
        for column in ("Oversight by email", "Oversight on"):
            if decision and not row[column]:
                self.fail("crown_court", row, column, "required with an oversight decision (003 §9.5)")
                ok = False
            elif row[column] and not decision:
                self.fail("crown_court", row, "Oversight decision", f"required with the {column.lower()}")
                ok = False
        if row["Ended on"] and not (row["Outcome"] or "").strip():
            self.fail("crown_court", row, "Outcome", "required when the tracking has ended")
            ok = False
        for column in ("Outcome", "How it ended"):
            if row[column] and not row["Ended on"]:
                self.fail("crown_court", row, "Ended on", f"required with {column.lower()}")
                ok = False
        return ok

    def hearings_awaited(self, rows: list[Row]) -> list[Row]:
        """003 §10, App. C: listed, screened and answered as awaiting_hearing_add, _screen and _respond
        (courts/services/magistrates.py) accept them; a hearing may be in the future."""
        rows = self.unique("hearings_awaited", rows, "Hearing ID", "hearing ID")
        kinds = self.programme_kinds([r["Programme ID"] for r in rows if r["Programme ID"]])
        kept: list[Row] = []
        used: dict[str, int] = {}
        listed: dict[tuple, int] = {}
        for row in rows:
            ok = self.known_staff("hearings_awaited", row, "Added by email", "Screened by email")
            ok = self.programme_of_kind("hearings_awaited", row, Programme.Kind.MY_FUTURE, used, kinds) and ok
            ok = self._decision(row) and ok
            if row["Hearing on"] < row["Listed on"]:
                self.fail("hearings_awaited", row, "Hearing on", "before the date added to the list")
                ok = False
            decision = row["Decision"] or AwaitingHearing.Decision.PENDING
            if ok and decision in AwaitingHearing.ON_LIST:
                key = (row["Case number"], row["Hearing on"])
                if key in listed:
                    self.fail(
                        "hearings_awaited",
                        row,
                        "Hearing on",
                        f"the child is already on the list for this hearing: also on row {listed[key]}",
                    )
                    ok = False
                else:
                    listed[key] = row.number
            if ok:
                kept.append(row)
        return kept

    def _decision(self, row: Row) -> bool:
        """The decision agrees with its screening and answer (AwaitingHearing.TRANSITIONS): pending has
        neither; a screening has all three App. C answers, who and when; only an offer answered has an
        answer's date, and only an accepted one a My Future programme."""
        ok, kind = True, "hearings_awaited"
        decision = row["Decision"] or AwaitingHearing.Decision.PENDING
        label = AwaitingHearing.Decision(decision).label.lower()
        if decision == AwaitingHearing.Decision.PENDING:
            for column in ("Screened by email", "Screened on", *APP_C):
                if row[column] is not None:
                    self.fail(
                        kind, row, column, "the decision is pending: not screened yet, so leave it blank"
                    )
                    ok = False
        else:
            for column in ("Screened by email", "Screened on", *APP_C):
                if row[column] is None:
                    self.fail(kind, row, column, f"required for a screening decision ({label})")
                    ok = False
        if row["Screened on"] and row["Screened on"] < row["Listed on"]:
            self.fail(kind, row, "Screened on", "before the date added to the list")
            ok = False
        if row["Answered on"] and decision not in ANSWERED:
            self.fail(kind, row, "Answered on", "only an offer accepted or declined has an answer")
            ok = False
        if row["Answered on"] and row["Screened on"] and row["Answered on"] < row["Screened on"]:
            self.fail(kind, row, "Answered on", "before the screening")
            ok = False
        if row["Programme ID"] and decision != AwaitingHearing.Decision.ACCEPTED:
            self.fail(kind, row, "Programme ID", "only an accepted offer starts a My Future programme")
            ok = False
        if (
            decision == AwaitingHearing.Decision.ACCEPTED
            and not row["Programme ID"]
            and not row["Answered on"]
        ):
            self.fail(
                kind,
                row,
                "Answered on",
                "required for an accepted offer: My Futures starts that day (003 §10.3)",
            )
            ok = False
        return ok

    def further_offences(self, rows: list[Row]) -> list[Row]:
        """000 §1.3, as further_offence_record accepts it: a PSR court date or a sentence date, and a PSR
        court date already past when recorded only with the sentence date."""
        rows = self.unique("further_offences", rows, "Offence ID", "offence ID")
        kept = []
        for row in rows:
            ok = self.known_staff("further_offences", row, "Recorded by email")
            if not row["PSR court date"] and not row["Sentence date"]:
                self.fail(
                    "further_offences",
                    row,
                    "PSR court date",
                    "required: the PSR court date or, if sentenced without a PSR, the sentence date",
                )
                ok = False
            psr = row["PSR court date"]
            if psr and not row["Sentence date"] and psr < row["Recorded on"]:
                self.fail(
                    "further_offences",
                    row,
                    "Sentence date",
                    "required: the PSR court date had passed when the offence was recorded",
                )
                ok = False
            if row["Offence date"] and row["Offence date"] > row["Recorded on"]:
                self.fail("further_offences", row, "Offence date", "after the offence was recorded")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def bail_applications(self, rows: list[Row]) -> list[Row]:
        """000 §1.3, as bail_application_record accepts it: listed on or after the day it was recorded."""
        rows = self.unique("bail_applications", rows, "Application ID", "application ID")
        kept = []
        for row in rows:
            ok = self.known_staff("bail_applications", row, "Recorded by email")
            if row["Bail date"] < row["Recorded on"]:
                self.fail("bail_applications", row, "Bail date", "before the day it was recorded")
                ok = False
            if ok:
                kept.append(row)
        return kept
