"""Revision 2 of docs/spec/timescales.md: the edges of the new and changed rules, dates worked by hand.

Bank holidays in England used here: 2024-01-01, 2024-03-29 (Good Friday), 2024-04-01 (Easter Monday),
2024-05-27, 2024-08-26. Readings chosen where the contract is open are numbered in cases/rules/engine.py.
"""

import pytest

from cases.rules import RulesInputError, compute


def run(facts, as_of, policy="nottinghamshire"):
    """Compute and return the obligations list."""
    return compute({"policy": policy, "as_of": as_of, "facts": facts})["obligations"]


def rows(obligations, code):
    """(due, status, met_on, trigger) of one code's occurrences."""
    return [(o["due"], o["status"], o["met_on"], o["trigger"]) for o in obligations if o["code"] == code]


def P(programme, date, **fields):
    """A programme_started fact."""
    return {"type": "programme_started", "programme": programme, "date": date, **fields}


def F(type_, date, **fields):
    """Any other fact."""
    return {"type": type_, "date": date, **fields}


def E(programme, date):
    """A programme_ended fact."""
    return {"type": "programme_ended", "programme": programme, "date": date}


# ---------------------------------------------------------------------------- "while ... is open" (reading 13)


def test_after_review_panel_only_for_review_panels_while_the_order_is_open():
    """001 §6 table: Referral Order. One window per review panel held from the sentence to the end
    (the end day included); an initial panel, or a review panel after the end, creates none."""
    facts = [
        P("referral_order", "2024-03-04", length_months=4),  # 0
        F("panel_held", "2024-03-11", panel="initial"),  # 1: not a review panel
        F("panel_held", "2024-04-02", panel="review"),  # 2
        F("panel_held", "2024-06-28", panel="review"),  # 3: on the day the order ends
        E("referral_order", "2024-06-28"),  # 4
        F("panel_held", "2024-07-01", panel="review"),  # 5: after the end
        F("assessment_completed", "2024-07-03", assessment="assetplus"),  # 6
    ]
    out = [o for o in run(facts, "2024-07-15") if o["code"] == "assetplus.after_review_panel"]
    # Panel Tue 2 Apr 2024: earliest 5 wd before: skip Easter Monday 1 Apr and Good Friday 29 Mar,
    # 28, 27, 26, 25, Fri 22 Mar; due 5 wd after: 3, 4, 5, 8, Tue 9 Apr. The first AssetPlus on or
    # after the earliest is 3 Jul: met late.
    # Panel Fri 28 Jun: earliest 27, 26, 25, 24, Fri 21 Jun; due 1, 2, 3, 4, Fri 5 Jul: met 3 Jul.
    assert [(o["due"], o["earliest"], o["status"], o["met_on"], o["trigger"]) for o in out] == [
        ("2024-04-09", "2024-03-22", "met_late", "2024-07-03", 2),
        ("2024-07-05", "2024-06-21", "met", "2024-07-03", 3),
    ]


def test_after_review_panel_needs_a_referral_order():
    """A review panel with no referral order open (none started) creates nothing."""
    facts = [P("yro", "2024-03-04"), F("panel_held", "2024-04-02", panel="review")]
    assert rows(run(facts, "2024-05-01"), "assetplus.after_review_panel") == []


def test_yjaf_upload_and_comment_follow_the_programme_open_at_the_meeting():
    """001 §6 table: a meeting while remanded asks for the plan upload; while in DTO custody, the case
    manager's comment; on the day remand ends and custody starts, both."""
    facts = [
        F("planning_meeting_held", "2024-01-05"),  # 0: before the remand: neither
        P("remand", "2024-01-08"),  # 1
        F("planning_meeting_held", "2024-01-15"),  # 2: remand
        E("remand", "2024-01-31"),  # 3
        P("dto_custody", "2024-01-31", custody_months=8),  # 4
        F("planning_meeting_held", "2024-01-31"),  # 5: both open that day
        F("planning_meeting_held", "2024-02-12"),  # 6: custody only
        F("yjaf_plan_uploaded", "2024-01-19"),  # 7
        F("yjaf_comment_added", "2024-02-16"),  # 8
    ]
    out = run(facts, "2024-02-20")
    # Mon 15 Jan + 5 wd = Mon 22 Jan (met 19 Jan); Wed 31 Jan + 5 wd: 1, 2, 5, 6, Wed 7 Feb, and no
    # upload on or after 31 Jan: overdue.
    assert rows(out, "yjaf.plan_upload") == [
        ("2024-01-22", "met", "2024-01-19", 2),
        ("2024-02-07", "overdue", None, 5),
    ]
    # 31 Jan -> Wed 7 Feb, the comment of 16 Feb is late; Mon 12 Feb + 5 wd = Mon 19 Feb: met.
    assert rows(out, "yjaf.comment") == [
        ("2024-02-07", "met_late", "2024-02-16", 5),
        ("2024-02-19", "met", "2024-02-16", 6),
    ]


