"""Workflow timescales (`[[durations]]`) and timescales in words, from the profile tables only."""

import datetime
import tomllib
from pathlib import Path

import pytest

from cases.rules import compute
from cases.rules.calendar import get_calendar
from cases.rules.durations import amount_words, duration, durations, words
from cases.rules.profiles import POLICY_DIR, profile_ids

CAL = get_calendar()
D = datetime.date


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (5, "working_days", "five working days"),
        (1, "working_days", "one working day"),
        (48, "hours", "48 hours"),
        (24, "hours", "24 hours"),
        (2, "weeks", "two weeks"),
        (11, "weeks", "11 weeks"),
        (3, "months", "three months"),
        (10, "working_days", "ten working days"),
        (6, "years", "six years"),  # retention (issue 19)
        (25, "years", "25 years"),
    ],
)
def test_amounts_read_as_the_policies_write_them(amount, unit, text):
    """Words up to ten, figures above; hours always in figures (000 §1.3 "48 hours")."""
    assert amount_words(amount, unit) == text


def test_every_profile_has_the_workflow_timescales_the_product_applies():
    """Each profile (Islington and Enfield inherit Nottinghamshire's) has every duration the code uses."""
    needed = {
        "cmm.notice",
        "cmm.compliance_report",
        "cmm.csc_minutes_task",
        "caretaking.full_transfer_presumption",
        "caretaking.review_latest",
        "oversight.prompt",
        "supervision.newly_allocated",
        "supervision.brief_check",
    }
    for pid in profile_ids():
        assert needed <= set(durations(pid)), pid
        assert all(d.basis and d.title for d in durations(pid).values())


def test_notice_is_two_weeks_elapsed_and_the_report_24_hours():
    """001 §6.2: two weeks' notice counts calendar days; 000 App. B: 24 hours before the meeting."""
    notice = duration("nottinghamshire", "cmm.notice")
    assert notice.words == "two weeks"
    assert notice.after(D(2026, 12, 18), CAL) == D(2027, 1, 1)  # over Christmas: elapsed, not working days
    report = duration("nottinghamshire", "cmm.compliance_report")
    # 25 October 2026 is the clock change: 24 elapsed hours before 10:00 on Monday 26th is 10:00 Sunday.
    meeting = datetime.datetime(2026, 10, 26, 10, 0, tzinfo=datetime.UTC)
    assert report.instant_before(meeting) == meeting - datetime.timedelta(hours=24)


def test_caretaking_review_clamps_at_month_ends_and_leap_years():
    """003 §12.1, App. B: three calendar months, 30 November + 3 months = 28 February (29 in 2028)."""
    latest = duration("nottinghamshire", "caretaking.review_latest")
    assert latest.after(D(2026, 11, 30), CAL) == D(2027, 2, 28)
    assert latest.after(D(2027, 11, 30), CAL) == D(2028, 2, 29)
    assert latest.after(D(2026, 1, 31), CAL) == D(2026, 4, 30)


def test_working_day_periods_skip_bank_holidays():
    """The oversight prompt's five working days from Christmas Eve 2026 (Friday): 25, 28 Dec bank
    holidays (Boxing Day substitute), so 29, 30, 31 Dec, 4 (1 Jan holiday), 5 Jan."""
    assert duration("nottinghamshire", "oversight.prompt").after(D(2026, 12, 24), CAL) == D(2027, 1, 5)
    assert duration("nottinghamshire", "cmm.csc_minutes_task").after(D(2026, 12, 24), CAL) == D(2026, 12, 29)


def test_obligation_codes_in_words_follow_the_profile():
    """The same code reads differently where a profile changes it (002: Islington monthly)."""
    assert words("nottinghamshire", "cmm.actions_recorded") == "48 hours"
    assert words("nottinghamshire", "cmm.minutes") == "five working days"
    assert words("nottinghamshire", "supervision.staff") == "six weeks"
    assert words("islington", "supervision.staff") == "calendar month"
    assert words("nottinghamshire", "cmm.notice") == "two weeks"


def test_a_code_with_no_single_timescale_is_refused():
    """Codes whose rules disagree (AssetPlus gatekeeping: before court for a PSR, after sentence
    otherwise) or unknown keys raise, naming the key."""
    with pytest.raises(KeyError, match="assetplus.gatekeep"):
        words("nottinghamshire", "assetplus.gatekeep")
    with pytest.raises(KeyError, match="no.such"):
        duration("nottinghamshire", "no.such")


def test_the_timescales_command_never_returns_a_duration():
    """Durations are not obligations: the contract's output is unchanged by them."""
    facts = [
        {"type": "programme_started", "programme": "yro", "date": "2026-01-05", "length_months": 12},
        {"type": "caretaking_started", "date": "2026-01-05"},
    ]
    out = compute({"policy": "nottinghamshire", "as_of": "2026-06-01", "facts": facts})
    codes = {o["code"] for o in out["obligations"]}
    assert not codes & set(durations("nottinghamshire"))


def test_durations_live_only_in_the_policy_tables():
    """Only the profile files define them (the default's; others inherit or replace by id)."""
    own = {
        pid: [
            d["id"] for d in tomllib.loads(Path(POLICY_DIR / f"{pid}.toml").read_text()).get("durations", [])
        ]
        for pid in profile_ids()
    }
    assert own["nottinghamshire"]
