"""The checks of caretaking agreements (003 §12.1-§12.2, §12.5, App. B) and transfers out (003 §12.6-§12.11),
mirroring the product's services: a status with what its step records, dates in their order."""

from __future__ import annotations

import datetime

from cases.models import Programme
from transfers.models import CaretakingAgreement, TransferIn, TransferOut
from transfers.services.external.caretaking import review_errors
from transfers.services.external.transfer_out import (
    OUTCOME,
    PARENTING,
    REQUEST,
    RESPONSIBILITIES,
    STATUS_NEEDS,
)

from ..format import DATE, Column
from ..models import ImportedRecord
from ..values import parse
from .rows import Row
from .steps import StepChecks, codes

TO, CA = TransferOut.Status, CaretakingAgreement.Status
# A checked row keeps its review dates, parsed, under this name (no column has it).
REVIEWS = "reviews held on (dates)"
REVIEW_DAY = Column("Reviews held on", DATE, past=True)
OURS = {code for code, _label in CaretakingAgreement.OUR_RESPONSIBILITIES}
HOMES = {code for code, _label in CaretakingAgreement.HOME_RESPONSIBILITIES}
PARENTING_CODES = {code for code, _label in TransferOut.PARENTING_DOCUMENTS}


def review_days(row: Row) -> list[datetime.date]:
    """The review dates of a checked row, oldest first."""
    return row.values.get(REVIEWS) or []


