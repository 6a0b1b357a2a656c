"""Every catalogue code, for every profile, with due dates worked out by hand.

Each case gives a timeline, the code looked at, and the expected occurrences of that code as
(due, status, met_on, trigger). ``profiles`` overrides the expectation for a profile (``None``:
the profile does not produce the code). Comments show the calendar reasoning; bank holidays in
England used here: 2022-06-02/03 (Jubilee), 2022-09-19 (State Funeral), 2022-12-26/27,
2023-01-02, 2023-04-07/10 (Easter), 2023-05-08 (Coronation), 2024-03-29/04-01 (Easter),
2024-05-27, 2024-12-25/26.
"""

import pytest

from cases.rules import PROFILES, compute, policy_table

from .catalogue_kpi import KPI_CASES
from .catalogue_rev2 import REV2_CASES


def P(programme, date, **fields):
    """A programme_started fact."""
    return {"type": "programme_started", "programme": programme, "date": date, **fields}


def F(type_, date, **fields):
    """Any other fact."""
    return {"type": type_, "date": date, **fields}


CASES = [
    # ---------------------------------------------------------------- PSR
    dict(
        id="psr-gatekeep-jubilee",
        # Court Mon 6 Jun 2022; 2 wd before: (Fri 3, Thu 2 Jubilee) Wed 1 (1), Tue 31 May (2).
        facts=[
            P("psr", "2022-05-23", court_date="2022-06-06"),
            F("assessment_gatekept", "2022-05-31", assessment="assetplus"),
        ],
        as_of="2022-06-10",
        code="assetplus.gatekeep",
        expect=[("2022-05-31", "met", "2022-05-31", 0)],
    ),
    dict(
        id="psr-share-jubilee",
        # Before Mon 6 Jun 2022: the last working day is Wed 1 Jun (Jubilee Thu/Fri).
        facts=[P("psr", "2022-05-23", court_date="2022-06-06"), F("psr_shared_with_family", "2022-06-06")],
        as_of="2022-06-10",
        code="psr.share_with_family",
        expect=[("2022-06-01", "met_late", "2022-06-06", 0)],
    ),
    # ---------------------------------------------------------------- My Future
    dict(
        id="my-future-gatekeep-christmas",
        # Thu 15 Dec 2022 + 8 wd: 16,19,20,21,22,23 (6), skip 26/27 Dec, 28 (7), 29 (8).
        facts=[P("my_future", "2022-12-15")],
        as_of="2023-01-05",
        code="assessment.gatekeep",
        expect=[("2022-12-29", "overdue", None, 0)],
    ),
    dict(
        id="my-future-assessment-new-year",
        # ... 30 Dec (9), skip Mon 2 Jan 2023 (New Year substitute), Tue 3 Jan (10).
        facts=[P("my_future", "2022-12-15"), F("assessment_completed", "2023-01-03", assessment="my_future")],
        as_of="2023-01-05",
        code="assessment.due",
        expect=[("2023-01-03", "met", "2023-01-03", 0)],
    ),
    dict(
        id="my-future-action-plan",
        # ... 4 (11), 5, 6, 9 (14), Tue 10 Jan 2023 (15).
        facts=[P("my_future", "2022-12-15"), F("plan_completed", "2023-01-11", plan="action")],
        as_of="2023-01-20",
        code="plan.action",
        expect=[("2023-01-10", "met_late", "2023-01-11", 0)],
    ),
    dict(
        id="my-future-case-discussion",
        # Thu 15 Dec 2022 + 6 weeks = Thu 26 Jan 2023 (a working day).
        facts=[P("my_future", "2022-12-15")],
        as_of="2023-01-20",
        code="case_discussion.due",
        expect=[("2023-01-26", "open", None, 0)],
        # Islington (002): every calendar month from the allocation: the last working day of January
        # 2023 is Tue 31 Jan.
        profiles={"islington": [("2023-01-31", "open", None, 0)]},
    ),
    dict(
        id="my-future-fortnightly-contact",
        # Mon 8 Jan 2024 + 14 days = Mon 22 Jan; met Sat 20 Jan -> next 20 Jan + 14 = Sat 3 Feb,
        # moved back to Fri 2 Feb; met 2 Feb -> next Fri 16 Feb, not met by 1 Mar: overdue.
        facts=[
            P("my_future", "2024-01-08"),
            F("contact", "2024-01-20", kind="phone"),
            F("contact", "2024-02-02", kind="face_to_face"),
        ],
        as_of="2024-03-01",
        code="contact.fortnightly",
        expect=[
            ("2024-01-22", "met", "2024-01-20", 0),
            ("2024-02-02", "met", "2024-02-02", None),
            ("2024-02-16", "overdue", None, None),
        ],
    ),
    # ---------------------------------------------------------------- OOCD
    dict(
        id="oocd-gatekeep-good-friday",
        # Panel Tue 11 Apr 2023: the Friday before is Good Friday 7 Apr, so Thu 6 Apr. The
        # gatekeeping on 3 Apr is before the panel (the trigger) and still counts.
        facts=[
            P("oocd_no_intervention", "2023-04-11"),
            F("assessment_gatekept", "2023-04-03", assessment="oocd"),
        ],
        as_of="2023-04-20",
        code="assessment.gatekeep",
        expect=[("2023-04-06", "met", "2023-04-03", 0)],
    ),
    dict(
        id="oocd-intervention-plan-funeral",
        # Mon 12 Sep 2022 + 15 wd: 13-16 (4), skip 19 (State Funeral), 20-23 (8), 26-30 (13), 3 Oct (14), 4 Oct (15).
        facts=[P("oocd_intervention", "2022-09-12"), F("plan_completed", "2022-10-04", plan="intervention")],
        as_of="2022-10-10",
        code="plan.intervention",
        expect=[("2022-10-04", "met", "2022-10-04", 0)],
    ),
    dict(
        id="oocd-professionals-plan-funeral",
        # As above: 4 Oct 2022; a YCC counts too.
        facts=[P("oocd_ycc", "2022-09-12")],
        as_of="2022-10-10",
        code="plan.professionals",
        expect=[("2022-10-04", "overdue", None, 0)],
    ),
    dict(
        id="oocd-case-discussion-3-then-6-weeks",
        # Mon 12 Sep 2022 + 3 weeks = Mon 3 Oct; met Fri 30 Sep -> next 30 Sep + 6 weeks = Fri 11 Nov.
        facts=[P("oocd_intervention", "2022-09-12"), F("case_discussion_held", "2022-09-30")],
        as_of="2022-11-01",
        code="case_discussion.due",
        expect=[("2022-10-03", "met", "2022-09-30", 0), ("2022-11-11", "open", None, None)],
        # Islington (002): panel in September -> due the last working day of October, Mon 31 Oct 2022,
        # met 30 Sep; met in September, so the next is due at the end of October again: overdue 1 Nov.
        profiles={
            "islington": [("2022-10-31", "met", "2022-09-30", 0), ("2022-10-31", "overdue", None, None)]
        },
    ),
    dict(
        id="oocd-ycc-fortnightly-contact",
        # Thu 14 Dec 2023 + 14 days = Thu 28 Dec 2023 (a working day): not met by 2 Jan.
        facts=[P("oocd_ycc", "2023-12-14")],
        as_of="2024-01-02",
        code="contact.fortnightly",
        expect=[("2023-12-28", "overdue", None, 0)],
    ),
    # ---------------------------------------------------------------- Referral Order
    dict(
        id="ro-gatekeep-coronation",
        # Panel Wed 10 May 2023; 2 wd before: Tue 9 (1), skip Mon 8 (Coronation), Fri 5 (2).
        facts=[
            P("referral_order", "2023-05-02", panel_date="2023-05-10"),
            F("assessment_gatekept", "2023-05-08", assessment="assetplus"),
        ],
        as_of="2023-05-20",
        code="assetplus.gatekeep",
        expect=[("2023-05-05", "met_late", "2023-05-08", 0)],
    ),
    dict(
        id="ro-initial-panel-coronation",
        # Tue 2 May 2023 + 5 wd: 3, 4, 5 (3), skip 8 May, 9 (4), Wed 10 May (5).
        facts=[
            P("referral_order", "2023-05-02", custody_threshold=True),
            F("panel_held", "2023-05-10", panel="initial"),
        ],
        as_of="2023-05-20",
        code="referral_order.initial_panel",
        expect=[("2023-05-10", "met", "2023-05-10", 0)],
    ),
    dict(
        id="ro-plan-after-initial-panel",
        # Initial panel Wed 10 May 2023 (fact 1) + 5 wd: 11, 12, 15, 16, Wed 17 May.
        facts=[
            P("referral_order", "2023-05-02"),
            F("panel_held", "2023-05-10", panel="initial"),
            F("plan_completed", "2023-05-10", plan="intervention"),
        ],
        as_of="2023-05-20",
        code="plan.intervention",
        expect=[("2023-05-17", "met", "2023-05-10", 1)],
    ),
    # ---------------------------------------------------------------- YRO (the worked example)
    dict(
        id="yro-gatekeep",
        # Mon 8 Jan 2024 + 13 wd = Thu 25 Jan 2024.
        facts=[P("yro", "2024-01-08", length_months=12)],
        as_of="2024-06-03",
        code="assetplus.gatekeep",
        expect=[("2024-01-25", "overdue", None, 0)],
    ),
    dict(
        id="yro-assetplus-due",
        # Mon 8 Jan 2024 + 15 wd = Mon 29 Jan 2024.
        facts=[
            P("yro", "2024-01-08", length_months=12),
            F("assessment_completed", "2024-01-25", assessment="assetplus"),
        ],
        as_of="2024-06-03",
        code="assetplus.due",
        expect=[("2024-01-29", "met", "2024-01-25", 0)],
    ),
    dict(
        id="yro-plan",
        # Mon 8 Jan 2024 + 15 wd = Mon 29 Jan 2024.
        facts=[P("yro", "2024-01-08")],
        as_of="2024-01-29",
        code="plan.intervention",
        expect=[("2024-01-29", "open", None, 0)],
    ),
    dict(
        id="yro-assetplus-review-leap",
        # Anchor: first AssetPlus Thu 30 Nov 2023 (fact 1); + 3 months = 29 Feb 2024 (clamped, leap).
        # Met Mon 26 Feb -> 26 May 2024 is a Sunday: moved back to Fri 24 May; overdue by 3 Jun.
        facts=[
            P("yro", "2023-11-13"),
            F("assessment_completed", "2023-11-30", assessment="assetplus"),
            F("assessment_completed", "2024-02-26", assessment="assetplus"),
        ],
        as_of="2024-06-03",
        code="assetplus.review",
        expect=[("2024-02-29", "met", "2024-02-26", 1), ("2024-05-24", "overdue", None, None)],
    ),
    dict(
        id="yro-plan-review-iss-leap",
        # ISS: monthly. Anchor plan Wed 31 Jan 2024 (fact 1) + 1 month = Thu 29 Feb 2024 (leap clamp).
        facts=[P("yro", "2024-01-08", iss=True), F("plan_completed", "2024-01-31", plan="intervention")],
        as_of="2024-02-20",
        code="plan.review",
        expect=[("2024-02-29", "open", None, 1)],
    ),
    dict(
        id="bss-plan-review",
        # BSS: 3-monthly. Anchor Wed 31 Jan 2024 + 3 months = Tue 30 Apr 2024; a review on 30 Apr meets it.
        facts=[
            P("bail_supervision_support", "2024-01-15"),
            F("plan_completed", "2024-01-31", plan="intervention"),
            F("plan_completed", "2024-04-30", plan="intervention", review=True),
        ],
        as_of="2024-05-01",
        code="plan.review",
        expect=[("2024-04-30", "met", "2024-04-30", 1), ("2024-07-30", "open", None, None)],
    ),
    # ---------------------------------------------------------------- BSS
    dict(
        id="bss-assetplus-funeral",
        # Fri 9 Sep 2022 + 10 wd: 12-16 (5), skip 19 (State Funeral), 20-23 (9), Mon 26 Sep (10).
        facts=[P("bail_supervision_support", "2022-09-09")],
        as_of="2022-09-26",
        code="assetplus.due",
        expect=[("2022-09-26", "open", None, 0)],
    ),
    dict(
        id="bss-plan-funeral",
        # As above: Mon 26 Sep 2022; met on the 27th: late.
        facts=[
            P("bail_supervision_support", "2022-09-09"),
            F("plan_completed", "2022-09-27", plan="intervention"),
        ],
        as_of="2022-10-01",
        code="plan.intervention",
        expect=[("2022-09-26", "met_late", "2022-09-27", 0)],
    ),
    # ---------------------------------------------------------------- Remand and custody
    dict(
        id="remand-yjaf-72h-clock-change",
        # Fri 25 Oct 2024 15:00 BST + 72 h (clocks go back Sun 27 Oct) = Mon 28 Oct 14:00 GMT.
        facts=[
            P("remand", "2024-10-25", at="2024-10-25T15:00"),
            F("yjaf_entering_custody_uploaded", "2024-10-28", at="2024-10-28T14:30"),
        ],
        as_of="2024-11-01",
        code="yjaf.entering_custody",
        expect=[("2024-10-28T14:00:00+00:00", "met_late", "2024-10-28", 0)],
    ),
    dict(
        id="dto-yjaf-72h-date-only",
        # No time of day: Fri 25 Oct 2024 + ceil(72/24) = 3 days = Mon 28 Oct, never moved.
        facts=[P("dto_custody", "2024-10-25"), F("yjaf_entering_custody_uploaded", "2024-10-28")],
        as_of="2024-11-01",
        code="yjaf.entering_custody",
        expect=[("2024-10-28", "met", "2024-10-28", 0)],
    ),
    dict(
        id="remand-planning-christmas",
        # Fri 20 Dec 2024 + 5 wd: 23 (1), 24 (2), skip 25/26, 27 (3), 30 (4), Tue 31 Dec (5).
        facts=[P("remand", "2024-12-20")],
        as_of="2025-01-02",
        code="planning_meeting.initial",
        expect=[("2024-12-31", "overdue", None, 0)],
    ),
    dict(
        id="remand-contact-christmas",
        # As above: Tue 31 Dec 2024; any kind of contact counts.
        facts=[P("remand", "2024-12-20"), F("contact", "2024-12-23", kind="virtual")],
        as_of="2025-01-02",
        code="contact.initial",
        expect=[("2024-12-31", "met", "2024-12-23", 0)],
    ),
    dict(
        id="dto-planning-easter",
        # Mon 25 Mar 2024 + 10 wd: 26, 27, 28 (3), skip Good Friday and Easter Monday, 2-5 Apr (7), 8, 9, Wed 10 Apr (10).
        facts=[P("dto_custody", "2024-03-25")],
        as_of="2024-04-10",
        code="planning_meeting.initial",
        expect=[("2024-04-10", "open", None, 0)],
    ),
    dict(
        id="dto-victim-contact-12-months",
        # ... continuing: 11, 12 (12), 15-19 (17), 22, 23, Wed 24 Apr 2024 (20).
        facts=[P("dto_custody", "2024-03-25", custody_months=12)],
        as_of="2024-05-01",
        code="victim_contact.referral",
        expect=[("2024-04-24", "overdue", None, 0)],
    ),
    dict(
        id="dto-victim-contact-short-sentence",
        # custody_months 6 (< 12): no referral required.
        facts=[P("dto_custody", "2024-03-25", custody_months=6)],
        as_of="2024-05-01",
        code="victim_contact.referral",
        expect=[],
    ),
    dict(
        id="remand-welfare-visits",
        # Fri 31 May 2024 + 1 month = Sun 30 Jun (clamped), moved back to Fri 28 Jun. Visit Tue 25 Jun
        # -> next Thu 25 Jul 2024. A phone call is not a welfare visit.
        facts=[
            P("remand", "2024-05-31"),
            F("contact", "2024-06-10", kind="phone"),
            F("contact", "2024-06-25", kind="welfare_visit"),
        ],
        as_of="2024-07-01",
        code="visit.welfare",
        expect=[("2024-06-28", "met", "2024-06-25", 0), ("2024-07-25", "open", None, None)],
    ),
    dict(
        id="dto-assetplus-6-monthly",
        # Wed 31 Jan 2024 + 6 months = Wed 31 Jul 2024 (anchor: the programme date).
        facts=[P("dto_custody", "2024-01-31")],
        as_of="2024-08-01",
        code="assetplus.review",
        expect=[("2024-07-31", "overdue", None, 0)],
    ),
    dict(
        id="dto-pre-release-assetplus-window",
        # Release Mon 3 Jun 2024: earliest = 10 wd before: 31, 30, 29, 28 (4), skip 27 May (bank
        # holiday), 24-20 (9), Fri 17 May (10); due = the last working day before = Fri 31 May.
        # The assessment on 10 May is before the window; the one on 20 May counts.
        facts=[
            P("dto_custody", "2024-01-31", release_date="2024-06-03"),
            F("assessment_completed", "2024-05-10", assessment="assetplus"),
            F("assessment_completed", "2024-05-20", assessment="assetplus", stage="pre_release"),
        ],
        as_of="2024-06-10",
        code="assetplus.pre_release",
        expect=[("2024-05-31", "met", "2024-05-20", 0)],
        earliest="2024-05-17",
    ),
    dict(
        id="dto-pre-release-plan-window",
        # Same window; a plan completed on 16 May is before it, so nothing meets the obligation.
        facts=[
            P("dto_custody", "2024-01-31", release_date="2024-06-03"),
            F("plan_completed", "2024-05-16", plan="pre_release"),
        ],
        as_of="2024-06-10",
        code="plan.pre_release",
        expect=[("2024-05-31", "overdue", None, 0)],
        earliest="2024-05-17",
    ),
    # ---------------------------------------------------------------- DTO licence
    dict(
        id="licence-release-cmm-leap",
        # Released Wed 31 Jan 2024 + 1 month = Thu 29 Feb 2024; CMM on Mon 4 Mar: late.
        facts=[P("dto_licence", "2024-01-31"), F("cmm_held", "2024-03-04", reason="release")],
        as_of="2024-03-10",
        code="cmm.release",
        expect=[("2024-02-29", "met_late", "2024-03-04", 0)],
    ),
    dict(
        id="licence-plan-review",
        # First 1 month after release: Thu 29 Feb 2024; met Tue 20 Feb -> 3 months: Mon 20 May 2024.
        facts=[
            P("dto_licence", "2024-01-31"),
            F("plan_completed", "2024-02-20", plan="intervention", review=True),
        ],
        as_of="2024-03-10",
        code="plan.review",
        expect=[("2024-02-29", "met", "2024-02-20", 0), ("2024-05-20", "open", None, None)],
    ),
    dict(
        id="licence-assetplus-review",
        # First 1 month after release: Thu 29 Feb 2024, not met by 1 Mar.
        facts=[P("dto_licence", "2024-01-31")],
        as_of="2024-03-01",
        code="assetplus.review",
        expect=[("2024-02-29", "overdue", None, 0)],
    ),
    dict(
        id="licence-post-release-cmm",
        # Anchor: the release CMM Mon 4 Mar 2024 (fact 1) + 3 months = Tue 4 Jun; any CMM reason counts.
        facts=[
            P("dto_licence", "2024-01-31"),
            F("cmm_held", "2024-03-04", reason="release"),
            F("cmm_held", "2024-05-30", reason="risk_review"),
        ],
        as_of="2024-06-05",
        code="cmm.post_release",
        expect=[("2024-06-04", "met", "2024-05-30", 1), ("2024-08-30", "open", None, None)],
    ),
    # ---------------------------------------------------------------- CMMs
    dict(
        id="cmm-risk-review-worked-example",
        # Anchor: the first medium rating Fri 26 Jan 2024 (later than the start) + 11 weeks = Fri 12 Apr.
        facts=[
            P("yro", "2024-01-08", length_months=12),
            F("risk_rated", "2024-01-26", rosh="medium", saw="low", lor="medium"),
            F("assessment_completed", "2024-01-25", assessment="assetplus"),
        ],
        as_of="2024-06-03",
        code="cmm.risk_review",
        expect=[("2024-04-12", "overdue", None, 1)],
    ),
    dict(
        id="cmm-review-after-cmm-jubilee",
        # CMM Thu 26 May 2022 + 1 week = Thu 2 Jun (Jubilee), moved back to Wed 1 Jun 2022.
        facts=[
            F("cmm_held", "2022-05-26", reason="risk_review"),
            F("assessment_completed", "2022-06-06", assessment="assetplus"),
        ],
        as_of="2022-06-10",
        code="assetplus.review_after_cmm",
        expect=[("2022-06-01", "met_late", "2022-06-06", 0)],
    ),
    dict(
        id="csc-assetplus-funeral",
        # CSC meeting Mon 12 Sep 2022 + 5 wd: 13, 14, 15, 16, skip 19 (State Funeral), Tue 20 Sep.
        facts=[
            F("csc_meeting_held", "2022-09-12"),
            F("assessment_completed", "2022-09-20", assessment="assetplus"),
        ],
        as_of="2022-09-30",
        code="assetplus.review_after_csc",
        expect=[("2022-09-20", "met", "2022-09-20", 0)],
    ),
    dict(
        id="csc-plan-funeral",
        # As above: Tue 20 Sep 2022; any plan counts.
        facts=[F("csc_meeting_held", "2022-09-12"), F("plan_completed", "2022-09-21", plan="action")],
        as_of="2022-09-30",
        code="plan.update_after_csc",
        expect=[("2022-09-20", "met_late", "2022-09-21", 0)],
    ),
    dict(
        id="cmm-compliance-christmas",
        # Fri 16 Dec 2022 + 10 wd: 19-23 (5), skip 26/27, 28-30 (8), skip 2 Jan, 3 (9), Wed 4 Jan 2023 (10).
        facts=[F("failure_to_comply", "2022-12-16"), F("cmm_held", "2023-01-04", reason="compliance")],
        as_of="2023-01-10",
        code="cmm.compliance",
        expect=[("2023-01-04", "met", "2023-01-04", 0)],
    ),
    dict(
        id="cmm-reoffending-psr-coronation",
        # PSR court date Tue 9 May 2023: the last working day before is Fri 5 May (Coronation Monday).
        facts=[F("reoffended", "2023-04-20", psr_court_date="2023-05-09")],
        as_of="2023-05-10",
        code="cmm.reoffending",
        expect=[("2023-05-05", "overdue", None, 0)],
    ),
    dict(
        id="cmm-reoffending-sentence-jubilee",
        # Sentenced Fri 27 May 2022 + 15 wd: 30, 31, 1 Jun (3), skip Jubilee, 6-10 (8), 13-17 (13), 20, Tue 21 Jun (15).
        facts=[
            F("reoffended", "2022-05-27", sentence_date="2022-05-27"),
            F("cmm_held", "2022-06-15", reason="reoffending"),
        ],
        as_of="2022-07-01",
        code="cmm.reoffending",
        expect=[("2022-06-21", "met", "2022-06-15", 0)],
    ),
    dict(
        id="cmm-bail-easter",
        # Bail application Tue 2 Apr 2024: before it, skipping Easter Monday and Good Friday: Thu 28 Mar.
        facts=[
            F("bail_application_planned", "2024-03-20", bail_date="2024-04-02"),
            F("cmm_held", "2024-03-27", reason="bail"),
        ],
        as_of="2024-04-05",
        code="cmm.bail",
        expect=[("2024-03-28", "met", "2024-03-27", 0)],
    ),
    dict(
        id="cmm-actions-48h-autumn-clock",
        # Sat 26 Oct 2024 10:00 BST + 48 h = Mon 28 Oct 09:00 GMT; a date-only record on 28 Oct meets it.
        facts=[
            F("cmm_held", "2024-10-26", reason="significant_event", at="2024-10-26T10:00"),
            F("cmm_actions_recorded", "2024-10-28"),
        ],
        as_of="2024-11-01",
        code="cmm.actions_recorded",
        expect=[("2024-10-28T09:00:00+00:00", "met", "2024-10-28", 0)],
    ),
    dict(
        id="cmm-minutes-easter",
        # Fri 22 Mar 2024 + 5 wd: 25, 26, 27, 28 (4), skip 29 Mar and 1 Apr, Tue 2 Apr (5).
        facts=[F("cmm_held", "2024-03-22", reason="compliance")],
        as_of="2024-04-02",
        code="cmm.minutes",
        expect=[("2024-04-02", "open", None, 0)],
    ),
    # ---------------------------------------------------------------- Case discussions (statutory)
    dict(
        id="statutory-case-discussion",
        # Notts: 6 weeks after the first assessment Thu 25 Jan 2024 (fact 2) = Thu 7 Mar 2024.
        # Islington: every calendar month from the programme date (fact 0, no newly-allocated
        # exception): sentenced in January -> the last working day of February 2024 = Thu 29 Feb.
        facts=[
            P("yro", "2024-01-08", length_months=12),
            F("risk_rated", "2024-01-26", rosh="medium", saw="low", lor="medium"),
            F("assessment_completed", "2024-01-25", assessment="assetplus"),
        ],
        as_of="2024-06-03",
        code="case_discussion.due",
        expect=[("2024-03-07", "overdue", None, 2)],
        profiles={"islington": [("2024-02-29", "overdue", None, 0)]},
    ),
    # ---------------------------------------------------------------- Allocation and transfer (003)
    dict(
        id="co-allocation-recorded-jubilee",
        # Mon 30 May 2022 + 5 days = Sat 4 Jun; back over Jubilee Fri/Thu to Wed 1 Jun 2022.
        facts=[F("co_allocated", "2022-05-30")],
        as_of="2022-06-01",
        code="co_allocation.recorded",
        expect=[("2022-06-01", "open", None, 0)],
    ),
    dict(
        id="co-allocation-discussion",
        # Mon 30 May 2022 + 6 weeks = Mon 11 Jul 2022.
        facts=[F("co_allocated", "2022-05-30"), F("co_allocation_discussion", "2022-07-11")],
        as_of="2022-07-12",
        code="co_allocation.discussion",
        expect=[("2022-07-11", "met", "2022-07-11", 0), ("2022-08-22", "open", None, None)],
    ),
    dict(
        id="crown-court-allocate-spring-clock",
        # Fri 29 Mar 2024 16:00 GMT + 48 h (clocks go forward Sun 31 Mar) = Sun 31 Mar 17:00 BST.
        facts=[
            P("crown_court_tracking", "2024-03-29", at="2024-03-29T16:00"),
            F("allocated", "2024-03-31", at="2024-03-31T17:30"),
        ],
        as_of="2024-04-05",
        code="crown_court.allocate",
        expect=[("2024-03-31T17:00:00+01:00", "met_late", "2024-03-31", 0)],
    ),
    dict(
        id="crown-court-contact-christmas",
        # Thu 22 Dec 2022 + 5 days = Tue 27 Dec (holiday), back over 26, 25, 24 to Fri 23 Dec 2022.
        facts=[P("crown_court_tracking", "2022-12-22")],
        as_of="2022-12-23",
        code="contact.initial",
        expect=[("2022-12-23", "open", None, 0)],
    ),
    dict(
        id="crown-court-monthly-contact-leap",
        # Wed 31 Jan 2024 + 1 month = Thu 29 Feb 2024.
        facts=[P("crown_court_tracking", "2024-01-31"), F("contact", "2024-02-15", kind="phone")],
        as_of="2024-03-01",
        code="contact.monthly",
        expect=[("2024-02-29", "met", "2024-02-15", 0), ("2024-03-15", "open", None, None)],
    ),
    dict(
        id="crown-court-face-to-face",
        # Wed 31 Jan 2024 + 3 months = Tue 30 Apr 2024; a phone call does not count.
        facts=[P("crown_court_tracking", "2024-01-31"), F("contact", "2024-02-15", kind="phone")],
        as_of="2024-05-01",
        code="contact.face_to_face",
        expect=[("2024-04-30", "overdue", None, 0)],
    ),
    dict(
        id="specific-intervention-meeting",
        # Mon 12 Sep 2022 + 5 days = Sat 17 Sep, moved back to Fri 16 Sep 2022.
        facts=[P("specific_intervention", "2022-09-12"), F("contact", "2022-09-14", kind="face_to_face")],
        as_of="2022-09-20",
        code="meeting.initial",
        expect=[("2022-09-16", "met", "2022-09-14", 0)],
    ),
    dict(
        id="specific-intervention-plan-funeral",
        # Mon 12 Sep 2022 + 10 wd: 13-16 (4), skip 19, 20-23 (8), 26 (9), Tue 27 Sep (10).
        facts=[P("specific_intervention", "2022-09-12")],
        as_of="2022-09-20",
        code="plan.action",
        expect=[("2022-09-27", "open", None, 0)],
    ),
    dict(
        id="transfer-allocate-coronation",
        # Fri 5 May 2023 + 2 wd: skip Mon 8 (Coronation), Tue 9 (1), Wed 10 May (2).
        facts=[F("transfer_agreed", "2023-05-05"), F("reallocated", "2023-05-09")],
        as_of="2023-05-20",
        code="transfer.allocate",
        expect=[("2023-05-10", "met", "2023-05-09", 0)],
    ),
    dict(
        id="transfer-three-way-coronation",
        # Wed 3 May 2023 + 5 wd: 4, 5, skip 8, 9, 10, Thu 11 May (5).
        facts=[F("reallocated", "2023-05-03")],
        as_of="2023-05-20",
        code="transfer.three_way_meeting",
        expect=[("2023-05-11", "overdue", None, 0)],
    ),
    dict(
        id="transfer-out-jubilee",
        # Wed 1 Jun 2022 + 1 wd: skip Jubilee Thu/Fri and the weekend: Mon 6 Jun 2022.
        facts=[F("transfer_out_needed", "2022-06-01"), F("transfer_out_requested", "2022-06-03")],
        as_of="2022-06-10",
        code="transfer_out.request",
        expect=[("2022-06-06", "met", "2022-06-03", 0)],
    ),
    dict(
        id="transfer-in-christmas",
        # Thu 22 Dec 2022 + 2 wd: 23 (1), skip 26/27, Wed 28 Dec (2).
        facts=[F("transfer_in_documents_received", "2022-12-22")],
        as_of="2023-01-03",
        code="transfer_in.confirm",
        expect=[("2022-12-28", "overdue", None, 0)],
    ),
    dict(
        id="caretaking-review-leap",
        # Thu 30 Nov 2023 + 3 months = 29 Feb 2024 (clamped; a Thursday). Revision 2: it recurs, so
        # the review on Wed 28 Feb makes the next due 3 months later, Tue 28 May 2024 (after the
        # Spring bank holiday on Mon 27 May).
        facts=[F("caretaking_started", "2023-11-30"), F("caretaking_reviewed", "2024-02-28")],
        as_of="2024-03-01",
        code="caretaking.review",
        expect=[("2024-02-29", "met", "2024-02-28", 0), ("2024-05-28", "open", None, None)],
    ),
    # ---------------------------------------------------------------- Safeguarding and MAPPA
    dict(
        id="csc-inform-funeral",
        # Fri 16 Sep 2022 + 1 wd: skip Mon 19 (State Funeral): Tue 20 Sep. csc_open false: nothing.
        facts=[
            F("safeguarding_concern", "2022-09-16", csc_open=True),
            F("safeguarding_concern", "2022-09-16", csc_open=False),
        ],
        as_of="2022-09-20",
        code="csc.inform_social_worker",
        expect=[("2022-09-20", "open", None, 0)],
    ),
    dict(
        id="mappa-form-h",
        # No timescale: due null, listed last; met when sent.
        facts=[
            F("mappa_eligible", "2024-01-10", category=2),
            F("mappa_eligible", "2024-03-01", category=1),
            F("mappa_form_h_sent", "2024-03-02"),
        ],
        as_of="2024-03-05",
        code="mappa.form_h",
        expect=[(None, "met", "2024-03-02", 0), (None, "met", "2024-03-02", 1)],
    ),
    dict(
        id="mappa-meeting",
        # Level 1 set Mon 8 Jan 2024 + 11 weeks = Mon 25 Mar 2024.
        facts=[F("mappa_level_set", "2024-01-08", level=1), F("mappa_meeting_held", "2024-03-21")],
        as_of="2024-03-25",
        code="mappa.meeting",
        expect=[("2024-03-25", "met", "2024-03-21", 0), ("2024-06-06", "open", None, None)],
    ),
    dict(
        id="mappa-minutes-easter",
        # Meeting Thu 21 Mar 2024 + 10 wd: 22, 25-28 (5), skip 29 Mar/1 Apr, 2-5 (9), Mon 8 Apr (10).
        facts=[F("mappa_meeting_held", "2024-03-21")],
        as_of="2024-04-09",
        code="mappa.minutes",
        expect=[("2024-04-08", "overdue", None, 0)],
    ),
    # ---------------------------------------------------------------- Workers
    dict(
        id="staff-supervision",
        # Notts: Mon 8 Jan 2024 + 6 weeks = Mon 19 Feb; Islington: last working day of February = Thu 29 Feb.
        # Only the same worker's supervision counts.
        facts=[
            F("worker_started", "2024-01-08", worker="w1"),
            F("staff_supervision_held", "2024-02-12", worker="w2"),
        ],
        as_of="2024-02-16",
        code="supervision.staff",
        expect=[("2024-02-19", "open", None, 0, "w1")],
        profiles={"islington": [("2024-02-29", "open", None, 0, "w1")]},
    ),
    dict(
        id="supervision-agreed-two-weekly",
        # A service addition (002: new case managers supervised more often): agreed Mon 5 Feb 2024,
        # every 2 weeks -> Mon 19 Feb (met Fri 16 Feb) -> Fri 1 Mar; the same in every profile.
        facts=[
            F("worker_started", "2024-01-08", worker="w1"),
            F("supervision_frequency_set", "2024-02-05", worker="w1", weeks=2),
            F("staff_supervision_held", "2024-02-16", worker="w1"),
        ],
        as_of="2024-02-20",
        code="supervision.agreed",
        expect=[("2024-02-19", "met", "2024-02-16", 1, "w1"), ("2024-03-01", "open", None, None, "w1")],
    ),
    dict(
        id="leave-review-good-friday",
        # Fri 22 Mar 2024 + 7 days = Fri 29 Mar (Good Friday), moved back to Thu 28 Mar.
        facts=[
            F("unplanned_leave_started", "2024-03-22", worker="w1"),
            F("leave_cases_reviewed", "2024-03-26", worker="w1"),
        ],
        as_of="2024-04-05",
        code="leave.review_cases",
        expect=[("2024-03-28", "met", "2024-03-26", 0, "w1")],
    ),
    dict(
        id="leave-reallocation",
        # Fri 22 Mar 2024 + 14 days = Fri 5 Apr 2024; another worker's entry does not count.
        facts=[
            F("unplanned_leave_started", "2024-03-22", worker=7),
            F("leave_reallocation_considered", "2024-04-02", worker=8),
        ],
        as_of="2024-04-08",
        code="leave.consider_reallocation",
        expect=[("2024-04-05", "overdue", None, 0, 7)],
    ),
    # ---------------------------------------------------------------- Recording (002, 004)
    dict(
        id="case-discussion-recorded",
        # Notts: no such rule. Islington: Wed 10 Jan 2024 + 5 wd = Wed 17 Jan; significant with a time:
        # Sat 26 Oct 2024 10:00 BST + 24 h = Sun 27 Oct 09:00 GMT. Enfield: 48 hours for both: Fri 12 Jan
        # (date only: + 2 days) and Mon 28 Oct 09:00 GMT.
        facts=[
            F("case_discussion_held", "2024-01-10"),
            F("case_discussion_held", "2024-10-26", significant=True, at="2024-10-26T10:00"),
            F("case_discussion_recorded", "2024-01-11"),
        ],
        as_of="2024-10-26",
        code="case_discussion.recorded",
        expect=None,
        profiles={
            "islington": [
                ("2024-01-17", "met", "2024-01-11", 0),
                ("2024-10-27T09:00:00+00:00", "open", None, 1),
            ],
            "enfield": [
                ("2024-01-12", "met", "2024-01-11", 0),
                ("2024-10-28T09:00:00+00:00", "open", None, 1),
            ],
        },
    ),
    dict(
        id="oversight-recorded",
        # Islington: Fri 22 Mar 2024 + 5 wd: 25-28 (4), skip Easter, Tue 2 Apr; significant date-only:
        # + 24 h = + 1 day. Enfield: 48 hours, date only: + 2 days.
        facts=[
            F("oversight_decision", "2024-03-22"),
            F("oversight_decision", "2024-03-27", significant=True),
            F("oversight_recorded", "2024-03-29"),
        ],
        as_of="2024-04-03",
        code="oversight.recorded",
        expect=None,
        profiles={
            "islington": [
                ("2024-03-28", "met_late", "2024-03-29", 1),
                ("2024-04-02", "met", "2024-03-29", 0),
            ],
            "enfield": [("2024-03-24", "met_late", "2024-03-29", 0), ("2024-03-29", "met", "2024-03-29", 1)],
        },
    ),
]


