"""The rules engine: a timeline of facts in, the obligations of docs/spec/timescales.md out.

``compute(data)`` takes the command's input object (policy, as_of, facts) and returns the output
object. It is a pure function of its input: "today" is only read when ``as_of`` is absent.

Interpretation choices where the spec leaves room (a youth-justice practitioner's reading):

1. Sorting: by due, then code; a datetime due sorts by its date in Europe/London (a 48-hour
   deadline sorts with the dates of its day); ties keep catalogue order, then fact order.
   Obligations with no due date come last.
2. A datetime due is met by a satisfying fact with ``at`` at or before it, or, for a fact with
   only a date, dated on or before the due's London date (the same day counts, mirroring
   "overdue only after its date in London"). ``met_on`` is always a date.
3. cmm.risk_review: on a tie between the programme date and the first medium+ rating the
   programme fact is the trigger; a rating before the start that is still the latest counts as
   holding at the start. The state on a day is the one left by that day's last rating; when a
   later rating brings RoSH or SaW back to medium+ a new chain starts, anchored on that rating.
   ``length_months`` absent means "not shown to be more than 3 months": no risk-review CMMs.
4. Ends (programme_ended, a condition stopping, the 3 months of My Future contact): an occurrence
   due after the end is dropped unless met on or before the end; occurrences due on or before the
   end stay (an overdue one remains visible for compliance) and a late fact can still meet them.
5. A programme_started is closed by the first programme_ended of the same programme on or after
   its date. One-shot obligations are not cancelled by programme_ended (only chains stop).
6. case_discussion.due (statutory): the anchor is the first assessment_completed of any kind on or
   after the programme date (000 §4.3's newly-allocated exception); for Islington see reading 19.
7. cmm.reoffending: when both psr_court_date and sentence_date are given, the PSR route ("before
   psr_court_date") applies, because a PSR was requested.
8. mappa.meeting: a chain starts when the level is set to 1 after any other level (or none) and
   stops when it is set to 2 or 3; re-confirming level 1 does not start a second chain.
9. Deadlines before their trigger (OOCD gatekeeping): "any earlier fact counts too" is read
   literally: the first matching fact at any date up to as_of.
10. Referral Order plan.intervention arises from the first panel_held initial on or after the
   sentence; until that panel is held nothing is listed. Its trigger is the panel fact.
11. Fields the spec lists without "optional" are required (e.g. all of rosh/saw/lor, csc_open,
   MAPPA category/level, worker); a null value counts as absent. Dates must be YYYY-MM-DD in
   1900-2199; ``at`` needs a time of day. Programme-specific fields are checked for their
   programme only (court_date for psr, iss for yro, ...), as other fields are ignored.
12. Worker ids may be strings or integers and are echoed as given.

Revision 2 of the contract:

13. "While a <programme> is open" (assetplus.after_review_panel, yjaf.plan_upload, yjaf.comment): the
   triggering fact is dated on or after a programme_started of it and on or before the programme_ended
   that closes it (the day it ends still counts, as occurrences due on the end day stay, reading 4).
   The obligation's trigger is the panel or planning meeting.
14. assessment.end_review: one per programme_started of my_future, oocd_intervention or oocd_ycc whose
   programme_ended (reading 5) is on or before as_of; its trigger is that programme_ended fact (the
   fact the window counts from, as reading 10). Only an assessment of that kind with stage closure
   meets it, inside the window (a review-stage assessment is not the end-of-intervention review).
15. planning_meeting.monthly for dto_custody: only with custody_months given and under 6 ("monthly if
   less than 6" read as under six months' custody); without it the chain does not arise.
16. cmm.post_release: anchored on the earlier of the first cmm_held release and the first
   mappa_meeting_held on or after the release (on the same day, the first in the input): the fact
   that met cmm.release. That fact never meets the chain's first occurrence.
17. caretaking.review stops at the first caretaking_ended on or after caretaking_started or, for "the
   programme ends", at a programme_ended on or after it after which the child has no programme open
   (one programme ending while another is still open does not stop it; with no programme facts at
   all only caretaking_ended stops it). Each caretaking_started starts its own chain.
18. bail_supervision_support with assessed_for_court true: no assetplus.due, and assetplus.review is
   anchored on the programme date; false or absent is read as not assessed for court. The field is
   read for bail_supervision_support only (on other programmes it is an ignored extra field).
19. Islington case_discussion.due: one chain per programme_started (not oocd_no_intervention), every
   calendar month from its date, stopping at its programme_ended, met only by case_discussion_held;
   the Nottinghamshire statutory, My Future, OOCD and Crown Court tracking chains are dropped there.
   Nottinghamshire keeps reading 6 for the statutory chain, now with remand, and adds a Crown Court
   tracking chain from the first appearance (no assessment is required, 003 §9.4).
20. psr.face_to_face: before the court date (the last working day before it); any face_to_face
   contact on or after the PSR request meets it.
"""

from __future__ import annotations

from datetime import date, datetime

from .calendar import LONDON
from .facts import Fact, RulesInputError, parse_date, show, validate_facts
from .index import _DATE_ORDER, _FACT_ORDER
from .profiles import DEFAULT_PROFILE, Profile, get_profile, profile_ids
from .timeline import _Timeline

PROFILES: list[str] = profile_ids()


def compute(data: dict, *, explain: bool = False) -> dict:
    """Turn the input object (policy, as_of, facts) into the output object of obligations.

    With ``explain``, each obligation keeps ``_why``: (the offset, the index in ``facts`` of the fact it
    counts from), which describe.explain turns into words. Without it the output is the contract's.
    """
    if type(data) is not dict:
        raise RulesInputError(f"input: expected a JSON object, got {show(data)}")
    pid = data.get("policy")
    if pid is None:
        pid = DEFAULT_PROFILE
    if type(pid) is not str or pid not in PROFILES:
        raise RulesInputError(f"policy: unknown policy {show(pid)}")
    profile = get_profile(pid)
    as_of_raw = data.get("as_of")
    if as_of_raw is None:
        as_of = datetime.now(LONDON).date()  # the only clock read: spec "today (Europe/London)"
    else:
        as_of = parse_date(as_of_raw, "as_of")
    raw_facts = data.get("facts")
    if raw_facts is None:
        raise RulesInputError("facts: missing required field")
    if type(raw_facts) is not list:
        raise RulesInputError(f"facts: expected a list, got {show(raw_facts)}")
    facts = validate_facts(raw_facts)
    # validate_facts keeps input order, so a stable sort by date alone gives date-then-input order.
    facts.sort(key=_DATE_ORDER)
    found = _Timeline(profile, facts, as_of.toordinal()).run()
    if not explain:
        for ob in found:
            del ob["_why"]
    return {"policy": pid, "as_of": as_of.isoformat(), "obligations": found}


def obligations(profile: Profile, facts: list[Fact], as_of: date) -> list[dict]:
    """The sorted obligations of validated facts on ``as_of`` (facts after it are ignored)."""
    found = _Timeline(profile, sorted(facts, key=_FACT_ORDER), as_of.toordinal()).run()
    for ob in found:
        del ob["_why"]
    return found