# ---------------------------------------------------------------------------- planning_meeting.monthly (reading 15)


@pytest.mark.parametrize("months,expected", [(6, []), (None, []), (5.5, [("2024-02-09", "open", None, 1)])])
def test_dto_monthly_planning_only_under_six_months(months, expected):
    """ "Planning meetings: monthly if less than 6": custody_months < 6; 6, or not given, none.
    Anchor Wed 10 Jan 2024 + 1 month = Sat 10 Feb, moved back to Fri 9 Feb."""
    programme = (
        P("dto_custody", "2024-01-08")
        if months is None
        else P("dto_custody", "2024-01-08", custody_months=months)
    )
    facts = [programme, F("planning_meeting_held", "2024-01-10")]
    assert rows(run(facts, "2024-01-20"), "planning_meeting.monthly") == expected


def test_remand_monthly_planning_stops_when_remand_ends():
    """The chain stops at programme_ended: met 9 Feb -> next Sat 9 Mar, moved back to Fri 8 Mar, after
    the end on 20 Feb and unmet: dropped. No chain before the first meeting."""
    facts = [
        P("remand", "2024-01-08"),
        F("planning_meeting_held", "2024-01-10"),
        F("planning_meeting_held", "2024-02-09"),
        E("remand", "2024-02-20"),
    ]
    assert rows(run(facts, "2024-04-01"), "planning_meeting.monthly") == [
        ("2024-02-09", "met", "2024-02-09", 1)
    ]
    assert rows(run(facts[:1], "2024-04-01"), "planning_meeting.monthly") == []


# ---------------------------------------------------------------------------- assessment.end_review (reading 14)


def test_end_review_only_once_the_programme_has_ended():
    """No programme_ended (or one after as_of): nothing yet. A YC/CR without intervention has none."""
    facts = [P("my_future", "2024-01-08"), E("my_future", "2024-04-30")]
    assert rows(run(facts, "2024-04-29"), "assessment.end_review") == []
    # Ended Tue 30 Apr 2024: due that day. Earliest 20 wd before: 29-22 Apr (6), 19-15 (11),
    # 12-8 (16), 5, 4, 3, Tue 2 Apr (20).
    out = [o for o in run(facts, "2024-05-01") if o["code"] == "assessment.end_review"]
    assert [(o["due"], o["earliest"], o["status"], o["trigger"]) for o in out] == [
        ("2024-04-30", "2024-04-02", "overdue", 1)
    ]
    no_intervention = [P("oocd_no_intervention", "2024-01-08"), E("oocd_no_intervention", "2024-04-30")]
    assert rows(run(no_intervention, "2024-05-01"), "assessment.end_review") == []


def test_end_review_needs_the_closure_of_that_assessment():
    """A YCC's end review is met by an OOCD closure assessment only: a My Future closure or an OOCD
    review-stage assessment does not count. Ended Fri 31 May 2024: due that day."""
    facts = [
        P("oocd_ycc", "2024-03-04"),
        F("assessment_completed", "2024-05-20", assessment="my_future", stage="closure"),
        F("assessment_completed", "2024-05-21", assessment="oocd", stage="review"),
        F("assessment_completed", "2024-05-31", assessment="oocd", stage="closure"),
        E("oocd_ycc", "2024-05-31"),
    ]
    assert rows(run(facts, "2024-06-03"), "assessment.end_review") == [("2024-05-31", "met", "2024-05-31", 4)]


