"""When a closed record falls due for review (issue 19): the later of age 25 and six years after
closure, in the policy tables' calendar arithmetic; and the list's range query agrees with it."""

import datetime

import pytest

from cases.policy import duration
from cases.rules.durations import durations
from cases.rules.profiles import profile_ids
from retention.due import AFTER_CLOSURE, AGE, cut_offs, latest_start, review_due

D = datetime.date


def test_every_profile_states_the_retention_periods_with_their_source():
    """Each profile has both periods (a service changes its own row), each with a basis and a title."""
    for pid in profile_ids():
        table = durations(pid)
        assert (table[AGE].amount, table[AGE].unit) == (25, "years"), pid
        assert (table[AFTER_CLOSURE].amount, table[AFTER_CLOSURE].unit) == (6, "years"), pid
        assert table[AGE].basis and table[AFTER_CLOSURE].title, pid
    assert duration(AFTER_CLOSURE).words == "six years" and duration(AGE).words == "25 years"


@pytest.mark.parametrize(
    ("born", "closed", "due"),
    [
        (D(2005, 6, 15), D(2023, 1, 10), D(2030, 6, 15)),  # the 25th birthday is later
        (D(2000, 3, 1), D(2022, 5, 31), D(2028, 5, 31)),  # six years after closing is later
        (D(2008, 2, 29), D(2020, 1, 1), D(2033, 2, 28)),  # leap-day birthday, 25th in a common year
        (D(2007, 2, 28), D(2024, 2, 29), D(2032, 2, 28)),  # closed on a leap day: clamps to 28 Feb
        (D(2004, 2, 29), D(2020, 1, 1), D(2029, 2, 28)),  # born 29 Feb 2004: 25 on 28 Feb 2029
        (D(2010, 1, 31), D(2034, 8, 31), D(2040, 8, 31)),  # month end kept
        (D(2011, 12, 31), D(2030, 12, 31), D(2036, 12, 31)),  # the same day: one date
    ],
)
def test_review_is_the_later_of_age_25_and_six_years_after_closure(born, closed, due):
    assert review_due(date_of_birth=born, closed_on=closed) == due


def test_an_extension_replaces_the_policy_date():
    assert review_due(date_of_birth=D(2005, 6, 15), closed_on=D(2023, 1, 10), review_on=D(2031, 1, 1)) == D(
        2031, 1, 1
    )


def test_a_child_born_on_a_leap_day_is_due_on_28_february_not_before():
    """29 Feb 2008 + 25 years = 28 Feb 2033: the cut-off for that day must include 29 Feb 2008, which
    counting back (28 Feb 2033 less 25 years = 28 Feb 2008) would miss."""
    assert latest_start(duration(AGE), D(2033, 2, 28)) == D(2008, 2, 29)
    assert latest_start(duration(AGE), D(2033, 2, 27)) == D(2008, 2, 27)
    assert latest_start(duration(AGE), D(2032, 2, 29)) == D(2007, 2, 28)  # no 29 Feb 2007
    assert latest_start(duration(AFTER_CLOSURE), D(2030, 2, 28)) == D(2024, 2, 29)


@pytest.mark.parametrize(
    "today", [D(2033, 2, 27), D(2033, 2, 28), D(2033, 3, 1), D(2032, 2, 29), D(2030, 4, 30)]
)
def test_the_cut_offs_agree_with_the_due_date_for_every_day_around_month_ends(today):
    """The page's range query (born on or before, closed on or before) lists exactly the records whose
    review date has come: checked for every birth and closing day within 40 days of the cut-offs."""
    born_by, closed_by = cut_offs(today)
    for offset in range(-40, 41):
        born = born_by + datetime.timedelta(days=offset)
        closed = closed_by + datetime.timedelta(days=offset)
        for other_born, other_closed in ((born, D(1990, 1, 1)), (D(1990, 1, 1), closed)):
            listed = other_born <= born_by and other_closed <= closed_by
            due = review_due(date_of_birth=other_born, closed_on=other_closed) <= today
            assert listed == due, (today, other_born, other_closed)
