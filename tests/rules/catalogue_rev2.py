"""Catalogue cases for revision 2 of docs/spec/timescales.md, with due dates worked out by hand.

Read by test_catalogue.py (same shape as its CASES: the code's occurrences as (due, status, met_on,
trigger), ``profiles`` overriding a profile's expectation). Bank holidays in England used here:
2024-05-27, 2024-08-26, 2027-12-27/28 (Christmas and Boxing Day observed), 2028-01-03 (New Year
observed), 2028-04-14/17 (Easter), 2028-05-29. 2028 is a leap year (29 Feb 2028 is a Tuesday).
"""


def P(programme, date, **fields):
    """A programme_started fact."""
    return {"type": "programme_started", "programme": programme, "date": date, **fields}


def F(type_, date, **fields):
    """Any other fact."""
    return {"type": type_, "date": date, **fields}


REV2_CASES = [
    # ---------------------------------------------------------------- PSR (001 §6 table: PSR)
    dict(
        id="psr-face-to-face-easter",
        # Court Tue 18 Apr 2028; before it: Mon 17 (Easter Monday), the weekend, Fri 14 (Good Friday):
        # Thu 13 Apr. A phone call is not face to face; the home visit on Wed 12 Apr meets it.
        facts=[
            P("psr", "2028-04-03", court_date="2028-04-18"),
            F("contact", "2028-04-05", kind="phone"),
            F("contact", "2028-04-12", kind="face_to_face"),
        ],
        as_of="2028-04-20",
        code="psr.face_to_face",
        expect=[("2028-04-13", "met", "2028-04-12", 0)],
    ),
    dict(
        id="psr-case-discussion-islington-leap",
        # Notts/Enfield: no case discussion for a PSR. Islington (002 "every open case"): requested
        # Mon 31 Jan 2028 -> the last working day of February 2028 = Tue 29 Feb (leap year); a CMM does
        # not count in Islington: overdue on 1 Mar.
        facts=[
            P("psr", "2028-01-31", court_date="2028-03-20"),
            F("cmm_held", "2028-02-10", reason="reoffending"),
        ],
        as_of="2028-03-01",
        code="case_discussion.due",
        expect=None,
        profiles={"islington": [("2028-02-29", "overdue", None, 0)]},
    ),
    # ---------------------------------------------------------------- My Future, OOCD: end of intervention
    dict(
        id="my-future-end-review-easter",
        # Ended Mon 17 Apr 2028 (Easter Monday): due that day moved back over the weekend and Good
        # Friday to Thu 13 Apr. Earliest 20 wd before 17 Apr: 13, 12, 11, 10 (4), 7-3 Apr (9),
        # 31-27 Mar (14), 24-20 Mar (19), Fri 17 Mar (20). A review-stage assessment is not the
        # closure review; the closure on Wed 12 Apr meets it. Trigger: the programme_ended (fact 3).
        facts=[
            P("my_future", "2028-01-04"),
            F("assessment_completed", "2028-03-20", assessment="my_future", stage="review"),
            F("assessment_completed", "2028-04-12", assessment="my_future", stage="closure"),
            F("programme_ended", "2028-04-17", programme="my_future"),
        ],
        as_of="2028-04-20",
        code="assessment.end_review",
        expect=[("2028-04-13", "met", "2028-04-12", 3)],
        earliest="2028-03-17",
    ),
    dict(
        id="oocd-end-review-bank-holiday",
        # Ended Sat 31 Aug 2024: due moved back to Fri 30 Aug. Earliest 20 wd before 31 Aug: 30-27 Aug
        # (4; Mon 26 Aug bank holiday), 23-19 (9), 16-12 (14), 9-5 (19), Fri 2 Aug (20). The closure
        # on 31 Jul is before the window; the one on Tue 3 Sep meets it late. Trigger: fact 1.
        facts=[
            P("oocd_intervention", "2024-06-03"),
            F("programme_ended", "2024-08-31", programme="oocd_intervention"),
            F("assessment_completed", "2024-07-31", assessment="oocd", stage="closure"),
            F("assessment_completed", "2024-09-03", assessment="oocd", stage="closure"),
        ],
        as_of="2024-09-10",
        code="assessment.end_review",
        expect=[("2024-08-30", "met_late", "2024-09-03", 1)],
        earliest="2024-08-02",
    ),
    # ---------------------------------------------------------------- Referral Order review panels
    dict(
        id="ro-after-review-panel-christmas",
        # Review panel Wed 5 Jan 2028. Earliest 5 wd before: Tue 4 (1), skip Mon 3 (New Year observed),
        # Fri 31 Dec (2), Thu 30 (3), Wed 29 (4), skip Tue 28/Mon 27 (Christmas observed), Fri 24 Dec
        # 2027 (5). Due 5 wd after: 6, 7, 10, 11, Wed 12 Jan 2028. The AssetPlus of 23 Dec is before the
        # window; the one of 30 Dec (done for the panel) meets it. Trigger: the panel (fact 2).
        facts=[
            P("referral_order", "2027-10-04", length_months=6),
            F("assessment_completed", "2027-12-23", assessment="assetplus"),
            F("panel_held", "2028-01-05", panel="review"),
            F("assessment_completed", "2027-12-30", assessment="assetplus"),
        ],
        as_of="2028-01-20",
        code="assetplus.after_review_panel",
        expect=[("2028-01-12", "met", "2027-12-30", 2)],
        earliest="2027-12-24",
    ),
    # ---------------------------------------------------------------- BSS done for court
    dict(
        id="bss-assetplus-review-assessed-for-court-leap",
        # Assessed for court: the reviews count from the day BSS was imposed, Tue 30 Nov 2027 + 3
        # months = Tue 29 Feb 2028 (clamped, leap year); met Mon 28 Feb -> 28 May 2028 is a Sunday:
        # moved back to Fri 26 May.
        facts=[
            P("bail_supervision_support", "2027-11-30", assessed_for_court=True),
            F("assessment_completed", "2028-02-28", assessment="assetplus"),
        ],
        as_of="2028-03-01",
        code="assetplus.review",
        expect=[("2028-02-29", "met", "2028-02-28", 0), ("2028-05-26", "open", None, None)],
    ),
    dict(
        id="bss-assessed-for-court-no-assetplus-due",
        # 001 §6 table BSS: "If not done for Court due within 10 working days": done for court, none.
        facts=[P("bail_supervision_support", "2022-09-09", assessed_for_court=True)],
        as_of="2022-10-26",
        code="assetplus.due",
        expect=[],
    ),
    # ---------------------------------------------------------------- Remand and custody planning
    dict(
        id="remand-planning-monthly-leap",
        # Anchor: the first planning meeting Mon 31 Jan 2028 (fact 1) + 1 month = Tue 29 Feb 2028 (leap
        # clamp); met Mon 28 Feb -> Tue 28 Mar 2028.
        facts=[
            P("remand", "2028-01-05"),
            F("planning_meeting_held", "2028-01-31"),
            F("planning_meeting_held", "2028-02-28"),
        ],
        as_of="2028-03-01",
        code="planning_meeting.monthly",
        expect=[("2028-02-29", "met", "2028-02-28", 1), ("2028-03-28", "open", None, None)],
    ),
    dict(
        id="dto-planning-monthly-under-six-months",
        # custody_months 4 (< 6). Anchor Fri 31 Mar 2028 (fact 1) + 1 month = Sun 30 Apr (clamped),
        # moved back to Fri 28 Apr 2028: unmet by 2 May.
        facts=[P("dto_custody", "2028-03-17", custody_months=4), F("planning_meeting_held", "2028-03-31")],
        as_of="2028-05-02",
        code="planning_meeting.monthly",
        expect=[("2028-04-28", "overdue", None, 1)],
    ),
    dict(
        id="remand-yjaf-plan-upload-easter",
        # Meeting Thu 13 Apr 2028 + 5 wd: skip Good Friday and Easter Monday, 18, 19, 20, 21, Mon 24 Apr.
        facts=[
            P("remand", "2028-04-03"),
            F("planning_meeting_held", "2028-04-13"),
            F("yjaf_plan_uploaded", "2028-04-24"),
        ],
        as_of="2028-04-25",
        code="yjaf.plan_upload",
        expect=[("2028-04-24", "met", "2028-04-24", 1)],
    ),
    dict(
        id="dto-yjaf-comment-christmas",
        # Meeting Thu 23 Dec 2027 + 5 wd: Fri 24 (1), skip 27/28 Dec (observed), 29, 30, 31 (4), skip
        # Mon 3 Jan 2028 (observed), Tue 4 Jan (5). The comment on 5 Jan is late.
        facts=[
            P("dto_custody", "2027-12-20", custody_months=12),
            F("planning_meeting_held", "2027-12-23"),
            F("yjaf_comment_added", "2028-01-05"),
        ],
        as_of="2028-01-10",
        code="yjaf.comment",
        expect=[("2028-01-04", "met_late", "2028-01-05", 1)],
    ),
    # ---------------------------------------------------------------- DTO licence: CMM/MAPPA
    dict(
        id="licence-release-met-by-mappa-leap",
        # Released Mon 31 Jan 2028 + 1 month = Tue 29 Feb 2028; a MAPPA meeting on 24 Feb meets it.
        facts=[P("dto_licence", "2028-01-31"), F("mappa_meeting_held", "2028-02-24")],
        as_of="2028-03-01",
        code="cmm.release",
        expect=[("2028-02-29", "met", "2028-02-24", 0)],
    ),
    dict(
        id="licence-post-release-from-mappa",
        # Anchor: the MAPPA meeting that met cmm.release, Thu 24 Feb 2028 (fact 1) + 3 months = Wed 24
        # May; the next MAPPA meeting on 24 May meets it -> Thu 24 Aug 2028.
        facts=[
            P("dto_licence", "2028-01-31"),
            F("mappa_meeting_held", "2028-02-24"),
            F("mappa_meeting_held", "2028-05-24"),
        ],
        as_of="2028-06-01",
        code="cmm.post_release",
        expect=[("2028-05-24", "met", "2028-05-24", 1), ("2028-08-24", "open", None, None)],
    ),
    # ---------------------------------------------------------------- Case discussions (000 §4.3)
    dict(
        id="remand-case-discussion",
        # Notts: 6 weeks after the first assessment Fri 11 Oct 2024 (fact 1) = Fri 22 Nov; a CMM on
        # 20 Nov counts -> 20 Nov + 6 weeks = Wed 1 Jan 2025 (New Year), moved back to Tue 31 Dec 2024.
        # Islington: from the remand date Tue 1 Oct 2024 -> the last working day of November, Fri 29
        # Nov; a CMM does not count there: overdue on 2 Dec.
        facts=[
            P("remand", "2024-10-01"),
            F("assessment_completed", "2024-10-11", assessment="assetplus"),
            F("cmm_held", "2024-11-20", reason="significant_event"),
        ],
        as_of="2024-12-02",
        code="case_discussion.due",
        expect=[("2024-11-22", "met", "2024-11-20", 1), ("2024-12-31", "open", None, None)],
        profiles={"islington": [("2024-11-29", "overdue", None, 0)]},
    ),
    dict(
        id="crown-court-case-discussion",
        # Notts: no assessment needed (003 §9.4): first appearance Wed 17 Apr 2024 + 6 weeks = Wed 29 May;
        # met that day -> Wed 10 Jul 2024. Islington: the last working day of May, Fri 31 May, met
        # 29 May -> the last working day of June, Fri 28 Jun 2024 (the 30th is a Sunday).
        facts=[
            P("crown_court_tracking", "2024-04-17", at="2024-04-17T10:00"),
            F("case_discussion_held", "2024-05-29"),
        ],
        as_of="2024-06-03",
        code="case_discussion.due",
        expect=[("2024-05-29", "met", "2024-05-29", 0), ("2024-07-10", "open", None, None)],
        profiles={"islington": [("2024-05-31", "met", "2024-05-29", 0), ("2024-06-28", "open", None, None)]},
    ),
    dict(
        id="specific-intervention-case-discussion-islington",
        # Notts/Enfield: none. Islington: allocated Wed 10 Nov 2027 -> the last working day of December,
        # Fri 31 Dec 2027 (27/28 Dec are bank holidays, the 31st is not); met 15 Dec -> the last working
        # day of January 2028, Mon 31 Jan. The CMM on 20 Dec does not count.
        facts=[
            P("specific_intervention", "2027-11-10"),
            F("case_discussion_held", "2027-12-15"),
            F("cmm_held", "2027-12-20", reason="significant_event"),
        ],
        as_of="2028-01-04",
        code="case_discussion.due",
        expect=None,
        profiles={"islington": [("2027-12-31", "met", "2027-12-15", 0), ("2028-01-31", "open", None, None)]},
    ),
    # ---------------------------------------------------------------- Caretaking (003 §12.1, App. B)
    dict(
        id="caretaking-review-recurs-until-ended",
        # Tue 30 Nov 2027 + 3 months = Tue 29 Feb 2028 (clamped, leap), met that day -> 29 May 2028 is
        # the Spring bank holiday: moved back to Fri 26 May; but caretaking ended on 20 Apr, before it,
        # and it was not met by then: dropped.
        facts=[
            F("caretaking_started", "2027-11-30"),
            F("caretaking_reviewed", "2028-02-29"),
            F("caretaking_ended", "2028-04-20"),
        ],
        as_of="2028-06-01",
        code="caretaking.review",
        expect=[("2028-02-29", "met", "2028-02-29", 0)],
    ),
]
