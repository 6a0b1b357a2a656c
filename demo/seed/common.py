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


# Work the demo leaves undone is recent: a miss older than this was caught up (done late), as a team
# manager's weekly look at What is due and the monthly supervision would have it (001 §6.3, 002). So a
# worker's overdue items are a handful from the last few weeks, never last year's (issue 20).
RECENT_MISS = datetime.timedelta(weeks=6)
# The ages a child is when their programme starts: the youth justice system deals with 10 to 17-year-olds
# (the age of criminal responsibility is 10), and a Detention and Training Order is for 12 to 17-year-olds
# (GLOSSARY "DTO").
YOUNGEST, OLDEST, YOUNGEST_DTO = 10, 17, 12


def may_miss(due: datetime.date, today: datetime.date) -> bool:
    """Whether work due on `due` may still be outstanding today in the demo (RECENT_MISS)."""
    return today - due <= RECENT_MISS


def birthday(start: datetime.date, age: int, day_of_year: int) -> datetime.date:
    """A date of birth making the child `age` on `start`, some days (1 + `day_of_year` % 360) before the
    `age`-th birthday would fall on `start`, so the child is `age`, not `age` - 1 or `age` + 1, that day."""
    anniversary = start.replace(year=start.year - age, day=min(start.day, 28))
    return anniversary - datetime.timedelta(days=1 + day_of_year % 360)


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A London wall-clock time on a day, as the aware datetime the database stores."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def working(day: datetime.date) -> datetime.date:
    """The working day on or before `day` (supervision and meetings are held on working days)."""
    return CAL.on_or_before(day)


def kpi_trend(day: datetime.date, today: datetime.date) -> float:
    """How much better than three years ago things stood on `day`: 0 then, about 0.09 now."""
    return max(0.0, 0.09 - 0.03 * (today - day).days / 365)
