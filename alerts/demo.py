"""Demo notifications: the alerts sweep run as of the demo's today (placeholder until built)."""

import datetime


def clear() -> None:
    """Remove every notification and digest record."""
    from .models import DigestSent, Notification

    Notification.objects.all().delete()
    DigestSent.objects.all().delete()


def build(*, today: datetime.date) -> None:
    """Raise the alerts a sweep on the demo's today would raise (no email is sent)."""
