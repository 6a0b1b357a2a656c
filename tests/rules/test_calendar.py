"""Working-day calendar and timescale arithmetic (spec/timescales.md "Arithmetic")."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.rules.calendar import (
    LONDON,
    WorkingCalendar,
    add_hours,
    add_hours_to_date,
    add_months_raw,
    get_calendar,
)

CAL = get_calendar("GB", "ENG")


@pytest.mark.parametrize(
    "day",
    [
        "2022-06-02",  # Spring bank holiday moved for the Platinum Jubilee
        "2022-06-03",  # Platinum Jubilee
        "2022-09-19",  # State Funeral of Queen Elizabeth II
        "2023-05-08",  # Coronation of King Charles III
        "2024-03-29",  # Good Friday
        "2024-04-01",  # Easter Monday
        "2022-12-26",  # Boxing Day
        "2022-12-27",  # Christmas Day (substitute, 25th was a Sunday)
        "2023-01-02",  # New Year's Day (substitute)
        "2024-06-01",  # a Saturday
        "2024-06-02",  # a Sunday
    ],
)
def test_non_working_days(day):
    """Bank holidays in England (including one-off days) and weekends are not working days."""
    assert not CAL.is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2022-06-01", "2022-06-06", "2022-09-20", "2023-05-09", "2024-03-28"])
def test_working_days(day):
    """Ordinary weekdays next to holidays are working days."""
    assert CAL.is_working_day(date.fromisoformat(day))


def test_scotland_differs():
    """The region is a parameter: 2 January is a holiday in Scotland but not in England."""
    sco = WorkingCalendar("GB", "SCT")
    assert not sco.is_working_day(date(2024, 1, 2))
    assert CAL.is_working_day(date(2024, 1, 2))


def test_holidays_cached_per_year():
    """Holiday sets are cached per year and returned as the same object."""
    assert CAL.holidays_in(2022) is CAL.holidays_in(2022)
    assert date(2022, 9, 19) in CAL.holidays_in(2022)


@pytest.mark.parametrize(
    "start,n,expected",
    [
        ("2024-01-05", 1, "2024-01-08"),  # Friday + 1 working day = Monday
        ("2024-01-06", 1, "2024-01-08"),  # Saturday + 1 working day = Monday
        ("2024-01-07", 2, "2024-01-09"),  # Sunday + 2 = Tuesday
        ("2024-01-08", 13, "2024-01-25"),  # worked example: 13 wd after Mon 8 Jan
        ("2022-06-01", 1, "2022-06-06"),  # Jubilee Thu/Fri skipped
        ("2022-09-16", 1, "2022-09-20"),  # State Funeral Monday skipped
        ("2023-05-05", 1, "2023-05-09"),  # Coronation Monday skipped
        ("2024-03-28", 1, "2024-04-02"),  # Easter: Good Friday and Easter Monday skipped
        ("2022-12-23", 1, "2022-12-28"),  # Christmas 2022: 26 and 27 (substitute) skipped
        ("2022-12-30", 1, "2023-01-03"),  # New Year substitute Monday 2 Jan 2023 skipped
        ("2024-01-08", 0, "2024-01-08"),  # zero days: the day itself when working
    ],
)
def test_add_working_days(start, n, expected):
    """N working days after D: D not counted; a non-working D counts from the next working day."""
    assert CAL.add_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    "start,n,expected",
    [
        ("2022-06-06", 2, "2022-05-31"),  # Mon 6 Jun 2022: back over the Jubilee to Tue 31 May
        ("2023-05-10", 2, "2023-05-05"),  # Wed 10 May 2023: Tue 9, (Coronation 8), Fri 5
        ("2024-01-08", 1, "2024-01-05"),  # Monday - 1 = Friday
    ],
)
def test_subtract_working_days(start, n, expected):
    """N working days before D, D not counted."""
    assert CAL.subtract_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    "start,expected",
    [
        ("2022-06-06", "2022-06-01"),  # before Mon 6 Jun 2022: Wed 1 Jun (Jubilee)
        ("2024-04-02", "2024-03-28"),  # before Tue 2 Apr 2024: Thu 28 Mar (Easter)
        ("2024-01-02", "2023-12-29"),  # before Tue 2 Jan 2024: Fri 29 Dec (New Year)
    ],
)
def test_last_working_day_before(start, expected):
    """'Before D' is the last working day before D."""
    assert CAL.last_working_day_before(date.fromisoformat(start)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    "start,months,expected",
    [
        ("2024-01-31", 1, "2024-02-29"),  # leap year clamp
        ("2023-01-31", 1, "2023-02-28"),  # non-leap clamp
        ("2023-11-30", 3, "2024-02-29"),
        ("2024-05-31", 1, "2024-06-30"),
        ("2024-12-15", 2, "2025-02-15"),
    ],
)
def test_add_months_raw(start, months, expected):
    """Calendar months clamp to the month's end."""
    assert add_months_raw(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_add_months_moves_back():
    """31 May 2024 + 1 month = Sun 30 Jun, moved back to Fri 28 Jun 2024."""
    assert CAL.add_months(date(2024, 5, 31), 1) == date(2024, 6, 28)


def test_add_days_moves_back_over_jubilee():
    """Mon 30 May 2022 + 5 days = Sat 4 Jun; back over the Jubilee to Wed 1 Jun 2022."""
    assert CAL.add_days(date(2022, 5, 30), 5) == date(2022, 6, 1)


def test_add_weeks_moves_back_over_coronation():
    """Mon 1 May 2023 + 1 week = Mon 8 May (Coronation), moved back to Fri 5 May 2023."""
    assert CAL.add_weeks(date(2023, 5, 1), 1) == date(2023, 5, 5)


@pytest.mark.parametrize(
    "panel,expected",
    [
        ("2024-01-10", "2024-01-05"),  # Wednesday panel: the previous Friday
        ("2024-01-12", "2024-01-05"),  # Friday panel: the Friday a week before
        ("2024-01-13", "2024-01-12"),  # Saturday panel: the day before
        ("2023-04-11", "2023-04-06"),  # Friday before is Good Friday: the working day before it
        ("2022-12-28", "2022-12-23"),
    ],
)
def test_friday_before(panel, expected):
    """The Friday before the panel; if not a working day, the working day before it (001 §6 table)."""
    assert CAL.friday_before(date.fromisoformat(panel)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    "start,expected",
    [
        ("2024-01-25", "2024-02-29"),  # last working day of February 2024
        ("2024-02-01", "2024-03-28"),  # March 2024 ends with Good Friday and a weekend
        ("2022-11-15", "2022-12-30"),
        ("2023-12-05", "2024-01-31"),  # across the year end
        ("2024-04-30", "2024-05-31"),
    ],
)
def test_last_working_day_of_next_month(start, expected):
    """Every calendar month (002): the last working day of the month after D's month."""
    assert CAL.last_working_day_of_next_month(date.fromisoformat(start)) == date.fromisoformat(expected)


def test_hours_across_autumn_clock_change():
    """48 hours from Sat 26 Oct 2024 10:00 BST ends Mon 28 Oct 09:00 GMT (an hour earlier on the clock)."""
    end = add_hours(datetime(2024, 10, 26, 10, 0, tzinfo=LONDON), 48)
    assert end.isoformat() == "2024-10-28T09:00:00+00:00"


def test_hours_across_spring_clock_change():
    """48 hours from Fri 29 Mar 2024 16:00 GMT ends Sun 31 Mar 17:00 BST (an hour later on the clock)."""
    end = add_hours(datetime(2024, 3, 29, 16, 0, tzinfo=LONDON), 48)
    assert end.isoformat() == "2024-03-31T17:00:00+01:00"


def test_hours_from_naive_and_utc():
    """Naive means Europe/London; an aware instant is converted to London."""
    assert add_hours(datetime(2024, 7, 1, 9, 0), 24).isoformat() == "2024-07-02T09:00:00+01:00"
    utc = datetime.fromisoformat("2024-07-01T08:00:00+00:00")
    assert add_hours(utc, 24).isoformat() == "2024-07-02T09:00:00+01:00"


@pytest.mark.parametrize("hours,days", [(24, 1), (48, 2), (72, 3), (1, 1), (25, 2)])
def test_hours_after_date_only(hours, days):
    """A date-only fact: D + ceil(N/24) days, never moved (even onto a weekend)."""
    assert add_hours_to_date(date(2024, 10, 25), hours) == date(2024, 10, 25) + timedelta(days=days)


def test_tables_extend_far_out():
    """Look-ups far from the first ones rebuild the tables and stay correct."""
    cal = WorkingCalendar("GB", "ENG")
    assert cal.add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)
    assert cal.add_working_days(date(1995, 12, 22), 1) == date(1995, 12, 27)
    assert cal.add_working_days(date(2060, 1, 2), 1) == date(2060, 1, 5)  # Fri 2 Jan 2060 -> Mon 5
    assert cal.add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)