CASES += REV2_CASES  # revision 2 of the contract (tests/rules/catalogue_rev2.py)
CASES += KPI_CASES  # the service's KPI snapshot codes, issue 21 (tests/rules/catalogue_kpi.py)


def _expected(case, profile):
    """The expected occurrences of the case's code for a profile (None: the code is absent)."""
    return case.get("profiles", {}).get(profile, case["expect"])


def _params():
    """(profile, case) pairs for every case and every profile."""
    return [pytest.param(p, c, id=f"{p}-{c['id']}") for p in PROFILES for c in CASES]


@pytest.mark.parametrize("profile,case", _params())
def test_catalogue_case(profile, case):
    """The code's occurrences (due, status, met_on, trigger[, worker]) match the hand-worked values."""
    out = compute({"policy": profile, "as_of": case["as_of"], "facts": case["facts"]})
    got = [o for o in out["obligations"] if o["code"] == case["code"]]
    expected = _expected(case, profile)
    if expected is None:
        assert got == []
        return
    rows = []
    for o in got:
        row = (o["due"], o["status"], o["met_on"], o["trigger"])
        if "worker" in o:
            row += (o["worker"],)
        rows.append(row)
    assert rows == [tuple(e) for e in expected]
    if "earliest" in case:
        assert [o["earliest"] for o in got] == [case["earliest"]] * len(got)
    else:
        assert all(o["earliest"] is None for o in got)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_code_is_covered(profile):
    """Every code the profile can produce has at least one case expecting occurrences of it."""
    codes = {row["code"] for row in policy_table(profile)}
    covered = {c["code"] for c in CASES if _expected(c, profile)}
    assert codes - covered == set()