# ---------------------------------------------------------------------------- caretaking.review (reading 17)


CARETAKING = [
    P("yro", "2023-06-01"),  # 0
    F("caretaking_started", "2024-03-04"),  # 1
    F("caretaking_reviewed", "2024-05-30"),  # 2
    E("yro", "2024-07-31"),  # 3
]


def test_caretaking_review_stops_when_the_order_ends():
    """Mon 4 Mar 2024 + 3 months = Tue 4 Jun, met 30 May -> Fri 30 Aug, after the order ended on
    31 Jul and unmet: dropped."""
    assert rows(run(CARETAKING, "2024-09-02"), "caretaking.review") == [
        ("2024-06-04", "met", "2024-05-30", 1)
    ]


def test_caretaking_review_goes_on_while_another_programme_is_open():
    """The YRO ends but a BSS is still open: the review of Fri 30 Aug is overdue on 2 Sep."""
    facts = CARETAKING + [P("bail_supervision_support", "2024-02-01")]
    assert rows(run(facts, "2024-09-02"), "caretaking.review") == [
        ("2024-06-04", "met", "2024-05-30", 1),
        ("2024-08-30", "overdue", None, None),
    ]


def test_caretaking_review_met_before_the_end_stays_and_overdue_stays():
    """Reviews met on or before caretaking_ended stay; the next one, due after it, is dropped. An
    occurrence overdue before the end stays for compliance."""
    facts = [
        F("caretaking_started", "2024-03-04"),
        F("caretaking_reviewed", "2024-05-30"),
        F("caretaking_reviewed", "2024-08-20"),
        F("caretaking_ended", "2024-09-10"),
    ]
    # 4 Jun met 30 May -> Fri 30 Aug met 20 Aug -> Wed 20 Nov, after the end: dropped.
    assert rows(run(facts, "2024-12-01"), "caretaking.review") == [
        ("2024-06-04", "met", "2024-05-30", 0),
        ("2024-08-30", "met", "2024-08-20", None),
    ]
    unreviewed = [F("caretaking_started", "2024-03-04"), F("caretaking_ended", "2024-07-01")]
    assert rows(run(unreviewed, "2024-12-01"), "caretaking.review") == [("2024-06-04", "overdue", None, 0)]


# ---------------------------------------------------------------------------- CMM/MAPPA after release (reading 16)


def test_post_release_anchored_on_the_release_cmm_when_it_comes_first():
    """The release CMM (12 Feb) meets cmm.release and anchors the chain: 12 Feb + 3 months = Sun 12 May,
    moved back to Fri 10 May; the MAPPA meeting of 20 Feb meets it -> Mon 20 May 2024."""
    facts = [
        P("dto_licence", "2024-01-31"),
        F("cmm_held", "2024-02-12", reason="release"),
        F("mappa_meeting_held", "2024-02-20"),
    ]
    out = run(facts, "2024-05-15")
    assert rows(out, "cmm.release") == [("2024-02-29", "met", "2024-02-12", 0)]
    assert rows(out, "cmm.post_release") == [
        ("2024-05-10", "met", "2024-02-20", 1),
        ("2024-05-20", "open", None, None),
    ]
    # Judged on 1 Mar, the first occurrence is already the one after as_of: nothing beyond it.
    assert rows(run(facts, "2024-03-01"), "cmm.post_release") == [("2024-05-10", "met", "2024-02-20", 1)]


