"""When a closed child's record falls due for review (UK GDPR Art. 5(1)(e)), from the policy profile.

The date is the LATER of two periods of the active profile's `[[durations]]`: `retention.age` counted
from the date of birth (the 25th birthday by default) and `retention.after_closure` counted from the
day the record closed (six years by default); an extension replaces it. Years are calendar years that
clamp at the month's end, as every period of the policy tables does: a child born on 29 February 2008
is 25 on 28 February 2033.

The list of records due must not scan every child, so "due by `today`" is asked as two range
conditions on indexed dates: a start date whose period has run out by `today` is on or before
`latest_start(period, today)`.
"""

from __future__ import annotations

import datetime

from cases.policy import calendar, duration
from cases.rules.durations import Duration

AGE = "retention.age"
AFTER_CLOSURE = "retention.after_closure"


def review_due(
    *, date_of_birth: datetime.date, closed_on: datetime.date, review_on: datetime.date | None = None
) -> datetime.date:
    """The review date of a closed record: an extension's date if one was set, otherwise the later of
    the age and the period after closure."""
    if review_on is not None:
        return review_on
    cal = calendar()
    return max(duration(AGE).after(date_of_birth, cal), duration(AFTER_CLOSURE).after(closed_on, cal))


def latest_start(period: Duration, today: datetime.date) -> datetime.date:
    """The last start date whose period has run out by `today` (`period.after(start) <= today`).

    Counting back is not enough at month ends: 28 Feb 2033 less 25 years is 28 Feb 2008, yet a child
    born on 29 Feb 2008 is also 25 on 28 Feb 2033. The period only moves forward with its start, so
    step to the last start that still fits (at most a few days either way)."""
    cal = calendar()
    day = period.before(today, cal)
    while period.after(day, cal) > today:
        day -= datetime.timedelta(days=1)
    while period.after(day + datetime.timedelta(days=1), cal) <= today:
        day += datetime.timedelta(days=1)
    return day


def cut_offs(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(latest date of birth, latest closing day) of a record due by `today` without an extension."""
    cal_age, cal_closure = duration(AGE), duration(AFTER_CLOSURE)
    return latest_start(cal_age, today), latest_start(cal_closure, today)
