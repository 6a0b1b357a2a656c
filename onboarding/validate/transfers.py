"""The checks of the transfer files (003 §11-§12, App. A-B), mirroring the product's forms and state
machines: each status with the dates and people its steps record, the dates in their order, and the
Transfer In Summary's own checks (transfers/services/external/transfer_in_checks.py)."""

from __future__ import annotations

import datetime

from django.db.models.functions import Lower

from cases.models import Team, User
from transfers.models import InternalTransfer, TransferIn
from transfers.services.external.transfer_in_checks import documents_errors, levels_errors, mappa_errors

from .rows import Row
from .steps import StepChecks, codes

IT = InternalTransfer.Status
# Internal transfer statuses that have reached each step (003 §11.4-§11.7); an escalation clears the
# endorsement, a withdrawal clears the endorsement and allocation (transfers/services/internal).
ENDORSED = (IT.ENDORSED, IT.ALLOCATED, IT.COMPLETED)
ALLOCATED = (IT.ALLOCATED, IT.COMPLETED)
# A withdrawal clears the endorsement's and allocation's dates but keeps who took them (_clear_steps).
KEPT_PEOPLE = (IT.WITHDRAWN,)
# The Transfer In Summary's fields as their checks name them, and the column that carries each.
TRANSFER_IN_COLUMNS = {
    "rosh": "RoSH",
    "saw": "SaW",
    "lor": "LoR",
    "mappa_level": "MAPPA level",
    "home_mappa_agreed": "Home MAPPA agreed",
    "mappa_coordinator_alerted": "MAPPA co-ordinator alerted",
}
# The home YJS's levels: a wrong one is an error, a missing one is not (the child's are levels.csv's).
LEVEL_FIELDS = ("rosh", "saw", "lor")
NA_ALLOWED = {code: na for code, _label, na in TransferIn.DOCUMENTS}


def documents_of(row: Row) -> tuple[dict, list[str]]:
    """The App. A checklist a row gives ({code: {answer, reason}}: received unless missing or N/A), and
    the codes it names that are not App. A documents."""
    documents = {code: {"answer": "yes", "reason": ""} for code in NA_ALLOWED}
    unknown = []
    for item in codes(row["Documents missing"]):
        code, _, reason = item.partition(":")
        code = code.strip().lower()
        if code in documents:
            documents[code] = {"answer": "no", "reason": reason.strip()}
        else:
            unknown.append(code)
    for code in (c.lower() for c in codes(row["Documents not applicable"])):
        if code in documents:
            documents[code] = {"answer": "na", "reason": ""}
        else:
            unknown.append(code)
    return documents, unknown