class CaretakingChecks(StepChecks):
    """Caretaking agreements and transfers out."""

    transfer_in_rows: dict[str, Row]

    def transfer_in_of(self, rows: list[Row]) -> dict[str, tuple[str, str, object, bool]]:
        """Each transfer in named: (case number, status, received on, looked after), from transfers_in.csv
        or imported before."""
        found = {
            ext: (r["Case number"], r["Status"], r["Received on"], bool(r["Looked after"]))
            for ext, r in getattr(self, "transfer_in_rows", {}).items()
        }
        wanted = {r["Transfer in ID"] for r in rows if r["Transfer in ID"]} - set(found)
        ids = dict(
            ImportedRecord.objects.filter(kind="transfers_in", external_id__in=wanted).values_list(
                "object_id", "external_id"
            )
        )
        for pk, number, status, received_on, looked_after in TransferIn.objects.filter(
            pk__in=ids
        ).values_list("pk", "child__case_number", "status", "received_on", "looked_after"):
            found[ids[pk]] = (number or "", status, received_on, looked_after)
        return found

    def agreements_holding(self, rows: list[Row]) -> dict[str, str]:
        """Each transfer in named that an agreement here already follows (a OneToOne): that agreement's
        old id, blank for one the product made."""
        ids = dict(
            ImportedRecord.objects.filter(
                kind="transfers_in",
                external_id__in={r["Transfer in ID"] for r in rows if r["Transfer in ID"]},
            ).values_list("object_id", "external_id")
        )
        holders = dict(
            CaretakingAgreement.objects.filter(transfer_in_id__in=ids).values_list("pk", "transfer_in_id")
        )
        mine = dict(
            ImportedRecord.objects.filter(kind="caretaking", object_id__in=holders).values_list(
                "object_id", "external_id"
            )
        )
        return {ids[transfer_in]: mine.get(pk, "") for pk, transfer_in in holders.items()}

    def reviews_of(self, row: Row) -> list | None:
        """The review dates a row gives, oldest first; None (each reported) if one is not a past date."""
        days, ok = [], True
        for part in codes(row["Reviews held on"]):
            try:
                days.append(parse(REVIEW_DAY, part, today=self.today))
            except ValueError as error:
                self.fail("caretaking", row, "Reviews held on", f"{part}: {error}")
                ok = False
        if not ok:
            return None
        row.values[REVIEWS] = sorted(set(days))
        return row.values[REVIEWS]

    # -- caretaking.csv (003 §12.1, App. B) --------------------------------------------------------------
    def caretaking(self, rows: list[Row]) -> list[Row]:
        kind = "caretaking"
        rows = self.unique(kind, rows, "Agreement ID", "agreement ID")
        transfers_in = self.transfer_in_of(rows)
        holding = self.agreements_holding(rows)
        children = self.child_facts(rows)
        in_force: dict[str, int] = {}
        here = self.in_progress_here(
            kind, CaretakingAgreement, [CaretakingAgreement.Status.ACTIVE], rows, "Agreement ID"
        )
        # One agreement follows a transfer in (CaretakingAgreement.transfer_in is a OneToOne).
        followed: dict[str, int] = {}
        kept = []
        for row in rows:
            status, starts = row["Status"], row["Starts on"]
            ok = self.known_staff(kind, row, "Case manager email", "Agreed by email")
            ref = row["Transfer in ID"]
            looked_after = children.get(row["Case number"], ("", False))[1]
            if ref:
                number, ti_status, received_on, ti_looked_after = transfers_in.get(ref, ("", "", None, False))
                looked_after = looked_after or ti_looked_after
                if not ti_status:
                    self.fail(
                        kind,
                        row,
                        "Transfer in ID",
                        "unknown transfer in: not in transfers_in.csv or imported before",
                    )
                    ok = False
                elif number != row["Case number"]:
                    self.fail(kind, row, "Transfer in ID", "the transfer in of another child")
                    ok = False
                elif ti_status != TransferIn.Status.ACCEPTED:
                    self.fail(
                        kind,
                        row,
                        "Transfer in ID",
                        f"the transfer in is {ti_status}, not accepted: caretaking follows a transfer in "
                        "accepted on a caretaking basis (003 §12.4)",
                    )
                    ok = False
                elif starts < received_on:
                    self.fail(kind, row, "Starts on", "before the transfer in's documents were received")
                    ok = False
                # The child's own accepted transfer in: followed by this agreement alone.
                usable = number == row["Case number"] and ti_status == TransferIn.Status.ACCEPTED
                if usable and ref in followed:
                    self.fail(
                        kind,
                        row,
                        "Transfer in ID",
                        f"the transfer in of another caretaking agreement: also on row {followed[ref]} (one "
                        "agreement follows a transfer in)",
                    )
                    ok = False
                elif usable and holding.get(ref, row["Agreement ID"]) != row["Agreement ID"]:
                    self.fail(
                        kind,
                        row,
                        "Transfer in ID",
                        "already followed by another caretaking agreement here (one agreement follows a "
                        "transfer in)",
                    )
                    ok = False
                elif usable:
                    followed[ref] = row.number
            for column, allowed in (("Our responsibilities", OURS), ("Home responsibilities", HOMES)):
                wrong = [c for c in codes(row[column]) if c not in allowed]
                if wrong:
                    self.fail(kind, row, column, f"not on the App. B list: {', '.join(wrong)}")
                    ok = False
            if status == CA.ACTIVE:
                ok = (
                    self.blank(
                        kind, row, ("Ended on",), "an agreement in force has not ended: change the status"
                    )
                    and ok
                )
                ok = ok and self.one_in_progress(kind, row, in_force, "caretaking agreement", here)
            else:
                ok = self.needed(kind, row, ("Ended on",), "once caretaking has ended (003 §12.1)") and ok
            ok = self.not_before(kind, row, ("Ended on",), "Starts on", "caretaking started") and ok
            if status == CA.FULL_TRANSFER and looked_after:
                self.fail(
                    kind,
                    row,
                    "Status",
                    "a looked-after child stays the case management responsibility of the home YOT: full "
                    "transfer does not apply (003 §12.2)",
                )
                ok = False
            reviews = self.reviews_of(row)
            if reviews is None:
                ok = False
            elif reviews and reviews[0] < starts:
                self.fail(kind, row, "Reviews held on", "a review before caretaking started")
                ok = False
            elif reviews and row["Ended on"] and reviews[-1] > row["Ended on"]:
                self.fail(kind, row, "Reviews held on", "a review after caretaking ended")
                ok = False
            elif row["Review by"] and status == CA.ACTIVE:
                base = reviews[-1] if reviews else starts
                if message := review_errors(starts_on=base, review_on=row["Review by"], noun="The review"):
                    self.fail(kind, row, "Review by", message)
                    ok = False
            if ok:
                kept.append(row)
        return kept

    def open_programmes_of(self, rows: list[Row]) -> dict[str, list[tuple[str, datetime.date]]]:
        """Each named child's programmes still open: (its id or name, start), from programmes.csv, else as
        an earlier import or the product left them."""
        numbers = {r["Case number"] for r in rows}
        given = [r for r in self.rows.get("programmes", []) if r["Case number"] in numbers]
        found: dict[str, list[tuple[str, datetime.date]]] = {}
        for r in given:
            if not r["End date"]:
                found.setdefault(r["Case number"], []).append((r["Programme ID"], r["Start date"]))
        if not numbers:
            return found
        superseded = set(
            ImportedRecord.objects.filter(
                kind="programmes", external_id__in=[r["Programme ID"] for r in given]
            ).values_list("object_id", flat=True)
        )
        for number, kind, start in (
            Programme.objects.filter(child__case_number__in=numbers, end_date__isnull=True)
            .exclude(pk__in=superseded)
            .values_list("child__case_number", "kind", "start_date")
        ):
            found.setdefault(number, []).append(
                (f"the {Programme.Kind(kind).label} from {start:%-d %B %Y}", start)
            )
        return found

    # -- transfers_out.csv (003 §12.6-§12.11) -----------------------------------------------------------
    def transfers_out(self, rows: list[Row]) -> list[Row]:
        kind = "transfers_out"
        rows = self.unique(kind, rows, "Transfer out ID", "transfer out ID")
        active: dict[str, int] = {}
        here = self.in_progress_here(kind, TransferOut, TransferOut.ACTIVE, rows, "Transfer out ID")
        programmes = self.open_programmes_of([r for r in rows if r["Status"] == TO.TRANSFERRED])
        kept = []
        for row in rows:
            status = row["Status"]
            ok = self.known_staff(kind, row, "Requested by email")
            # transfer_out_update closes the child's open programmes on transfer: none is open from before.
            answered = row["Outcome on"]
            for name, start in programmes.get(row["Case number"], []) if status == TO.TRANSFERRED else []:
                if answered and start <= answered:
                    self.fail(
                        kind,
                        row,
                        "Status",
                        f"the transfer closed the child's programmes (003 §12.6), but {name} is still open: "
                        "give its end date in programmes.csv",
                    )
                    ok = False
            ok = (
                self.not_before(
                    kind,
                    row,
                    ("AssetPlus updated on", "YOT request on", "Requested on", "Outcome on"),
                    "Move known on",
                    "the move was known",
                )
                and ok
            )
            ok = self.not_before(kind, row, ("Outcome on",), "Requested on", "the request was sent") and ok
            needs = STATUS_NEEDS[status]
            if REQUEST in needs:
                ok = (
                    self.needed(kind, row, ("Requested on",), f"when the status is {status} (003 §12.6)")
                    and ok
                )
            if OUTCOME in needs:
                ok = (
                    self.needed(
                        kind, row, ("Outcome on",), f"when the status is {status}: the host area's answer"
                    )
                    and ok
                )
            if RESPONSIBILITIES in needs:
                ok = (
                    self.needed(
                        kind,
                        row,
                        ("Responsibilities",),
                        f"when the status is {status}: agreed in writing (003 §12.7)",
                    )
                    and ok
                )
            if status == TO.NEEDED and row["Requested on"]:
                self.fail(
                    kind, row, "Status", "the request was sent, so the move is requested: change the status"
                )
                ok = False
            documents = codes(row["Parenting documents"])
            wrong = [c for c in documents if c not in PARENTING_CODES]
            if wrong:
                self.fail(kind, row, "Parenting documents", f"not on the 003 §12.11 list: {', '.join(wrong)}")
                ok = False
            if not row["Parenting order"]:
                ok = (
                    self.blank(
                        kind,
                        row,
                        ("Parenting order moves with it", "Parenting documents"),
                        "only with a parenting order: answer yes to Parenting order",
                    )
                    and ok
                )
            elif PARENTING in needs and not wrong:
                if not row["Parenting order moves with it"]:
                    self.fail(
                        kind,
                        row,
                        "Parenting order moves with it",
                        "a parent is subject to a Parenting Order: it transfers with the child's order (003 §12.9)",
                    )
                    ok = False
                missing = sorted(PARENTING_CODES - set(documents))
                if missing:
                    self.fail(
                        kind,
                        row,
                        "Parenting documents",
                        f"every parenting order document is provided before transfer (003 §12.11): missing {', '.join(missing)}",
                    )
                    ok = False
            if status in TransferOut.ACTIVE:
                ok = ok and self.one_in_progress(kind, row, active, "move out of the area", here)
            if ok:
                kept.append(row)
        return kept
