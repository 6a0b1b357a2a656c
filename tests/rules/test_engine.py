"""The engine's contract: output shape, order, statuses, recurring chains and input validation."""

import copy
import json
from datetime import datetime

import pytest

from cases.rules import DEFAULT_PROFILE, PROFILES, RulesInputError, compute, policy_table
from cases.rules.calendar import LONDON

from .examples import WORKED_EXAMPLE


def run(facts, as_of, policy="nottinghamshire"):
    """Compute and return the obligations list."""
    return compute({"policy": policy, "as_of": as_of, "facts": facts})["obligations"]


def rows(obligations, code):
    """(due, status, met_on, trigger) of one code's occurrences."""
    return [(o["due"], o["status"], o["met_on"], o["trigger"]) for o in obligations if o["code"] == code]


# ---------------------------------------------------------------------------- shape and order


def test_worked_example_exactly():
    """The spec's worked example produces exactly the obligations it lists, in order."""
    out = compute(copy.deepcopy(WORKED_EXAMPLE))
    assert out["policy"] == "nottinghamshire" and out["as_of"] == "2024-06-03"
    got = [(o["code"], o["due"], o["status"], o["met_on"], o["trigger"]) for o in out["obligations"]]
    assert got == [
        ("assetplus.gatekeep", "2024-01-25", "overdue", None, 0),
        ("assetplus.due", "2024-01-29", "met", "2024-01-25", 0),
        ("plan.intervention", "2024-01-29", "overdue", None, 0),
        ("case_discussion.due", "2024-03-07", "overdue", None, 2),
        ("cmm.risk_review", "2024-04-12", "overdue", None, 1),
        ("assetplus.review", "2024-04-25", "overdue", None, 2),
    ]


def test_output_keys():
    """Each obligation has exactly the spec's keys, and basis/title are readable strings."""
    out = compute(copy.deepcopy(WORKED_EXAMPLE))
    for o in out["obligations"]:
        assert set(o) == {"code", "title", "due", "earliest", "status", "met_on", "basis", "trigger"}
        assert o["title"] and o["basis"].startswith(("000", "001", "002", "003", "004"))
    json.dumps(out)  # serialisable as it is


def test_does_not_mutate_input():
    """compute() leaves its input untouched."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    data["facts"].append({"type": "reoffended", "date": "2024-02-01", "psr_court_date": "2024-03-01"})
    before = copy.deepcopy(data)
    compute(data)
    assert data == before


def test_order_due_then_code_null_last():
    """Sorted by due (a datetime by its London date), then code; null dues last."""
    facts = [
        {"type": "mappa_eligible", "date": "2024-01-02", "category": 1},
        {"type": "cmm_held", "date": "2024-01-10", "reason": "compliance", "at": "2024-01-10T09:00"},
        {"type": "co_allocated", "date": "2024-01-07"},
        {"type": "transfer_agreed", "date": "2024-01-10"},
    ]
    out = run(facts, "2024-01-11")
    # cmm.actions_recorded 12 Jan 09:00; co_allocation.recorded Fri 12 Jan (7 Jan + 5 days);
    # transfer.allocate Fri 12 Jan; cmm.minutes Wed 17 Jan; co_allocation.discussion 18 Feb -> Fri 16 Feb.
    assert [(o["code"], o["due"]) for o in out] == [
        ("cmm.actions_recorded", "2024-01-12T09:00:00+00:00"),
        ("co_allocation.recorded", "2024-01-12"),
        ("transfer.allocate", "2024-01-12"),
        ("cmm.minutes", "2024-01-17"),
        ("co_allocation.discussion", "2024-02-16"),
        ("mappa.form_h", None),
    ]


def test_facts_in_any_order():
    """Shuffling the facts changes only the trigger indices, not the dues or statuses."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    data["facts"].reverse()
    out = compute(data)["obligations"]
    base = compute(copy.deepcopy(WORKED_EXAMPLE))["obligations"]
    assert [(o["code"], o["due"], o["status"]) for o in out] == [
        (o["code"], o["due"], o["status"]) for o in base
    ]
    assert rows(out, "cmm.risk_review") == [("2024-04-12", "overdue", None, 1)]
    assert rows(out, "assetplus.gatekeep")[0][3] == 2


