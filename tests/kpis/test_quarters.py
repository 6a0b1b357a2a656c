"""Quarters: `2026Q3` is July to September 2026 (calendar), with the YJB's financial-year label beside it."""

import datetime

import pytest

from kpis.selectors.quarters import BadQuarter, Quarter

D = datetime.date


@pytest.mark.parametrize(
    ("token", "start", "end", "yjb"),
    [
        ("2026Q1", D(2026, 1, 1), D(2026, 3, 31), "2025/26 Q4"),
        ("2026Q2", D(2026, 4, 1), D(2026, 6, 30), "2026/27 Q1"),
        ("2026Q3", D(2026, 7, 1), D(2026, 9, 30), "2026/27 Q2"),
        ("2026Q4", D(2026, 10, 1), D(2026, 12, 31), "2026/27 Q3"),
        ("2028Q1", D(2028, 1, 1), D(2028, 3, 31), "2027/28 Q4"),
        ("2099q4", D(2099, 10, 1), D(2099, 12, 31), "2099/00 Q3"),
    ],
)
def test_a_quarter_and_its_yjb_label(token, start, end, yjb):
    """Each calendar quarter's first and last days, and the YJB's name for the same months."""
    quarter = Quarter.parse(token)
    assert (quarter.start, quarter.end, quarter.yjb_label) == (start, end, yjb)


@pytest.mark.parametrize(
    "bad", ["", None, "2026", "2026Q5", "2026Q0", "Q3 2026", "2026-Q3", "1999Q4", "2026Q3x"]
)
def test_bad_quarters_say_why(bad):
    """Anything but YYYYQn (years 2000-2099) is refused with a one-line reason."""
    with pytest.raises(BadQuarter) as exc:
        Quarter.parse(bad)
    assert "\n" not in str(exc.value)


def test_shift_and_containing():
    """Moving across a year, and the quarter a date (29 February) falls in; the last complete quarter."""
    assert Quarter(2026, 1).shift(-1) == Quarter(2025, 4)
    assert Quarter(2025, 4).shift(1) == Quarter(2026, 1)
    assert Quarter.containing(D(2028, 2, 29)) == Quarter(2028, 1)
    assert Quarter.last_complete(D(2026, 10, 1)) == Quarter(2026, 3)
    assert Quarter.last_complete(D(2026, 9, 30)) == Quarter(2026, 2)
