"""Reads for alerts, one module per question; every name is importable from here.

- recipients: who is responsible for an obligation, and who is told when it is overdue (one rule);
- due: what is due soon or overdue for the sweep, the lead times, escalation, and where work is done;
- digest: the daily digest;
- notifications: the notification pages and the unread count;
- sweeps: whether the daily sweep finished, and when alerts were last raised.
"""

from .digest import Digest, DigestItem, child_ref, digest_for_user, escalated_by_team
from .due import (
    CHILD_VALUES,
    OUTSTANDING,
    WORKER_VALUES,
    Alertable,
    Kind,
    calendar,
    child_link,
    is_escalated,
    lead_working_days,
    notification_target,
    obligations_to_alert,
    worker_link,
)
from .notifications import (
    UNREAD_CAP,
    notification_get_for_user,
    notification_states,
    notifications_for_user,
    unread_count,
    unread_label,
)
from .recipients import LEAVE_PREFIX, MANAGERS, Staff, staff_load
from .sweeps import DAILY_SWEEP_HOUR, daily_sweep_finished, last_sweep

__all__ = [
    "DAILY_SWEEP_HOUR",
    "daily_sweep_finished",
    "last_sweep",
    "CHILD_VALUES",
    "LEAVE_PREFIX",
    "MANAGERS",
    "OUTSTANDING",
    "WORKER_VALUES",
    "Alertable",
    "Digest",
    "DigestItem",
    "Kind",
    "Staff",
    "calendar",
    "child_link",
    "child_ref",
    "digest_for_user",
    "escalated_by_team",
    "is_escalated",
    "lead_working_days",
    "notification_target",
    "notification_get_for_user",
    "notification_states",
    "notifications_for_user",
    "obligations_to_alert",
    "staff_load",
    "unread_count",
    "unread_label",
    "UNREAD_CAP",
    "worker_link",
]