def test_default_policy_and_profiles():
    """nottinghamshire is the default; islington and enfield exist."""
    assert DEFAULT_PROFILE == "nottinghamshire"
    assert set(PROFILES) == {"nottinghamshire", "islington", "enfield"}
    data = copy.deepcopy(WORKED_EXAMPLE)
    del data["policy"]
    assert compute(data)["policy"] == "nottinghamshire"


def test_as_of_defaults_to_today_in_london():
    """Without as_of the picture is judged today (Europe/London)."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    del data["as_of"]
    out = compute(data)
    assert out["as_of"] == datetime.now(LONDON).date().isoformat()


def test_unknown_fields_ignored():
    """Unknown extra fields on facts and at the top level are ignored."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    data["note"] = "x"
    data["facts"][0]["colour"] = "blue"
    assert compute(data)["obligations"] == compute(copy.deepcopy(WORKED_EXAMPLE))["obligations"]


# ---------------------------------------------------------------------------- statuses


def test_facts_after_as_of_are_ignored():
    """The output is the picture on as_of: a later fact neither meets nor triggers anything."""
    facts = [
        {"type": "failure_to_comply", "date": "2024-01-08"},
        {"type": "cmm_held", "date": "2024-01-30", "reason": "compliance"},
        {"type": "failure_to_comply", "date": "2024-02-01"},
    ]
    # 8 Jan + 10 wd = Mon 22 Jan; judged on 25 Jan the CMM of 30 Jan has not happened yet.
    assert rows(run(facts, "2024-01-25"), "cmm.compliance") == [("2024-01-22", "overdue", None, 0)]
    assert rows(run(facts, "2024-01-31"), "cmm.compliance") == [("2024-01-22", "met_late", "2024-01-30", 0)]


def test_open_on_the_due_date_overdue_the_day_after():
    """Overdue only when as_of is after the due date."""
    facts = [{"type": "transfer_out_needed", "date": "2024-01-08"}]
    assert rows(run(facts, "2024-01-09"), "transfer_out.request") == [("2024-01-09", "open", None, 0)]
    assert rows(run(facts, "2024-01-10"), "transfer_out.request") == [("2024-01-09", "overdue", None, 0)]


def test_datetime_due_overdue_only_after_its_london_date():
    """A 48-hour due at 10:00 on 12 Jan is still open all of 12 Jan, overdue on 13 Jan."""
    facts = [{"type": "cmm_held", "date": "2024-01-10", "reason": "bail", "at": "2024-01-10T10:00:00Z"}]
    assert rows(run(facts, "2024-01-12"), "cmm.actions_recorded") == [
        ("2024-01-12T10:00:00+00:00", "open", None, 0)
    ]
    assert rows(run(facts, "2024-01-13"), "cmm.actions_recorded") == [
        ("2024-01-12T10:00:00+00:00", "overdue", None, 0)
    ]


def test_datetime_due_met_by_time():
    """With a time of day the record must be at or before the due instant; after it is late."""
    held = {"type": "cmm_held", "date": "2024-07-01", "reason": "bail", "at": "2024-07-01T10:00"}
    on_time = [
        held,
        {"type": "cmm_actions_recorded", "date": "2024-07-03", "at": "2024-07-03T10:00:00+01:00"},
    ]
    late = [held, {"type": "cmm_actions_recorded", "date": "2024-07-03", "at": "2024-07-03T10:01"}]
    assert rows(run(on_time, "2024-07-04"), "cmm.actions_recorded") == [
        ("2024-07-03T10:00:00+01:00", "met", "2024-07-03", 0)
    ]
    assert rows(run(late, "2024-07-04"), "cmm.actions_recorded") == [
        ("2024-07-03T10:00:00+01:00", "met_late", "2024-07-03", 0)
    ]