def test_post_release_same_day_tie_and_meetings_before_release():
    """On the same day the first in the input anchors (it is what met cmm.release) and the other meets
    the first occurrence. A MAPPA meeting before the release neither meets nor anchors."""
    facts = [
        P("dto_licence", "2024-01-31"),
        F("mappa_meeting_held", "2024-02-12"),
        F("cmm_held", "2024-02-12", reason="release"),
    ]
    out = run(facts, "2024-05-15")
    assert rows(out, "cmm.release") == [("2024-02-29", "met", "2024-02-12", 0)]
    # 12 Feb + 3 months = Sun 12 May -> Fri 10 May, met 12 Feb by the CMM (fact 2); the next is again
    # due Fri 10 May, unmet on 15 May: overdue.
    assert rows(out, "cmm.post_release") == [
        ("2024-05-10", "met", "2024-02-12", 1),
        ("2024-05-10", "overdue", None, None),
    ]
    before = [P("dto_licence", "2024-01-31"), F("mappa_meeting_held", "2024-01-20")]
    out = run(before, "2024-03-01")
    assert rows(out, "cmm.release") == [("2024-02-29", "overdue", None, 0)]
    assert rows(out, "cmm.post_release") == []


# ---------------------------------------------------------------------------- BSS done for court (reading 18)


def test_bss_not_assessed_for_court_as_before():
    """assessed_for_court false is as absent: AssetPlus due Fri 9 Sep 2022 + 10 wd (State Funeral
    19 Sep skipped) = Mon 26 Sep, and the reviews run from the first AssetPlus (Fri 23 Sep + 3 months
    = Fri 23 Dec 2022)."""
    facts = [
        P("bail_supervision_support", "2022-09-09", assessed_for_court=False),
        F("assessment_completed", "2022-09-23", assessment="assetplus"),
    ]
    out = run(facts, "2022-10-01")
    assert rows(out, "assetplus.due") == [("2022-09-26", "met", "2022-09-23", 0)]
    assert rows(out, "assetplus.review") == [("2022-12-23", "open", None, 1)]


def test_assessed_for_court_is_read_for_bss_only():
    """On a YRO the field is an ignored extra: its AssetPlus is still due (Mon 8 Jan 2024 + 15 wd =
    Mon 29 Jan)."""
    facts = [P("yro", "2024-01-08", assessed_for_court=True)]
    assert rows(run(facts, "2024-01-10"), "assetplus.due") == [("2024-01-29", "open", None, 0)]


def test_assessed_for_court_must_be_a_boolean():
    """Bad input names the fact and field."""
    facts = [P("bail_supervision_support", "2024-01-08", assessed_for_court="yes")]
    with pytest.raises(
        RulesInputError, match=r"^facts\[0\]\.assessed_for_court: expected true or false, got 'yes'$"
    ):
        run(facts, "2024-01-10")


def test_new_fact_types_are_known():
    """caretaking_ended, yjaf_plan_uploaded and yjaf_comment_added are accepted on their own."""
    facts = [
        F("caretaking_ended", "2024-01-08"),
        F("yjaf_plan_uploaded", "2024-01-08"),
        F("yjaf_comment_added", "2024-01-08"),
    ]
    assert run(facts, "2024-01-10") == []


# ---------------------------------------------------------------------------- case discussions (reading 19)


@pytest.mark.parametrize("policy", ["nottinghamshire", "islington", "enfield"])
def test_no_case_discussion_for_a_caution_without_intervention(policy):
    """000 §4.3 "All non OOCB Cases"; 002 keeps the exception for a YC/CR with no YJS involvement."""
    facts = [
        P("oocd_no_intervention", "2024-01-08"),
        F("assessment_completed", "2024-01-09", assessment="oocd"),
    ]
    assert rows(run(facts, "2024-06-01", policy), "case_discussion.due") == []


def test_islington_chain_per_open_programme_stops_at_its_end():
    """Islington: each open programme has its chain; one discussion meets both; a chain stops at its
    programme's end. Remand and PSR from January: due Thu 29 Feb 2024, met 5 Feb -> the last working
    day of March, Thu 28 Mar (Good Friday 29th); the remand ended 20 Mar: its March one is dropped."""
    facts = [
        P("remand", "2024-01-08"),
        P("psr", "2024-01-10", court_date="2024-04-15"),
        F("case_discussion_held", "2024-02-05"),
        E("remand", "2024-03-20"),
    ]
    assert rows(run(facts, "2024-03-21", "islington"), "case_discussion.due") == [
        ("2024-02-29", "met", "2024-02-05", 0),
        ("2024-02-29", "met", "2024-02-05", 1),
        ("2024-03-28", "open", None, None),
    ]
