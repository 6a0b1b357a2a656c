"""The active policy profile (settings.POLICY_PROFILE) for the product's pages and services: its
calendar, its workflow timescales and any timescale in words, all from the rules module's tables."""

import datetime

from django.conf import settings

from .rules.calendar import WorkingCalendar
from .rules.durations import Duration
from .rules.durations import duration as _duration
from .rules.durations import words as _words
from .rules.profiles import get_profile


def calendar() -> WorkingCalendar:
    """The active profile's working calendar (its region's bank holidays)."""
    return get_profile(settings.POLICY_PROFILE).calendar


def duration(key: str) -> Duration:
    """A workflow timescale of the active profile (`[[durations]]`, e.g. "cmm.notice")."""
    return _duration(settings.POLICY_PROFILE, key)


def due_after(key: str, day: datetime.date) -> datetime.date:
    """The date the workflow timescale `key` runs out, counted from `day` in the profile's calendar."""
    return duration(key).after(day, calendar())


def timescale_words(key: str) -> str:
    """Any timescale of the active profile as a page states it ("48 hours", "two weeks")."""
    return _words(settings.POLICY_PROFILE, key)