def test_satisfying_fact_must_not_precede_trigger():
    """A fact before the trigger's date does not meet a deadline that falls after it."""
    facts = [
        {"type": "cmm_minutes_completed", "date": "2024-01-05"},
        {"type": "cmm_held", "date": "2024-01-08", "reason": "bail"},
    ]
    assert rows(run(facts, "2024-01-20"), "cmm.minutes") == [("2024-01-15", "overdue", None, 1)]


def test_first_satisfying_fact_is_met_on():
    """met_on is the first satisfying fact on or after the trigger, whatever comes later."""
    facts = [
        {"type": "csc_meeting_held", "date": "2024-01-08"},
        {"type": "plan_completed", "date": "2024-01-20", "plan": "action"},
        {"type": "plan_completed", "date": "2024-01-10", "plan": "intervention"},
    ]
    assert rows(run(facts, "2024-01-20"), "plan.update_after_csc") == [("2024-01-15", "met", "2024-01-10", 0)]


def test_referral_order_plan_waits_for_panel():
    """plan.intervention for a Referral Order arises only when the initial panel is held."""
    facts = [
        {"type": "programme_started", "programme": "referral_order", "date": "2024-01-08"},
        {"type": "panel_held", "date": "2024-01-09", "panel": "review"},
    ]
    assert rows(run(facts, "2024-03-01"), "plan.intervention") == []


# ---------------------------------------------------------------------------- recurring chains


def test_chain_successor_from_date_met_late():
    """The next occurrence is due one interval after the date the previous one was met, even late."""
    facts = [
        {"type": "co_allocated", "date": "2024-01-08"},
        {"type": "co_allocation_discussion", "date": "2024-03-04"},  # due Mon 19 Feb: late
    ]
    # 4 Mar + 6 weeks = Mon 15 Apr.
    assert rows(run(facts, "2024-03-05"), "co_allocation.discussion") == [
        ("2024-02-19", "met_late", "2024-03-04", 0),
        ("2024-04-15", "open", None, None),
    ]


def test_chain_unmet_occurrence_has_no_successor():
    """An occurrence not met has no successor, however long ago it fell due."""
    facts = [{"type": "co_allocated", "date": "2023-01-09"}]
    assert rows(run(facts, "2024-06-01"), "co_allocation.discussion") == [("2023-02-20", "overdue", None, 0)]


def test_chain_lists_due_occurrences_and_one_after_as_of():
    """Every occurrence due on or before as_of is listed, plus exactly one after it."""
    facts = [{"type": "co_allocated", "date": "2024-01-08"}] + [
        {"type": "co_allocation_discussion", "date": d}
        for d in ("2024-02-12", "2024-03-18", "2024-04-22", "2024-05-27")
    ]
    # Dues: 19 Feb, 12 Feb + 6w = 25 Mar, 18 Mar + 6w = 29 Apr, 22 Apr + 6w = 3 Jun (met 27 May early).
    got = rows(run(facts, "2024-05-01"), "co_allocation.discussion")
    assert got == [
        ("2024-02-19", "met", "2024-02-12", 0),
        ("2024-03-25", "met", "2024-03-18", None),
        ("2024-04-29", "met", "2024-04-22", None),
        ("2024-06-03", "open", None, None),  # 27 May is after as_of, so not seen yet
    ]


def test_chain_early_met_next_stops_after_one_beyond():
    """When the next occurrence (after as_of) is already met, nothing further is listed."""
    facts = [
        {"type": "co_allocated", "date": "2024-01-08"},
        {"type": "co_allocation_discussion", "date": "2024-01-15"},
        {"type": "co_allocation_discussion", "date": "2024-01-20"},
    ]
    # First due 19 Feb met 15 Jan (on time) -> next 15 Jan + 6w = Mon 26 Feb, after as_of, met 20 Jan.
    assert rows(run(facts, "2024-02-20"), "co_allocation.discussion") == [
        ("2024-02-19", "met", "2024-01-15", 0),
        ("2024-02-26", "met", "2024-01-20", None),
    ]
    # Judged before the first due date, that first occurrence is already the one after as_of.
    assert rows(run(facts, "2024-01-25"), "co_allocation.discussion") == [
        ("2024-02-19", "met", "2024-01-15", 0)
    ]