class TransferChecks(StepChecks):
    """Internal transfers and transfers in."""

    def staff_teams(self, emails: set[str]) -> dict[str, str]:
        """Each named worker's team (lower case): staff.csv's row, else as here."""
        teams = {
            r["Email"]: (r["Team"] or "").lower() for r in self.rows.get("staff", []) if r["Email"] in emails
        }
        others = emails - set(teams)
        if others:  # emails are compared in lower case (onboarding.values), as the check's look-ups are
            for email, team in (
                User.objects.annotate(address=Lower("email"))
                .filter(address__in=others)
                .values_list("address", "team__name")
            ):
                teams[email] = (team or "").lower()
        return teams

    # -- internal_transfers.csv (003 §11) --------------------------------------------------------------
    def internal_transfers(self, rows: list[Row]) -> list[Row]:
        kind = "internal_transfers"
        rows = self.unique(kind, rows, "Transfer ID", "transfer ID")
        team_kinds = {name.lower(): k for name, k in Team.objects.values_list("name", "kind")}
        team_kinds |= {
            r["Team name"].lower(): r["Team kind"] or Team.Kind.LOCALITY for r in self.rows["teams"]
        }
        children = self.child_facts(rows)
        teams_of = self.staff_teams(
            {r["New case manager email"] for r in rows if r["Status"] == IT.ALLOCATED}
        )
        active: dict[str, int] = {}
        here = self.in_progress_here(kind, InternalTransfer, InternalTransfer.ACTIVE, rows, "Transfer ID")
        kept = []
        for row in rows:
            status = row["Status"]
            ok = self.known_staff(
                kind,
                row,
                "From case manager email",
                "Proposed by email",
                "Endorsed by email",
                "New case manager email",
                "Allocated by email",
            )
            for column in ("From team", "To team"):
                if row[column].lower() not in self.team_names:
                    self.fail(kind, row, column, "unknown team: not in teams.csv or here")
                    ok = False
            source, target = row["From team"].lower(), row["To team"].lower()
            if ok and source == target:
                self.fail(kind, row, "To team", "the same as the From team: choose another locality team")
                ok = False
            elif ok and team_kinds.get(target) != Team.Kind.LOCALITY:
                self.fail(kind, row, "To team", "not a locality team (003 §11)")
                ok = False
            ok = (
                self.not_before(
                    kind,
                    row,
                    ("Escalated on", "Endorsed on", "Allocated on", "Three-way meeting on"),
                    "Proposed on",
                    "the transfer was proposed",
                )
                and ok
            )
            ok = (
                self.not_before(kind, row, ("Allocated on",), "Endorsed on", "the transfer was endorsed")
                and ok
            )
            ok = (
                self.not_before(
                    kind, row, ("Three-way meeting on",), "Allocated on", "the case was allocated (003 §11.7)"
                )
                and ok
            )
            mappa_on = row["MAPPA endorsed on"]
            if mappa_on and mappa_on < row["Proposed on"] - datetime.timedelta(days=90):
                self.fail(
                    kind,
                    row,
                    "MAPPA endorsed on",
                    "more than 90 days before the proposal: the MAPPA meeting must have considered this "
                    "transfer (003 §11.5)",
                )
                ok = False
            why = f"for {'an' if status[0] in 'aeiou' else 'a'} {status} transfer"
            if status in ENDORSED:
                ok = self.needed(kind, row, ("Endorsed on", "Endorsed by email"), f"{why} (003 §11.4)") and ok
                ok = (
                    self.needed(
                        kind,
                        row,
                        ("Home visit on", "Review assessment on"),
                        f"{why}: before endorsing (003 §11.3)",
                    )
                    and ok
                )
            else:
                ok = (
                    self.blank(
                        kind,
                        row,
                        ("Endorsed on",),
                        f"only an endorsed transfer has this date: this one is {status}",
                    )
                    and ok
                )
                if status not in KEPT_PEOPLE:
                    ok = (
                        self.blank(
                            kind,
                            row,
                            ("Endorsed by email",),
                            f"only an endorsed transfer has this: this one is {status}",
                        )
                        and ok
                    )
            if status in ALLOCATED:
                ok = (
                    self.needed(
                        kind, row, ("Allocated on", "New case manager email", "Allocated by email"), why
                    )
                    and ok
                )
            else:
                ok = (
                    self.blank(
                        kind,
                        row,
                        ("Allocated on",),
                        f"only an allocated transfer has this date: this one is {status}",
                    )
                    and ok
                )
                if status not in KEPT_PEOPLE:
                    # The new case manager sees an active transfer's child (transfers' incoming_children):
                    # only once the receiving team has allocated them.
                    ok = (
                        self.blank(
                            kind,
                            row,
                            ("New case manager email", "Allocated by email"),
                            f"only an allocated transfer has this: this one is {status}",
                        )
                        and ok
                    )
            worker = row["New case manager email"]
            if ok and status == IT.ALLOCATED and worker and teams_of.get(worker) != target:
                self.fail(
                    kind,
                    row,
                    "New case manager email",
                    "not in the To team: the receiving team allocates one of its own case managers (003 §11.4)",
                )
                ok = False
            if status == IT.COMPLETED:
                ok = self.needed(kind, row, ("Three-way meeting on",), f"{why} (003 §11.7)") and ok
                if row["Enforcement pending"]:
                    self.fail(
                        kind,
                        row,
                        "Enforcement pending",
                        "a completed transfer has settled any enforcement action (003 §11.7)",
                    )
                    ok = False
            else:
                ok = (
                    self.blank(
                        kind,
                        row,
                        ("Three-way meeting on",),
                        f"the three-way meeting transfers the case (003 §11.7): this transfer is {status}",
                    )
                    and ok
                )
            if status == IT.ESCALATED:
                ok = (
                    self.needed(kind, row, ("Escalated on", "Escalation reason"), f"{why} (003 §11.4)") and ok
                )
            if status in (IT.DECLINED, IT.WITHDRAWN):
                ok = self.needed(kind, row, ("Closed reason",), why) and ok
            if status in InternalTransfer.ACTIVE:
                team = children.get(row["Case number"], ("", False))[0]
                if team and team != source:
                    self.fail(
                        kind,
                        row,
                        "From team",
                        "not the child's team: the original team stays responsible until the three-way "
                        "meeting (003 §11.7)",
                    )
                    ok = False
                ok = ok and self.one_in_progress(kind, row, active, "transfer", here)
            if ok:
                kept.append(row)
        return kept

    # -- transfers_in.csv (003 §12.4, App. A) ------------------------------------------------------------
    def transfers_in(self, rows: list[Row]) -> list[Row]:
        kind = "transfers_in"
        rows = self.unique(kind, rows, "Transfer in ID", "transfer in ID")
        kept = []
        for row in rows:
            status = row["Status"]
            ok = self.known_staff(kind, row, "Decided by email", "Recorded by email")
            if row["Receiving team"] and row["Receiving team"].lower() not in self.team_names:
                self.fail(kind, row, "Receiving team", "unknown team: not in teams.csv or here")
                ok = False
            ok = (
                self.not_before(
                    kind,
                    row,
                    ("Decided on", "Reasons communicated on", "Requirements confirmed on"),
                    "Received on",
                    "the documents were received",
                )
                and ok
            )
            if status == TransferIn.Status.RECEIVED:
                ok = (
                    self.blank(
                        kind,
                        row,
                        ("Decided on", "Decided by email"),
                        "only a decided transfer in has this: it is received",
                    )
                    and ok
                )
            else:
                ok = (
                    self.needed(kind, row, ("Decided on", "Decided by email"), "once decided (003 §12.4)")
                    and ok
                )
            if status in (TransferIn.Status.STAYED, TransferIn.Status.REJECTED):
                ok = (
                    self.needed(
                        kind,
                        row,
                        ("Decision reasons", "Reasons communicated on"),
                        "for a stay or rejection, so the home YJS can address them (003 §12.4)",
                    )
                    and ok
                )
            if row["Requirements confirmed on"] and not (row["Supervision requirements"] or "").strip():
                self.fail(kind, row, "Supervision requirements", "required with the date they were confirmed")
                ok = False
            documents, unknown = documents_of(row)
            for code in unknown:
                self.fail(kind, row, "Documents missing", f"unknown document: {code} (docs/import-format.md)")
                ok = False
            looked_after = bool(row["Looked after"])
            for code, message in documents_errors(
                documents, row["Missing paperwork reasons"] or "", looked_after=looked_after
            ).items():
                column = (
                    "Documents not applicable" if documents[code]["answer"] == "na" else "Documents missing"
                )
                self.fail(kind, row, column, message)
                ok = False
            problems = levels_errors(
                high_risk=row["High risk"], rosh=row["RoSH"] or "", saw=row["SaW"] or "", lor=row["LoR"] or ""
            )
            problems |= mappa_errors(
                category=int(row["MAPPA category"]) if row["MAPPA category"] else None,
                level=int(row["MAPPA level"]) if row["MAPPA level"] else None,
                home_agreed=row["Home MAPPA agreed"] or TransferIn.YesNoNa.NA,
                alerted=row["MAPPA co-ordinator alerted"] or TransferIn.YesNoNa.NA,
            )
            for field, message in problems.items():
                column = TRANSFER_IN_COLUMNS[field]
                if field in LEVEL_FIELDS and not row[column]:
                    continue  # a summary from before the levels were asked for (migration 0004) has none
                self.fail(kind, row, column, message)
                ok = False
            if ok:
                kept.append(row)
        self.transfer_in_rows = {r["Transfer in ID"]: r for r in kept}
        return kept
