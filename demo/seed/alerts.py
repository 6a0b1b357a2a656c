"""Demo notifications: the alerts the 06:00 sweep on the demo's today raises (no email is sent).

Each notification is dated when a daily sweep would first have raised it (an overdue one the morning after
its due date, a due-soon one the lead's working days before), and those more than a few days old
are mostly read, so each role's list looks lived-in rather than freshly flooded.
"""

import datetime

from django.conf import settings

from alerts.models import DigestSent, Notification
from alerts.selectors import calendar, lead_working_days
from alerts.services import alerts_raise
from cases.rules.calendar import LONDON

# Notifications raised more than this many days before the demo's today are mostly read already.
READ_AFTER_DAYS = 3


def clear() -> None:
    """Remove every notification and digest record."""
    Notification.objects.all().delete()
    DigestSent.objects.all().delete()


def _raised_on(notification, *, today: datetime.date, cal, lead_for) -> datetime.date:
    """The morning a daily sweep would first have raised this notification (never after today)."""
    due = notification.due or today
    if notification.kind == Notification.Kind.DUE_SOON:
        raised = cal.subtract_working_days(due, lead_for(notification.code))
    elif notification.kind == Notification.Kind.ESCALATED:
        raised = cal.add_working_days(due, settings.ALERT_ESCALATE_AFTER_WORKING_DAYS + 1)
    else:  # overdue the day after its due date; the sweep runs every morning, weekends too
        raised = due + datetime.timedelta(days=1)
    return min(raised, today)


def build(*, today: datetime.date) -> None:
    """Raise the alerts a sweep at 06:00 on `today` would raise, then date and read them (bulk)."""
    now = datetime.datetime.combine(today, datetime.time(6, 0), tzinfo=LONDON)
    alerts_raise(now=now)
    cal = calendar()
    rows = list(Notification.objects.only("pk", "kind", "code", "due").order_by("pk"))
    for n in rows:
        raised = _raised_on(n, today=today, cal=cal, lead_for=lead_working_days)
        n.created_at = datetime.datetime.combine(raised, datetime.time(6, 0), tzinfo=LONDON)
        # Most of what is a few days old has been opened; a few are left, as people do.
        old = (today - raised).days > READ_AFTER_DAYS
        n.read_at = n.created_at + datetime.timedelta(hours=3) if old and n.pk % 5 else None
    Notification.objects.bulk_update(rows, ["created_at", "read_at"], batch_size=1000)