def test_fact_meets_at_most_one_occurrence():
    """A single fact meets one occurrence only; the next waits for another fact."""
    facts = [
        {"type": "programme_started", "programme": "crown_court_tracking", "date": "2024-01-08"},
        {"type": "contact", "date": "2024-02-01", "kind": "phone"},
    ]
    # Due 8 Feb met 1 Feb -> next 1 Mar, unmet by 4 Mar: overdue (the 1 Feb contact is used up).
    assert rows(run(facts, "2024-03-04"), "contact.monthly") == [
        ("2024-02-08", "met", "2024-02-01", 0),
        ("2024-03-01", "overdue", None, None),
    ]


def test_anchor_never_meets_its_own_occurrence():
    """The assessment that anchors the 3-monthly review chain does not also meet its first review."""
    facts = [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08"},
        {"type": "assessment_completed", "date": "2024-01-25", "assessment": "assetplus"},
    ]
    assert rows(run(facts, "2024-02-01"), "assetplus.review") == [("2024-04-25", "open", None, 1)]


def test_chain_stops_at_programme_end():
    """programme_ended stops the chain: an unmet occurrence due after the end is dropped."""
    facts = [
        {"type": "programme_started", "programme": "remand", "date": "2024-01-08"},
        {"type": "contact", "date": "2024-02-01", "kind": "welfare_visit"},
        {"type": "programme_ended", "date": "2024-02-20", "programme": "remand"},
    ]
    # Due 8 Feb met 1 Feb -> next 1 Mar, after the end on 20 Feb and unmet: dropped.
    assert rows(run(facts, "2024-06-01"), "visit.welfare") == [("2024-02-08", "met", "2024-02-01", 0)]


def test_chain_overdue_before_end_stays():
    """An occurrence due before the programme ended stays (overdue) for compliance."""
    facts = [
        {"type": "programme_started", "programme": "remand", "date": "2024-01-08"},
        {"type": "programme_ended", "date": "2024-03-01", "programme": "remand"},
    ]
    assert rows(run(facts, "2024-06-01"), "visit.welfare") == [("2024-02-08", "overdue", None, 0)]


def test_end_of_other_programme_does_not_stop_chain():
    """Only the same programme's end stops its chains."""
    facts = [
        {"type": "programme_started", "programme": "remand", "date": "2024-01-08"},
        {"type": "programme_ended", "date": "2024-01-20", "programme": "yro"},
    ]
    assert rows(run(facts, "2024-02-01"), "visit.welfare") == [("2024-02-08", "open", None, 0)]


def test_my_future_contact_only_for_three_months():
    """Fortnightly My Future contact: occurrences due after the first 3 months are dropped."""
    contacts = [
        {"type": "contact", "date": d, "kind": "phone"}
        for d in ("2024-01-19", "2024-02-02", "2024-02-16", "2024-03-01", "2024-03-15", "2024-03-29")
    ]
    facts = [{"type": "programme_started", "programme": "my_future", "date": "2024-01-08"}] + contacts
    # Dues: 22 Jan, then 14 days after each contact: 2 Feb, 16 Feb, 1 Mar, 15 Mar, 29 Mar (Good
    # Friday -> Thu 28 Mar, met 29 Mar late), then 12 Apr: after 8 Apr (3 months) and unmet: dropped.
    got = rows(run(facts, "2024-06-01"), "contact.fortnightly")
    assert [g[0] for g in got] == [
        "2024-01-22",
        "2024-02-02",
        "2024-02-16",
        "2024-03-01",
        "2024-03-15",
        "2024-03-28",
    ]
    assert got[-1] == ("2024-03-28", "met_late", "2024-03-29", None)


