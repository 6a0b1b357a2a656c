"""The KPI snapshot obligations (issue 21): new fact types only, so the spec's inputs are unchanged."""

import copy
import re

import pytest

from cases.rules import PROFILES, RulesInputError, compute, policy_table
from cases.rules.profiles import PolicyError, Rule

from .examples import WORKED_EXAMPLE

# The worked example's output as timescales.md states it (code, due, status, met_on).
WORKED_EXAMPLE_OUTPUT = [
    ("assetplus.gatekeep", "2024-01-25", "overdue", None),
    ("assetplus.due", "2024-01-29", "met", "2024-01-25"),
    ("plan.intervention", "2024-01-29", "overdue", None),
    ("case_discussion.due", "2024-03-07", "overdue", None),
    ("cmm.risk_review", "2024-04-12", "overdue", None),
    ("assetplus.review", "2024-04-25", "overdue", None),
]


def test_worked_example_output_unchanged():
    """The spec's worked example gives exactly the obligations timescales.md lists: no KPI code."""
    out = compute(copy.deepcopy(WORKED_EXAMPLE))
    got = {(o["code"], o["due"], o["status"], o["met_on"]) for o in out["obligations"]}
    assert got == set(WORKED_EXAMPLE_OUTPUT)
    assert not [o for o in out["obligations"] if o["code"].startswith("kpi.")]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_carries_both_codes(profile):
    """Nottinghamshire, Islington and Enfield each list the start and end snapshot on their table."""
    rows = {row["code"]: row for row in policy_table(profile)}
    assert rows["kpi.start_snapshot"]["due"] == "15 working days after it"
    assert rows["kpi.end_snapshot"]["due"] == "10 working days after it"
    assert "same intervention" in rows["kpi.start_snapshot"]["met_by"]


def test_programme_facts_alone_never_raise_a_snapshot():
    """A programme start and end (the spec's own facts) raise no KPI obligation."""
    out = compute(
        {
            "policy": "nottinghamshire",
            "as_of": "2024-12-31",
            "facts": [
                {"type": "programme_started", "programme": "yro", "date": "2024-01-08"},
                {"type": "programme_ended", "programme": "yro", "date": "2024-06-28"},
            ],
        }
    )
    assert not [o for o in out["obligations"] if o["code"].startswith("kpi.")]


def test_snapshot_before_the_intervention_does_not_meet_it():
    """A completed snapshot dated before the start (another intervention with the same id) does not count."""
    out = compute(
        {
            "policy": "nottinghamshire",
            "as_of": "2024-04-30",
            "facts": [
                {"type": "kpi_snapshot_completed", "date": "2024-03-01", "intervention": 1, "point": "start"},
                {"type": "kpi_intervention_started", "date": "2024-04-01", "intervention": 1},
            ],
        }
    )
    (ob,) = out["obligations"]
    assert (ob["code"], ob["status"], ob["met_on"]) == ("kpi.start_snapshot", "overdue", None)


@pytest.mark.parametrize(
    "fact,message",
    [
        ({"type": "kpi_intervention_started", "date": "2024-01-01"}, "facts[0].intervention: missing"),
        (
            {"type": "kpi_intervention_started", "date": "2024-01-01", "intervention": ""},
            "facts[0].intervention: expected an id",
        ),
        (
            {"type": "kpi_snapshot_completed", "date": "2024-01-01", "intervention": 1, "point": "middle"},
            "facts[0].point: unknown snapshot point 'middle'",
        ),
        (
            {"type": "kpi_intervention_ended", "date": "2024-01-01", "intervention": 1, "programme": "x"},
            "facts[0].programme: unknown programme 'x'",
        ),
    ],
)
def test_bad_kpi_facts_fail_with_one_line(fact, message):
    """A KPI fact missing its intervention, or with an unknown point or programme, is refused by name."""
    with pytest.raises(RulesInputError, match=re.escape(message)):
        compute({"policy": "nottinghamshire", "as_of": "2024-02-01", "facts": [fact]})


def test_same_is_for_one_shot_rules_not_per_worker():
    """A policy table giving `same` to a per-worker rule fails when it is compiled."""
    spec = {
        "id": "x",
        "code": "x",
        "title": "x",
        "basis": "x",
        "trigger": {"fact": "kpi_intervention_started"},
        "due": {"kind": "after", "amount": 1, "unit": "days"},
        "met_by": [{"fact": "kpi_snapshot_completed"}],
        "same": "intervention",
        "per_worker": True,
    }
    with pytest.raises(PolicyError, match="same"):
        Rule(spec)
