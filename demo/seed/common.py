"""What several demo modules share: the calendar, the demo's timeliness trend and aware datetimes."""

import datetime

from django.utils import timezone

from cases.rules.calendar import get_calendar

CAL = get_calendar()


def on_time_rate(*, team_id: int, due: datetime.date, today: datetime.date) -> float:
    """How likely a piece of work due on `due` is done on time, so the compliance figures have a trend:
    the service improves over the years, the summer holidays and December are harder, and teams differ
    a little (about 0.78 three years ago to 0.90 now)."""
    team = 0.02 * ((team_id * 7919) % 5 - 2)
    season = -0.07 if due.month in (8, 12) else 0.0
    improving = -0.035 * max(0, (today - due).days) / 365
    return 0.88 + team + season + improving


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A London wall-clock time on a day, as the aware datetime the database stores."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def working(day: datetime.date) -> datetime.date:
    """The working day on or before `day` (supervision and meetings are held on working days)."""
    return CAL.on_or_before(day)