_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=_days, n=st.integers(min_value=1, max_value=60))
def test_prop_result_is_working_day(day, n):
    """Adding N working days always lands on a working day after D."""
    result = CAL.add_working_days(day, n)
    assert CAL.is_working_day(result)
    assert result > day


@settings(max_examples=300, deadline=None)
@given(day=_days, n=st.integers(min_value=0, max_value=60))
def test_prop_monotonic(day, n):
    """N + 1 working days after D is strictly later than N working days after D."""
    assert CAL.add_working_days(day, n + 1) > CAL.add_working_days(day, n)


@settings(max_examples=300, deadline=None)
@given(day=_days, n=st.integers(min_value=1, max_value=60))
def test_prop_round_trip(day, n):
    """From a working day, N after then N before returns to the start."""
    start = CAL.on_or_before(day)
    assert CAL.subtract_working_days(CAL.add_working_days(start, n), n) == start


@settings(max_examples=300, deadline=None)
@given(day=_days, n=st.integers(min_value=1, max_value=30))
def test_prop_counts_exactly_n(day, n):
    """There are exactly N working days in (D, D + N working days]."""
    end = CAL.add_working_days(day, n)
    count = sum(CAL.is_working_day(day + timedelta(days=k)) for k in range(1, (end - day).days + 1))
    assert count == n


@settings(max_examples=200, deadline=None)
@given(day=_days, n=st.integers(min_value=1, max_value=24))
def test_prop_months_move_back_only(day, n):
    """N months after D is a working day on or before the raw calendar date, at most a week before."""
    raw = add_months_raw(day, n)
    due = CAL.add_months(day, n)
    assert CAL.is_working_day(due) and due <= raw and (raw - due).days < 7
