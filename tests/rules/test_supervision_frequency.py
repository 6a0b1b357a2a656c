"""The agreed (more frequent) supervision chain: a service addition to the catalogue (002 Frequency)."""

import pytest

from cases.rules import RulesInputError, compute


def run(facts, as_of, policy="nottinghamshire"):
    """Compute and keep only the supervision obligations as (code, due, status, met_on)."""
    out = compute({"policy": policy, "as_of": as_of, "facts": facts})["obligations"]
    return [
        (o["code"], o["due"], o["status"], o["met_on"]) for o in out if o["code"].startswith("supervision.")
    ]


def test_two_weekly_frequency_runs_beside_the_standard_chain_until_returned_to_standard():
    """Every 2 weeks from the day agreed; weeks=0 stops the chain; the 6-weekly chain continues."""
    facts = [
        {"type": "worker_started", "worker": 7, "date": "2026-06-01"},
        {"type": "staff_supervision_held", "worker": 7, "date": "2026-07-10"},
        {"type": "supervision_frequency_set", "worker": 7, "weeks": 2, "date": "2026-08-03"},
        {"type": "staff_supervision_held", "worker": 7, "date": "2026-08-14"},
        {"type": "supervision_frequency_set", "worker": 7, "weeks": 0, "date": "2026-10-01"},
    ]
    assert run(facts, "2026-11-20") == [
        ("supervision.staff", "2026-07-13", "met", "2026-07-10"),
        ("supervision.agreed", "2026-08-17", "met", "2026-08-14"),
        ("supervision.staff", "2026-08-21", "met", "2026-08-14"),
        # Missed before the return to the standard frequency: it stays overdue, with no successor.
        ("supervision.agreed", "2026-08-28", "overdue", None),
        ("supervision.staff", "2026-09-25", "overdue", None),
    ]


def test_agreed_due_date_moves_back_off_a_bank_holiday():
    """3 weeks after Mon 7 Dec 2026 is Mon 28 Dec, the Boxing Day substitute: due Thu 24 Dec."""
    facts = [
        {"type": "worker_started", "worker": 1, "date": "2026-11-30"},
        {"type": "supervision_frequency_set", "worker": 1, "weeks": 3, "date": "2026-12-07"},
    ]
    assert ("supervision.agreed", "2026-12-24", "open", None) in run(facts, "2026-12-10")


def test_islington_keeps_its_calendar_month_beside_an_agreed_frequency():
    """The profile's standard chain is unchanged; the agreed one adds to it (leap-year February)."""
    facts = [
        {"type": "worker_started", "worker": 1, "date": "2028-01-10"},
        {"type": "supervision_frequency_set", "worker": 1, "weeks": 4, "date": "2028-02-01"},
    ]
    assert run(facts, "2028-02-02", "islington") == [
        ("supervision.agreed", "2028-02-29", "open", None),
        ("supervision.staff", "2028-02-29", "open", None),
    ]


def test_unknown_frequency_is_bad_input():
    """Only the frequencies the product offers are accepted (exit 2 at the command line)."""
    with pytest.raises(RulesInputError, match=r"facts\[0\]\.weeks"):
        compute(
            {"facts": [{"type": "supervision_frequency_set", "worker": 1, "weeks": 5, "date": "2026-01-05"}]}
        )
