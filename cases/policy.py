"""The active policy profile (settings.POLICY_PROFILE) for the product's pages and services: its
calendar, its workflow timescales and any timescale in words, all from the rules module's tables."""

import datetime
import re

from django.conf import settings
from django.utils.functional import lazy

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


_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")


def timescale_text(text: str) -> str:
    """Text with each `{code}` replaced by that timescale in words ("less than {cmm.notice}' notice" →
    "less than two weeks' notice"), so messages, labels and hints follow the active profile."""
    return _PLACEHOLDER.sub(lambda m: timescale_words(m.group(1)), text)


# For labels, hints and messages defined when a module loads: worded when shown, so a change of
# POLICY_PROFILE (or a test's override_settings) changes them too.
timescale_lazy = lazy(timescale_text, str)
