"""Writing the transfer files (003 §11-§12, App. A-B) and MAPPA's history (001 §8), matched on the old
system's ids (ADR 0021): each record as the product's own services leave it at its status.

What a step sets off elsewhere is carried by the other files, not done again here: the child's team,
case manager and allocations (children.csv, allocations.csv), a closed record (children.csv's Open) and
closed programmes (programmes.csv). The timeline's notes of each step are not written (the facts come
from the records: transfers/facts.py)."""

from __future__ import annotations

from cases.models import Child, Team
from core.models import Task
from mappa.models import MappaLevel, MappaRecord, RegisterShare
from mappa.services.share import task_source
from transfers.models import CaretakingAgreement, InternalTransfer, MoveTerm, TransferIn, TransferOut
from transfers.selectors.external import review_default
from transfers.services.external.transfer_in_checks import clean_documents

from ...models import ImportedRecord
from ...validate import Row
from ...validate.caretaking import review_days
from ...validate.steps import codes
from ...validate.transfers import documents_of
from .base import BaseWriter

NA = TransferIn.YesNoNa.NA


def _text(value) -> str:
    return (value or "").strip()


def _number(value) -> int | None:
    return int(value) if value else None


def _ordered(cell: str | None, pairs) -> list[str]:
    """The codes a cell gives, in the order of the product's list (as its forms save them)."""
    given = set(codes(cell))
    return [code for code, *_rest in pairs if code in given]