def test_risk_review_condition_ending_drops_open_occurrence():
    """cmm.risk_review stops when the latest rating has RoSH and SaW low; its open occurrence is dropped."""
    facts = [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08", "length_months": 12},
        {"type": "risk_rated", "date": "2024-01-08", "rosh": "high", "saw": "low", "lor": "low"},
        {"type": "cmm_held", "date": "2024-03-18", "reason": "risk_review"},
        {"type": "risk_rated", "date": "2024-04-15", "rosh": "low", "saw": "low", "lor": "low"},
    ]
    # Anchor: the programme (same day as the rating): 8 Jan + 11 w = Mon 25 Mar, met 18 Mar;
    # next 18 Mar + 11 w = 3 Jun: the condition ended on 15 Apr, before it: dropped.
    assert rows(run(facts, "2024-07-01"), "cmm.risk_review") == [("2024-03-25", "met", "2024-03-18", 0)]


def test_risk_review_restarts_on_new_medium_rating():
    """A new medium+ rating after a low one starts a new chain anchored on that rating."""
    facts = [
        {
            "type": "programme_started",
            "programme": "referral_order",
            "date": "2024-01-08",
            "length_months": 12,
        },
        {"type": "risk_rated", "date": "2023-12-20", "rosh": "medium", "saw": "medium", "lor": "low"},
        {"type": "risk_rated", "date": "2024-02-01", "rosh": "low", "saw": "low", "lor": "low"},
        {"type": "risk_rated", "date": "2024-03-04", "rosh": "low", "saw": "very_high", "lor": "low"},
    ]
    # Held at the start (rating before it): 8 Jan + 11 w = 25 Mar, but the condition ended 1 Feb:
    # dropped. New span from Mon 4 Mar (fact 3): + 11 w = Mon 20 May, overdue on 1 Jun.
    assert rows(run(facts, "2024-06-01"), "cmm.risk_review") == [("2024-05-20", "overdue", None, 3)]


def test_risk_review_csc_meeting_counts_and_short_orders_excluded():
    """A CSC meeting counts as a held review; orders of 3 months or less (or no length) have no CMMs."""
    base = [
        {"type": "risk_rated", "date": "2024-01-08", "rosh": "low", "saw": "medium", "lor": "low"},
        {"type": "csc_meeting_held", "date": "2024-03-01"},
    ]
    long = [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08", "length_months": 6}
    ] + base
    # 8 Jan + 11 w = Mon 25 Mar, met 1 Mar -> 1 Mar + 11 w = Fri 17 May.
    assert rows(run(long, "2024-03-26"), "cmm.risk_review") == [
        ("2024-03-25", "met", "2024-03-01", 0),
        ("2024-05-17", "open", None, None),
    ]
    short = [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08", "length_months": 3}
    ] + base
    assert rows(run(short, "2024-03-05"), "cmm.risk_review") == []
    unknown = [{"type": "programme_started", "programme": "yro", "date": "2024-01-08"}] + base
    assert rows(run(unknown, "2024-03-05"), "cmm.risk_review") == []


def test_risk_review_not_for_low_risk():
    """No risk-review CMMs while RoSH and SaW are both low (LoR does not count)."""
    facts = [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08", "length_months": 12},
        {"type": "risk_rated", "date": "2024-01-08", "rosh": "low", "saw": "low", "lor": "very_high"},
    ]
    assert rows(run(facts, "2024-06-01"), "cmm.risk_review") == []


def test_mappa_meeting_stops_when_level_changes():
    """MAPPA level 1 meetings stop when the level is set to 2; re-confirming level 1 adds no chain."""
    facts = [
        {"type": "mappa_level_set", "date": "2024-01-08", "level": 1},
        {"type": "mappa_level_set", "date": "2024-02-01", "level": 1},
        {"type": "mappa_level_set", "date": "2024-03-01", "level": 2},
    ]
    # 8 Jan + 11 weeks = 25 Mar, after the level changed on 1 Mar: dropped.
    assert rows(run(facts, "2024-06-01"), "mappa.meeting") == []
    assert rows(run(facts[:2], "2024-03-01"), "mappa.meeting") == [("2024-03-25", "open", None, 0)]


