"""The daily sweep's runs (issue 16): whether today's finished, and when alerts were last raised."""

import datetime

from ..models import SweepRun

# The hour (London) the daily sweep is scheduled at (config/settings/base.py, "alerts-sweep-daily"):
# from then on, an hourly run completes a day whose sweep has not finished.
DAILY_SWEEP_HOUR = 6


def daily_sweep_finished(*, day: datetime.date) -> bool:
    """Whether a daily sweep for this day has finished."""
    return SweepRun.objects.filter(date=day, finished_at__isnull=False).exists()


def last_sweep() -> SweepRun | None:
    """The last finished daily sweep (for "alerts last raised at"), or None before the first."""
    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
