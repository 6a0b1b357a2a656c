"""Why this date? The rules module's one line per occurrence (issue 20): the offset and the fact it counts
from, with that fact's date. Pure Python: dates in, words out; the contract's output is unchanged."""

import io
import json

from django.core.management import call_command

from cases.rules import compute, explain

from .examples import WORKED_EXAMPLE


def lines(facts: list[dict], as_of: str, code: str) -> list[tuple[str, str]]:
    """(due, why) for each occurrence of one obligation code."""
    result = compute({"policy": "nottinghamshire", "as_of": as_of, "facts": facts}, explain=True)
    return [(o["due"], explain(o, facts)) for o in result["obligations"] if o["code"] == code]


YRO = {"type": "programme_started", "date": "2026-11-16", "programme": "yro", "length_months": 12}


def test_a_risk_review_counts_from_the_medium_rating_then_from_the_last_cmm():
    """000 §1.3: 11 weeks from the first Medium rating (not from sentence), then from each CMM held."""
    facts = [
        YRO,
        {"type": "risk_rated", "date": "2026-12-04", "rosh": "medium", "saw": "low", "lor": "low"},
        {"type": "cmm_held", "date": "2027-02-17", "reason": "risk_review"},
    ]
    assert lines(facts, "2027-03-01", "cmm.risk_review") == [
        ("2027-02-19", "11 weeks after the levels agreed (RoSH medium, SaW low) on 4 December 2026"),
        ("2027-05-05", "11 weeks after the risk review CMM held on 17 February 2027"),
    ]


def test_a_deadline_before_the_court_date_names_the_court_date_over_christmas():
    """001 §6 PSR: the gatekeeping 2 working days before a court date on Christmas Eve (the 22nd)."""
    facts = [
        {"type": "programme_started", "date": "2026-11-02", "programme": "psr", "court_date": "2026-12-24"}
    ]
    assert lines(facts, "2026-12-04", "assetplus.gatekeep") == [
        ("2026-12-22", "2 working days before the court date (24 December 2026)")
    ]


def test_working_days_from_a_sentence_on_a_leap_day():
    """The line names the leap day it counts from."""
    facts = [{**YRO, "date": "2028-02-29"}]
    (gatekeep,) = lines(facts, "2028-03-01", "assetplus.due")
    assert gatekeep[1] == "15 working days after the YRO sentence on 29 February 2028"


def test_a_workers_next_supervision_counts_from_the_last_one():
    """000 §4.1: the first from the start in post, the next from the supervision held."""
    facts = [
        {"type": "worker_started", "date": "2026-01-05", "worker": "w1"},
        {"type": "staff_supervision_held", "date": "2026-02-03", "worker": "w1"},
    ]
    assert [why for _due, why in lines(facts, "2026-03-01", "supervision.staff")] == [
        "6 weeks after the start in post on 5 January 2026",
        "6 weeks after the last supervision on 3 February 2026",
    ]


def test_the_contract_is_unchanged_without_explain(tmp_path):
    """compute() and the command print the contract's fields only: nothing added for the product."""
    result = compute(WORKED_EXAMPLE)
    assert all(
        set(o) == {"code", "title", "due", "earliest", "status", "met_on", "basis", "trigger"}
        for o in result["obligations"]
    )
    path = tmp_path / "in.json"
    path.write_text(json.dumps(WORKED_EXAMPLE), encoding="utf-8")
    out = io.StringIO()
    call_command("timescales", str(path), stdout=out)
    printed = json.loads(out.getvalue())["obligations"]
    assert printed and all("_why" not in o for o in printed)