def test_islington_calendar_month_chain():
    """Islington supervision: one in each calendar month, next due end of the month after the one met."""
    facts = [
        {"type": "worker_started", "date": "2024-01-08", "worker": "ana"},
        {"type": "staff_supervision_held", "date": "2024-02-01", "worker": "ana"},
        {"type": "staff_supervision_held", "date": "2024-02-20", "worker": "ana"},
        {"type": "staff_supervision_held", "date": "2024-04-02", "worker": "ana"},
    ]
    out = [o for o in run(facts, "2024-04-30", "islington") if o["code"] == "supervision.staff"]
    # Started in January -> due Thu 29 Feb, met 1 Feb -> due end of March: Thu 28 Mar (Good
    # Friday 29th), met 20 Feb (also February) -> due end of March again, and nothing in March:
    # met late on 2 Apr -> due the last working day of May: Fri 31 May.
    assert [(o["due"], o["status"], o["met_on"], o["worker"]) for o in out] == [
        ("2024-02-29", "met", "2024-02-01", "ana"),
        ("2024-03-28", "met", "2024-02-20", "ana"),
        ("2024-03-28", "met_late", "2024-04-02", "ana"),
        ("2024-05-31", "open", None, "ana"),
    ]


def test_worker_obligations_per_worker():
    """Worker obligations carry the worker and are matched per worker."""
    facts = [
        {"type": "worker_started", "date": "2024-01-08", "worker": "a"},
        {"type": "worker_started", "date": "2024-01-08", "worker": "b"},
        {"type": "staff_supervision_held", "date": "2024-02-01", "worker": "b"},
    ]
    out = [o for o in run(facts, "2024-02-02") if o["code"] == "supervision.staff"]
    # b's first occurrence (19 Feb) is already after as_of, so it is the last one listed.
    assert [(o["worker"], o["due"], o["status"]) for o in out] == [
        ("a", "2024-02-19", "open"),
        ("b", "2024-02-19", "met"),
    ]
    assert all("worker" not in o for o in run([{"type": "co_allocated", "date": "2024-01-08"}], "2024-02-02"))


# ---------------------------------------------------------------------------- validation

