"""The rows of a child's court history in the import format: Crown Court tracking, hearings awaited,
further offences and bail applications."""

from __future__ import annotations

from collections.abc import Iterator

from cases.models import Programme
from courts.models import AwaitingHearing, CrownCourtTracking
from courts.services import END_REASONS
from meetings.models import BailApplication, FurtherOffence

from .base import BaseExporter, _at, _yes


class CourtsExporter(BaseExporter):
    def _programme_ids(self):
        """Each programme's id as programmes.csv gives it (blank for none)."""
        ext = self.ext("programmes")
        return lambda pk: ext(pk) if pk else ""

    def crown_court_rows(self) -> Iterator[list]:
        """Every tracking, naming its programme (programmes.csv carries its dates and its end)."""
        ext, programme = self.ext("crown_court"), self._programme_ids()
        closures = dict(
            Programme.objects.filter(crown_court_tracking__isnull=False).values_list("pk", "closure_reason")
        )
        for t in CrownCourtTracking.objects.order_by("pk").iterator(chunk_size=2000):
            closure = closures.get(t.programme_id, "") if t.programme_id else ""
            yield [
                ext(t.pk),
                self.case_numbers[t.child_id],
                _at(t.first_appearance_at),
                t.court,
                t.offence,
                t.seriousness,
                t.rosh,
                t.saw,
                t.band,
                t.screening_notes,
                t.next_hearing_on,
                "; ".join(t.principles),
                t.trial_attendance,
                self.email(t.oversight_by_id),
                t.oversight_on,
                t.out_of_area_home_yjs,
                t.ended_on,
                t.outcome,
                closure if t.ended_on and closure in END_REASONS else "",
                self.email(t.recorded_by_id),
                programme(t.programme_id),
            ]

    def hearings_awaited_rows(self) -> Iterator[list]:
        """Every entry of the Magistrates' Court list; an accepted offer names its My Future programme
        (whose start is the day of the answer)."""
        ext, programme = self.ext("hearings_awaited"), self._programme_ids()
        starts = dict(
            Programme.objects.filter(awaiting_hearing__isnull=False).values_list("pk", "start_date")
        )
        for h in AwaitingHearing.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(h.pk),
                self.case_numbers[h.child_id],
                h.hearing_on,
                h.court,
                h.offence,
                h.listed_on,
                _yes(h.adjournment_over_six_weeks),
                _yes(h.risk_to_others),
                _yes(h.no_other_agencies),
                h.circumstances,
                h.decision,
                self.email(h.screened_by_id),
                h.screened_on,
                h.decision_notes,
                starts.get(h.programme_id)
                if h.programme_id and h.decision == AwaitingHearing.Decision.ACCEPTED
                else None,
                self.email(h.created_by_id),
                programme(h.programme_id) if h.decision == AwaitingHearing.Decision.ACCEPTED else "",
            ]

    def further_offences_rows(self) -> Iterator[list]:
        ext = self.ext("further_offences")
        for f in FurtherOffence.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(f.pk),
                self.case_numbers[f.child_id],
                f.description,
                f.offence_date,
                f.psr_court_date,
                f.sentence_date,
                f.recorded_on,
                self.email(f.recorded_by_id),
            ]

    def bail_applications_rows(self) -> Iterator[list]:
        ext = self.ext("bail_applications")
        for b in BailApplication.objects.order_by("pk").iterator(chunk_size=2000):
            yield [
                ext(b.pk),
                self.case_numbers[b.child_id],
                b.bail_date,
                b.court,
                b.notes,
                b.recorded_on,
                self.email(b.recorded_by_id),
            ]
