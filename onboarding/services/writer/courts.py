"""Writing a child's court history, matched on the old system's ids: Crown Court tracking, hearings awaited,
further offences and bail applications (ADR 0021).

The records are the ones the product's services make (courts/services, meetings/services/triggers.py):
a Crown Court tracking runs on its `crown_court_tracking` programme from the first appearance's day, closed
when the tracking ends (003 §9.6); an accepted My Futures offer starts a `my_future` programme on the day
of the answer (003 §10.3). A row naming its programme (Programme ID) uses that one; a row without starts
it here, and a later run keeps it in step with the row. Timeline entries are not written (as for the other
files: the old system's history comes in as case notes).
"""

from __future__ import annotations

from collections.abc import Callable

from simple_history.utils import bulk_create_with_history

from cases.models import Programme
from courts.models import AwaitingHearing, CrownCourtTracking
from meetings.models import BailApplication, FurtherOffence

from ...format import BY_NAME
from ...models import ImportedRecord
from ...validate import Row
from ...validate.courts import first_day, principle_codes
from .base import BaseWriter, clean_without_queries, set_changed

CROWN_COURT_DEFAULT = "Nottingham Crown Court"
MAGISTRATES_DEFAULT = "Nottingham Magistrates' Court"
PROGRAMME_FIELDS = ["start_date", "end_date", "closure_reason", "closure_notes"]
# The word awaiting_hearing_respond writes for each answer to the offer.
ANSWERS = {AwaitingHearing.Decision.ACCEPTED: "Accepted", AwaitingHearing.Decision.DECLINED: "Declined"}
# The export's id of a programme no import named (onboarding/export/base.py: the prefix and its key).
PROGRAMME_PREFIX = BY_NAME["programmes"].prefix


def _with_answer(row: Row) -> str:
    """The decision notes with the day of the child's answer as awaiting_hearing_respond keeps it
    ("Declined on 24/02/2026"), once: the export writes the notes back with it."""
    notes, answered = row["Decision notes"] or "", row["Answered on"]
    if not answered or row["Decision"] not in ANSWERS:
        return notes
    line = f"{ANSWERS[row['Decision']]} on {answered:%d/%m/%Y}"
    if any(given.startswith(line) for given in notes.splitlines()):  # with the answer's own notes after it
        return notes
    return "\n".join(filter(None, [notes, line]))