BAD_INPUTS = [
    ([], "input: expected a JSON object"),
    ({"policy": "kent", "facts": []}, "policy: unknown policy 'kent'"),
    ({"policy": 3, "facts": []}, "policy: unknown policy 3"),
    ({"as_of": "03/06/2024", "facts": []}, "as_of: malformed date '03/06/2024'"),
    ({"as_of": "2024-02-30", "facts": []}, "as_of: malformed date '2024-02-30'"),
    ({"as_of": "2024-06-03"}, "facts: missing required field"),
    ({"facts": {"type": "x"}}, "facts: expected a list"),
    ({"facts": ["x"]}, "facts[0]: expected an object"),
    ({"facts": [{"date": "2024-01-01"}]}, "facts[0].type: missing required field"),
    ({"facts": [{"type": "party", "date": "2024-01-01"}]}, "facts[0].type: unknown fact type 'party'"),
    ({"facts": [{"type": "contact", "kind": "phone"}]}, "facts[0].date: missing required field"),
    (
        {"facts": [{"type": "contact", "kind": "phone", "date": "2024-1-1"}]},
        "facts[0].date: malformed date '2024-1-1'",
    ),
    (
        {"facts": [{"type": "contact", "kind": "phone", "date": 20240101}]},
        "facts[0].date: malformed date 20240101",
    ),
    (
        {"facts": [{"type": "contact", "kind": "phone", "date": "0001-01-01"}]},
        "facts[0].date: date out of range",
    ),
    (
        {"facts": [{"type": "contact", "kind": "phone", "date": "2024-01-01", "at": "yesterday"}]},
        "facts[0].at: malformed datetime 'yesterday'",
    ),
    (
        {"facts": [{"type": "contact", "kind": "phone", "date": "2024-01-01", "at": "2024-01-01"}]},
        "facts[0].at: malformed datetime '2024-01-01'",
    ),
    (
        {"facts": [{"type": "contact", "kind": "pigeon", "date": "2024-01-01"}]},
        "facts[0].kind: unknown contact kind 'pigeon'",
    ),
    ({"facts": [{"type": "contact", "date": "2024-01-01"}]}, "facts[0].kind: missing required field"),
    (
        {"facts": [{"type": "programme_started", "programme": "yrx", "date": "2024-01-01"}]},
        "facts[0].programme: unknown programme 'yrx'",
    ),
    (
        {"facts": [{"type": "programme_ended", "date": "2024-01-01"}]},
        "facts[0].programme: missing required field",
    ),
    (
        {"facts": [{"type": "programme_started", "programme": "psr", "date": "2024-01-01"}]},
        "facts[0].court_date: missing required field",
    ),
    (
        {
            "facts": [
                {"type": "programme_started", "programme": "psr", "date": "2024-01-01", "court_date": "soon"}
            ]
        },
        "facts[0].court_date: malformed date 'soon'",
    ),
    (
        {"facts": [{"type": "programme_started", "programme": "yro", "date": "2024-01-01", "iss": "yes"}]},
        "facts[0].iss: expected true or false, got 'yes'",
    ),
    (
        {
            "facts": [
                {"type": "programme_started", "programme": "yro", "date": "2024-01-01", "length_months": "12"}
            ]
        },
        "facts[0].length_months: expected a non-negative number, got '12'",
    ),
    (
        {
            "facts": [
                {"type": "programme_started", "programme": "yro", "date": "2024-01-01", "length_months": True}
            ]
        },
        "facts[0].length_months: expected a non-negative number, got true",
    ),
    (
        {
            "facts": [
                {
                    "type": "programme_started",
                    "programme": "referral_order",
                    "date": "2024-01-01",
                    "custody_threshold": 1,
                }
            ]
        },
        "facts[0].custody_threshold: expected true or false, got 1",
    ),
    (
        {
            "facts": [
                {
                    "type": "programme_started",
                    "programme": "dto_custody",
                    "date": "2024-01-01",
                    "custody_months": -1,
                }
            ]
        },
        "facts[0].custody_months: expected a non-negative number, got -1",
    ),
    (
        {
            "facts": [
                {"type": "risk_rated", "date": "2024-01-01", "rosh": "medium", "saw": "extreme", "lor": "low"}
            ]
        },
        "facts[0].saw: unknown risk level 'extreme'",
    ),
    (
        {"facts": [{"type": "risk_rated", "date": "2024-01-01", "rosh": "medium", "saw": "low"}]},
        "facts[0].lor: missing required field",
    ),
    (
        {"facts": [{"type": "assessment_completed", "date": "2024-01-01", "assessment": "asset"}]},
        "facts[0].assessment: unknown assessment 'asset'",
    ),
    (
        {
            "facts": [
                {
                    "type": "assessment_completed",
                    "date": "2024-01-01",
                    "assessment": "assetplus",
                    "stage": "final",
                }
            ]
        },
        "facts[0].stage: unknown assessment stage 'final'",
    ),
    (
        {"facts": [{"type": "plan_completed", "date": "2024-01-01", "plan": "grand"}]},
        "facts[0].plan: unknown plan 'grand'",
    ),
    (
        {"facts": [{"type": "plan_completed", "date": "2024-01-01", "plan": "action", "review": "no"}]},
        "facts[0].review: expected true or false, got 'no'",
    ),
    (
        {"facts": [{"type": "cmm_held", "date": "2024-01-01", "reason": "chat"}]},
        "facts[0].reason: unknown cmm reason 'chat'",
    ),
    (
        {"facts": [{"type": "reoffended", "date": "2024-01-01"}]},
        "facts[0].sentence_date: missing required field",
    ),
    (
        {"facts": [{"type": "bail_application_planned", "date": "2024-01-01"}]},
        "facts[0].bail_date: missing required field",
    ),
    (
        {"facts": [{"type": "panel_held", "date": "2024-01-01", "panel": "final"}]},
        "facts[0].panel: unknown panel 'final'",
    ),
    (
        {"facts": [{"type": "safeguarding_concern", "date": "2024-01-01"}]},
        "facts[0].csc_open: missing required field",
    ),
    (
        {"facts": [{"type": "mappa_eligible", "date": "2024-01-01", "category": 4}]},
        "facts[0].category: unknown MAPPA category 4",
    ),
    (
        {"facts": [{"type": "mappa_level_set", "date": "2024-01-01", "level": "1"}]},
        "facts[0].level: unknown MAPPA level '1'",
    ),
    (
        {"facts": [{"type": "worker_started", "date": "2024-01-01"}]},
        "facts[0].worker: missing required field",
    ),
    (
        {"facts": [{"type": "staff_supervision_held", "date": "2024-01-01", "worker": ""}]},
        "facts[0].worker: expected a worker id",
    ),
    (
        {"facts": [{"type": "case_discussion_held", "date": "2024-01-01", "significant": "very"}]},
        "facts[0].significant: expected true or false",
    ),
]