class TransfersWriter(BaseWriter):
    """A child's transfers, caretaking and MAPPA levels; the register's shares."""

    team_by_name: dict[str, Team]  # PeopleWriter.teams

    def team_pk(self, name: str | None) -> int | None:
        team = self.team_by_name.get((name or "").lower())
        return team.pk if team is not None else None

    def ids_of(self, kind: str, refs) -> dict[str, int]:
        refs = {r for r in refs if r}
        if not refs:
            return {}
        return dict(
            ImportedRecord.objects.filter(kind=kind, external_id__in=refs).values_list(
                "external_id", "object_id"
            )
        )

    def internal_transfers(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            proposed_by = self.staff_pk(row["Proposed by email"])
            if child is None or proposed_by is None:
                return None
            return {
                "child_id": child,
                "status": row["Status"],
                "from_team_id": self.team_pk(row["From team"]),
                "to_team_id": self.team_pk(row["To team"]),
                "from_case_manager_id": self.staff_pk(row["From case manager email"]),
                "proposed_by_id": proposed_by,
                "proposed_on": row["Proposed on"],
                "new_address": _text(row["New address"]),
                "move_term": row["Move term"] or MoveTerm.UNKNOWN,
                "time_left": _text(row["Time left on the order"]),
                "saw_effect": _text(row["Effect on safety and wellbeing"]),
                "rosh_effect": _text(row["Effect on RoSH management"]),
                "continuity": _text(row["Continuity and stability"]),
                "detriment": _text(row["Detriment of a change of worker"]),
                "child_views": _text(row["Child's views"]),
                "home_visit_on": row["Home visit on"],
                "review_assessment_on": row["Review assessment on"],
                "mappa_endorsed_on": row["MAPPA endorsed on"],
                "escalated_on": row["Escalated on"],
                "escalation_reason": _text(row["Escalation reason"]),
                "endorsed_by_id": self.staff_pk(row["Endorsed by email"]),
                "endorsed_on": row["Endorsed on"],
                "decision_notes": _text(row["Decision notes"]),
                "to_case_manager_id": self.staff_pk(row["New case manager email"]),
                "allocated_by_id": self.staff_pk(row["Allocated by email"]),
                "allocated_on": row["Allocated on"],
                "meeting_on": row["Three-way meeting on"],
                "meeting_notes": _text(row["Meeting notes"]),
                "enforcement_pending": bool(row["Enforcement pending"]),
                "enforcement_notes": _text(row["Enforcement notes"]),
                "closed_reason": _text(row["Closed reason"]),
            }

        self._by_external_id("internal_transfers", InternalTransfer, build, history=True)

    def transfers_in(self) -> None:
        rows = self.rows.get("transfers_in", [])
        pks = [self.child_pk[r["Case number"]] for r in rows if r["Case number"] in self.child_pk]
        children: dict[int | None, Child] = {c.pk: c for c in Child.objects.filter(pk__in=pks)}

        def build(row: Row) -> dict | None:
            child = children.get(self.child_pk.get(row["Case number"]))
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            documents, _unknown = documents_of(row)
            return {
                "child_id": child.pk,
                "team_id": self.team_pk(row["Receiving team"]) or child.team_id,
                "status": row["Status"],
                "received_on": row["Received on"],
                "first_name": row["First name"] or child.first_name,
                "last_name": row["Last name"] or child.last_name,
                "date_of_birth": row["Date of birth"] or child.date_of_birth,
                "home_yjs": _text(row["Home YJS"]),
                "home_case_id": _text(row["Home case ID"]),
                "proposed_address": _text(row["Proposed address"]),
                "living_with": _text(row["Living with"]),
                "living_with_relationship": _text(row["Relationship to the child"]),
                "parental_responsibility_name": _text(row["Parental responsibility"]),
                "parental_responsibility_address": _text(row["Parental responsibility address"]),
                "social_worker": _text(row["Social worker"]),
                "csc_advised": row["CSC advised"] or NA,
                "home_case_manager": _text(row["Home case manager"]),
                "order_type": _text(row["Order type"]),
                "order_start": row["Order start"],
                "order_length": _text(row["Order length"]),
                "iom": bool(row["IOM"]),
                "high_risk": bool(row["High risk"]),
                "high_risk_details": _text(row["High risk details"]),
                "rosh": row["RoSH"] or "",
                "saw": row["SaW"] or "",
                "lor": row["LoR"] or "",
                "mappa_category": _number(row["MAPPA category"]),
                "mappa_level": _number(row["MAPPA level"]),
                "home_mappa_agreed": row["Home MAPPA agreed"] or NA,
                "mappa_coordinator_alerted": row["MAPPA co-ordinator alerted"] or NA,
                "safeguarding": bool(row["Safeguarding"]),
                "safeguarding_details": _text(row["Safeguarding details"]),
                "child_protection_plan": bool(row["Child protection plan"]),
                "child_protection_details": _text(row["Child protection details"]),
                "looked_after": bool(row["Looked after"]),
                "offence_details": _text(row["Offence details"]),
                "order_summary": _text(row["Order summary"]),
                "documents": clean_documents(documents),
                "missing_reasons": _text(row["Missing paperwork reasons"]),
                "decided_by_id": self.staff_pk(row["Decided by email"]),
                "decided_on": row["Decided on"],
                "decision_reasons": _text(row["Decision reasons"]),
                "communicated_on": row["Reasons communicated on"],
                "requirements": _text(row["Supervision requirements"]),
                "requirements_confirmed_on": row["Requirements confirmed on"],
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("transfers_in", TransferIn, build, history=True)

    def caretaking(self) -> None:
        rows = self.rows.get("caretaking", [])
        transfers_in = self.ids_of("transfers_in", [r["Transfer in ID"] for r in rows])

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            case_manager = self.staff_pk(row["Case manager email"])
            agreed_by = self.staff_pk(row["Agreed by email"])
            if child is None or case_manager is None or agreed_by is None:
                return None
            reviews = review_days(row)
            # Blank: the latest allowed, three months from the last review or the start (003 §12.1).
            review_on = row["Review by"] or review_default(reviews[-1] if reviews else row["Starts on"])
            return {
                "child_id": child,
                "transfer_in_id": transfers_in.get(row["Transfer in ID"]),
                "status": row["Status"],
                "case_manager_id": case_manager,
                "home_yjs": _text(row["Home YJS"]),
                "home_officer": _text(row["Home officer"]),
                "starts_on": row["Starts on"],
                "our_responsibilities": _ordered(
                    row["Our responsibilities"], CaretakingAgreement.OUR_RESPONSIBILITIES
                ),
                "our_other": _text(row["Our other responsibilities"]),
                "home_responsibilities": _ordered(
                    row["Home responsibilities"], CaretakingAgreement.HOME_RESPONSIBILITIES
                ),
                "home_other": _text(row["Home other responsibilities"]),
                "contact_frequency": _text(row["Contact frequency"]),
                "review_on": review_on,
                "reviewed_on": reviews[0] if reviews else None,
                "review_dates": [day.isoformat() for day in reviews],
                "review_notes": _text(row["Review notes"]),
                "host_signed_name": _text(row["Host signed name"]),
                "host_signed_role": _text(row["Host signed role"]),
                "host_signed_on": row["Host signed on"],
                "home_signed_name": _text(row["Home signed name"]),
                "home_signed_role": _text(row["Home signed role"]),
                "home_signed_on": row["Home signed on"],
                "ended_on": row["Ended on"],
                "created_by_id": agreed_by,
            }

        self._by_external_id("caretaking", CaretakingAgreement, build, history=True)

    def transfers_out(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            requested_by = self.staff_pk(row["Requested by email"])
            if child is None or requested_by is None:
                return None
            parenting = bool(row["Parenting order"])
            return {
                "child_id": child,
                "status": row["Status"],
                "kind": row["Kind"],
                "host_area": _text(row["Host area"]),
                "host_contact": _text(row["Host contact"]),
                "move_known_on": row["Move known on"],
                "new_address": _text(row["New address"]),
                "assetplus_updated_on": row["AssetPlus updated on"],
                "yot_request_on": row["YOT request on"],
                "requested_on": row["Requested on"],
                "parenting_order": parenting,
                "parenting_simultaneous": parenting and bool(row["Parenting order moves with it"]),
                "parenting_documents": _ordered(row["Parenting documents"], TransferOut.PARENTING_DOCUMENTS)
                if parenting
                else [],
                "responsibilities": _text(row["Responsibilities"]),
                "outcome_on": row["Outcome on"],
                "outcome_notes": _text(row["Outcome notes"]),
                "requested_by_id": requested_by,
            }

        self._by_external_id("transfers_out", TransferOut, build, history=True)

    def mappa_levels(self) -> None:
        """Every level set (001 §8). A level mappa.csv's current level already made (the same record,
        level and day, not yet matched to an id) is matched to its row rather than made twice; the record's
        current level is then the latest, as `mappa_level_set` keeps it."""
        rows = self.rows.get("mappa_levels", [])
        if not rows:
            return
        records = self.ids_of("mappa", [r["MAPPA ID"] for r in rows])
        self._adopt_levels(rows, records)

        def build(row: Row) -> dict | None:
            record = records.get(row["MAPPA ID"])
            set_by = self.staff_pk(row["Set by email"])
            if record is None or set_by is None:
                return None
            return {
                "record_id": record,
                "level": int(row["Level"]),
                "set_on": row["Set on"],
                "reason": _text(row["Reason"]),
                "set_by_id": set_by,
            }

        counts = self.report.counts("mappa_levels")
        before = counts.created + counts.updated
        self._by_external_id("mappa_levels", MappaLevel, build, history=True)
        changed = counts.created + counts.updated > before
        # The latest level: the file's last of its latest day (as the check matched it to mappa.csv's
        # current level; mappa.csv's own level was made first), unless one was set here on a later day.
        latest: dict[int, tuple] = {}
        for record_id, level, set_on in (
            MappaLevel.objects.filter(record_id__in=records.values())
            .order_by("set_on", "pk")
            .values_list("record_id", "level", "set_on")
        ):
            latest[record_id] = (set_on, level)
        given: dict[int, tuple] = {}
        for row in rows:
            named = records.get(row["MAPPA ID"])
            if named is not None and row["Set on"] >= given.get(named, (row["Set on"], 0))[0]:
                given[named] = (row["Set on"], int(row["Level"]))
        for record_id, (set_on, level) in given.items():
            if latest.get(record_id, given[record_id])[0] <= set_on:
                latest[record_id] = (set_on, level)
        for record in MappaRecord.objects.filter(pk__in=latest):
            if record.current_level != latest[record.pk][1]:
                record.current_level = latest[record.pk][1]
                record.save(update_fields=["current_level"])
                changed = True
        if changed:
            self.touched.update(
                MappaRecord.objects.filter(pk__in=records.values()).values_list("child_id", flat=True)
            )

    def _adopt_levels(self, rows: list[Row], records: dict[str, int]) -> None:
        """Give an id to the level mappa.csv's current level made, where a row names the same one."""
        mine = self.ids_of("mappa_levels", [r["Level ID"] for r in rows])
        levels = list(
            MappaLevel.objects.filter(record_id__in=records.values()).values_list(
                "pk", "record_id", "level", "set_on"
            )
        )
        # Only these records' levels: a child's writes cost the same however many are here (ADR 0021).
        keyed = set(
            ImportedRecord.objects.filter(
                kind="mappa_levels", object_id__in=[pk for pk, *_rest in levels]
            ).values_list("object_id", flat=True)
        )
        free: dict[tuple, int] = {}
        for pk, record, level, set_on in levels:
            if pk not in keyed:
                free.setdefault((record, level, set_on), pk)
        adopted = []
        for row in rows:
            key = (records.get(row["MAPPA ID"]), int(row["Level"]), row["Set on"])
            if row["Level ID"] not in mine and key in free:
                adopted.append(
                    ImportedRecord(kind="mappa_levels", external_id=row["Level ID"], object_id=free.pop(key))
                )
        ImportedRecord.objects.bulk_create(adopted)

    def register_shares(self) -> None:
        """The register's quarterly shares (001 §8); each quarter's share tasks are then done, as
        `register_share_record` leaves them."""

        def build(row: Row) -> dict | None:
            shared_by = self.staff_pk(row["Shared by email"])
            if shared_by is None:
                return None
            self.workers.add(shared_by)
            return {
                "quarter": row["Quarter"],
                "shared_on": row["Shared on"],
                "shared_by_id": shared_by,
                "rows": row["Rows"] or 0,
            }

        self._by_external_id("register_shares", RegisterShare, build, history=False)
        for share in RegisterShare.objects.filter(
            quarter__in=[r["Quarter"] for r in self.rows.get("register_shares", [])]
        ):
            Task.objects.filter(source=task_source(share.quarter), done_on__isnull=True).update(
                done_on=share.shared_on,
                done_by_id=share.shared_by_id,
                done_note=f"Register shared with {share.rows} rows",
            )