class CourtsWriter(BaseWriter):
    """A child's court history (003 §9-§10) and what calls a CMM (000 §1.3)."""

    # Set by RecordsWriter.programmes (the step before): each named programme's primary key.
    programme_by_ext: dict[str, int]

    def _own_programmes(
        self, kind: str, model, kind_of_programme: str, values_of: Callable[[Row], dict | None]
    ) -> dict[str, int]:
        """The programme each row without a Programme ID starts (`values_of` gives its dates, or None for a
        row that starts none): the one made by an earlier run, brought in step, or a new one. Returns the
        programme's primary key by the row's id."""
        key = self.key(kind)
        rows = [
            r for r in self.rows.get(kind, []) if not r["Programme ID"] and r["Case number"] in self.child_pk
        ]
        wanted = {row[key]: values for row in rows if (values := values_of(row)) is not None}
        if not wanted:
            return {}
        ids = dict(
            ImportedRecord.objects.filter(kind=kind, external_id__in=wanted).values_list(
                "external_id", "object_id"
            )
        )
        held = dict(
            model.objects.filter(pk__in=ids.values(), programme__isnull=False).values_list(
                "pk", "programme_id"
            )
        )
        programmes = Programme.objects.in_bulk(list(held.values()))
        children = {row[key]: self.child_pk[row["Case number"]] for row in rows}
        found: dict[str, int] = {}
        new: dict[str, Programme] = {}
        changed = []
        for ext, values in wanted.items():
            programme = programmes.get(held.get(ids.get(ext)))
            if programme is None:
                programme = Programme(child_id=children[ext], kind=kind_of_programme, **values)
                clean_without_queries(programme)
                new[ext] = programme
            else:
                found[ext] = programme.pk
                if set_changed(programme, {n: v for n, v in values.items() if n in PROGRAMME_FIELDS}):
                    clean_without_queries(programme)
                    changed.append(programme)
        bulk_create_with_history(
            list(new.values()), Programme, batch_size=500, default_user=self.by, default_date=self.now
        )
        if changed:
            Programme.objects.bulk_update(changed, PROGRAMME_FIELDS, batch_size=500)
        self.touched.update(p.child_id for p in [*new.values(), *changed])
        own = found | {ext: p.pk for ext, p in new.items()}
        # Each programme started here is given the id the export writes for it (programmes.csv and the row's
        # Programme ID), so importing the export matches it instead of starting a second one. An id already
        # taken by an old system's programme is left to it.
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(kind="programmes", external_id=f"{PROGRAMME_PREFIX}{pk}", object_id=pk)
                for pk in own.values()
            ],
            ignore_conflicts=True,
        )
        return own

    def crown_court(self) -> None:
        def programme_values(row: Row) -> dict:
            ended = row["Ended on"]
            return {
                "start_date": first_day(row),
                "end_date": ended,
                "closure_reason": (row["How it ended"] or Programme.ClosureReason.SENTENCED) if ended else "",
                "closure_notes": f"Crown Court outcome: {row['Outcome']}" if ended else "",
                "created_by_id": self.staff_pk(row["Recorded by email"]),
            }

        own = self._own_programmes(
            "crown_court", CrownCourtTracking, Programme.Kind.CROWN_COURT_TRACKING, programme_values
        )

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            ref = row["Programme ID"]
            return {
                "child_id": child,
                "programme_id": self.programme_by_ext.get(ref) if ref else own.get(row["Tracking ID"]),
                "first_appearance_at": row["First appearance at"],
                "court": row["Court"] or CROWN_COURT_DEFAULT,
                "offence": row["Offence"],
                "seriousness": row["Seriousness"],
                "rosh": row["RoSH at screening"] or "",
                "saw": row["SaW at screening"] or "",
                "band": row["Band"],
                "screening_notes": row["Screening notes"] or "",
                "next_hearing_on": row["Next hearing on"],
                "trial_attendance": row["Oversight decision"] or "",
                "oversight_by_id": self.staff_pk(row["Oversight by email"]),
                "oversight_on": row["Oversight on"],
                # In the order the product lists them (crown_court_progress).
                "principles": [
                    code
                    for code, _ in CrownCourtTracking.PRINCIPLES
                    if code in principle_codes(row["Principles done"])
                ],
                "out_of_area_home_yjs": row["Home YJS"] or "",
                "ended_on": row["Ended on"],
                "outcome": row["Outcome"] or "",
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("crown_court", CrownCourtTracking, build, history=True)

    def hearings_awaited(self) -> None:
        def programme_values(row: Row) -> dict | None:
            if row["Decision"] != AwaitingHearing.Decision.ACCEPTED:
                return None
            return {
                "start_date": row["Answered on"],
                "created_by_id": self.staff_pk(row["Screened by email"]),
            }

        own = self._own_programmes(
            "hearings_awaited", AwaitingHearing, Programme.Kind.MY_FUTURE, programme_values
        )

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            added_by = self.staff_pk(row["Added by email"])
            if child is None or added_by is None:
                return None
            ref = row["Programme ID"]
            return {
                "child_id": child,
                "hearing_on": row["Hearing on"],
                "court": row["Court"] or MAGISTRATES_DEFAULT,
                "offence": row["Offence"],
                "listed_on": row["Listed on"],
                "adjournment_over_six_weeks": row["Adjournment over six weeks"],
                "risk_to_others": row["Risk to others"],
                "no_other_agencies": row["No other agencies"],
                "circumstances": row["Circumstances"] or "",
                "decision": row["Decision"] or AwaitingHearing.Decision.PENDING,
                "screened_by_id": self.staff_pk(row["Screened by email"]),
                "screened_on": row["Screened on"],
                "decision_notes": _with_answer(row),
                "programme_id": self.programme_by_ext.get(ref) if ref else own.get(row["Hearing ID"]),
                "created_by_id": added_by,
            }

        self._by_external_id("hearings_awaited", AwaitingHearing, build, history=True)

    def further_offences(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            return {
                "child_id": child,
                "description": row["Description"],
                "offence_date": row["Offence date"],
                "psr_court_date": row["PSR court date"],
                "sentence_date": row["Sentence date"],
                "recorded_on": row["Recorded on"],
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("further_offences", FurtherOffence, build, history=False)

    def bail_applications(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            return {
                "child_id": child,
                "bail_date": row["Bail date"],
                "court": row["Court"] or "",
                "notes": row["Notes"] or "",
                "recorded_on": row["Recorded on"],
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("bail_applications", BailApplication, build, history=False)