@pytest.mark.parametrize("data,message", BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_raises_one_line(data, message):
    """Bad input raises RulesInputError (a ValueError) with a one-line message naming the field."""
    with pytest.raises(RulesInputError) as info:
        compute(data)
    text = str(info.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert isinstance(info.value, ValueError)


def test_bad_fact_after_as_of_still_rejected():
    """Facts after as_of are ignored for obligations but still validated."""
    data = {
        "as_of": "2024-01-01",
        "facts": [
            {"type": "contact", "date": "2024-01-01", "kind": "phone"},
            {"type": "contact", "date": "2025-01-01", "kind": "owl"},
        ],
    }
    with pytest.raises(RulesInputError, match=r"^facts\[1\]\.kind: unknown contact kind 'owl'$"):
        compute(data)


def test_error_names_the_right_index():
    """The index in the message is the fact's position in the input list."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    data["facts"].append({"type": "programme_started", "programme": "yrx", "date": "2024-01-01"})
    with pytest.raises(RulesInputError, match=r"^facts\[3\]\.programme: unknown programme 'yrx'$"):
        compute(data)


def test_null_optional_fields_are_absent():
    """A null optional field is treated as absent, not as an error."""
    facts = [
        {
            "type": "programme_started",
            "programme": "referral_order",
            "date": "2024-01-08",
            "panel_date": None,
            "at": None,
        }
    ]
    assert rows(run(facts, "2024-01-09"), "assetplus.gatekeep") == []


# ---------------------------------------------------------------------------- policy table


@pytest.mark.parametrize("profile", PROFILES)
def test_policy_table_rows(profile):
    """policy_table gives readable rows with the keys the app shows."""
    table = policy_table(profile)
    assert table
    for row in table:
        assert set(row) == {"code", "title", "arises_from", "due", "met_by", "basis"}
        assert all(isinstance(v, str) and v for v in row.values())


def test_policy_table_profile_differences():
    """Islington and Enfield add recording rules; Islington's supervision is calendar-monthly."""
    notts = {r["code"] for r in policy_table("nottinghamshire")}
    assert "case_discussion.recorded" not in notts and "oversight.recorded" not in notts
    for pid in ("islington", "enfield"):
        codes = {r["code"] for r in policy_table(pid)}
        assert notts | {"case_discussion.recorded", "oversight.recorded"} == codes
    isl = {r["code"]: r for r in policy_table("islington")}
    assert "month" in isl["supervision.staff"]["due"] and isl["supervision.staff"]["basis"].startswith("002")


def test_policy_table_unknown_profile():
    """An unknown profile is bad input."""
    with pytest.raises(RulesInputError, match="unknown policy 'kent'"):
        policy_table("kent")
