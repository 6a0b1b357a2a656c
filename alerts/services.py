"""Writes for alerts: raise due-soon, overdue and escalation notifications; send the daily digests.

Both are idempotent. A notification's key names its obligation by value (kind, child or worker, code,
due date) and the database refuses a second one with the same key for the same recipient, so a sweep
run twice raises nothing twice; a digest is recorded (DigestSent) in the same transaction as it is sent,
so each user gets at most one a day.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from cases.models import EmailPreference, Role, Team, User
from core.outbox import email_enqueue
from core.registry import WaitingItem, registry

from . import selectors
from .models import DigestSent, Notification
from .selectors import Alertable, Kind, Staff

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# PostgreSQL advisory lock key (any constant): one raise at a time (`_one_raise_at_a_time`).
RAISE_LOCK = 16_0001
# Each digest section lists this many items; the rest are counted ("and 12 more") and on "My work".
DIGEST_ITEMS = 15


class DigestsIncomplete(Exception):
    """Some digests of the day could not be sent; the task retries them (the others are recorded)."""


def _when(row: dict) -> str:
    """The due date (and time, for an hour-based obligation) as people read it."""
    if row["due_at"] is not None:
        return dateformat.format(timezone.localtime(row["due_at"]), "H:i \\o\\n j F Y")
    return dateformat.format(row["due"], "j F Y") if row["due"] else "no date"


def _key(kind: str, row: dict) -> str:
    """The notification key: kind, whose obligation (c<child> or w<worker>), code and due date."""
    owner = f"c{row['child_id']}" if row.get("child_id") else f"w{row['worker_id']}"
    due = row["due"].isoformat() if row["due"] else "none"
    return f"{kind}:{owner}:{row['code']}:{due}"


def _messages(alert: Alertable, *, staff: Staff, teams: dict[int, str]) -> dict[str, Callable[[int], str]]:
    """The message for each kind of notification about this obligation (in-app: names the child)."""
    row = alert.row
    title, when = row["title"], _when(row)
    escalate_after = settings.ALERT_ESCALATE_AFTER_WORKING_DAYS
    if alert.is_child:
        child = f"{row['child__first_name']} {row['child__last_name']} ({row['child__case_number']})"
        holder = staff.name(row["child__case_manager_id"])
        held = f"held by {holder}" if holder else "not allocated"
        team = teams.get(row["child__team_id"], "")
        return {
            Kind.DUE_SOON: lambda _r: f"{title} for {child} is due {when}.",
            Kind.OVERDUE: lambda _r: f"{title} for {child} is overdue: it was due {when}.",
            Kind.OVERDUE_MANAGER: lambda _r: f"{title} for {child}, {held}, is overdue: it was due {when}.",
            Kind.ESCALATED: lambda _r: (
                f"{title} for {child} ({team}, {held}) is overdue by more than {escalate_after} working "
                f"days: it was due {when}."
            ),
        }
    worker_id = row["worker_id"]
    worker = staff.name(worker_id)

    def own(recipient: int, text: str) -> str:
        """The message to the worker ("you") or about them."""
        return f"{title} for {'you' if recipient == worker_id else worker} {text}"

    return {
        Kind.DUE_SOON: lambda r: own(r, f"is due {when}."),
        Kind.OVERDUE: lambda r: own(r, f"is overdue: it was due {when}."),
        Kind.OVERDUE_MANAGER: lambda r: f"{title} for {worker} is overdue: it was due {when}.",
        Kind.ESCALATED: lambda r: (
            f"{title} for {worker} is overdue by more than {escalate_after} working days: it was due {when}."
        ),
    }


def _link(row: dict) -> str:
    """Where the obligation is done."""
    if row.get("child_id"):
        return selectors.child_link(code=row["code"], child_id=row["child_id"])
    return selectors.worker_link(code=row["code"], worker_id=row["worker_id"])


def notifications_build(
    *, alerts: list[Alertable], staff: Staff, teams: dict[int, str]
) -> list[Notification]:
    """Unsaved notifications for the alerts: each recipient once per kind and obligation."""
    out = []
    for alert in alerts:
        row = alert.row
        recipients: dict[int, str] = {pk: alert.state for pk in alert.responsible}
        for pk in alert.managers:  # "Overdue in your team", unless already told as responsible
            recipients.setdefault(pk, Kind.OVERDUE_MANAGER)
        messages = _messages(alert, staff=staff, teams=teams)
        pairs = list(recipients.items())
        if alert.escalated:
            pairs += [(pk, Kind.ESCALATED) for pk in staff.service_managers]
        link = _link(row)
        for recipient, kind in pairs:
            out.append(
                Notification(
                    recipient_id=recipient,
                    kind=kind,
                    child_id=row.get("child_id"),
                    worker_id=row.get("worker_id"),
                    code=row["code"],
                    title=row["title"][:200],
                    due=row["due"],
                    due_at=row["due_at"],
                    basis=row["basis"][:200],
                    message=messages[kind](recipient)[:400],
                    link=link[:300],
                    key=_key(kind, row)[:200],
                )
            )
    return out


def _one_raise_at_a_time() -> None:
    """Wait until no other raise is running (issue 16: two sweeps at once, e.g. beat's and a re-delivered
    copy). Without it both insert at once; the unique key still stops any double, but each run counts the
    other's notifications as its own raised. On PostgreSQL a transaction-level advisory lock (released at
    commit, or when a killed worker's connection closes); SQLite's IMMEDIATE transactions already let one
    writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RAISE_LOCK])


def _insert(notifications: list[Notification]) -> None:
    """Insert the notifications, skipping any the recipient already has (the unique key)."""
    Notification.objects.bulk_create(notifications, batch_size=BATCH_SIZE, ignore_conflicts=True)


@transaction.atomic
def alerts_raise(*, now: datetime.datetime, hour_based_only: bool = False) -> dict:
    """Raise due-soon, overdue, overdue-in-your-team and escalated notifications as of `now`.

    Idempotent (a notification's key is unique per recipient) and all-or-nothing (one transaction).
    The query count does not grow with the number of obligations: staff, teams, the two candidate
    queries, the inserts in batches of BATCH_SIZE, and one count of what was new. `hour_based_only`
    judges only hour-based obligations (the hourly sweep). Returns how many were raised, by kind. Raises
    run one at a time: a second waits for the first to commit, then finds its notifications there.
    """
    _one_raise_at_a_time()
    staff = selectors.staff_load()
    teams = dict(Team.objects.values_list("pk", "name"))
    alerts = selectors.obligations_to_alert(now=now, hour_based_only=hour_based_only, staff=staff)
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    children = [a for a in alerts if a.is_child]
    workers = [a for a in alerts if not a.is_child]
    _insert(notifications_build(alerts=children, staff=staff, teams=teams))
    _insert(notifications_build(alerts=workers, staff=staff, teams=teams))
    # Steps waiting on someone (no timescale of their own): raised as they begin; this catches any missed.
    if waiting := waiting_notifications_build(registry.waiting_for()):
        _insert(waiting)
    by_kind = dict(
        Notification.objects.filter(pk__gt=before)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "obligations": len(alerts),
        "raised": sum(by_kind.values()),
        **{kind: by_kind.get(kind, 0) for kind in Kind.values},
    }


def waiting_key(item: WaitingItem) -> str:
    """The notification key of a waiting step: one notification per recipient while it waits."""
    return f"{Notification.Kind.WAITING}:{item.key}"[:200]


def waiting_notifications_build(items: list[WaitingItem]) -> list[Notification]:
    """Unsaved "Waiting for you" notifications: each active recipient once per waiting step."""
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    out = []
    for item in items:
        who = f" for {item.child_name} ({item.case_number})" if item.child_name else ""
        since = dateformat.format(item.since, "j F Y") if item.since else ""
        for recipient in item.recipients:
            if recipient not in active:
                continue
            out.append(
                Notification(
                    recipient_id=recipient,
                    kind=Notification.Kind.WAITING,
                    child_id=item.child_id,
                    code=item.code[:60],
                    title=item.title[:200],
                    basis=item.basis[:200],
                    message=(f"{item.title}{who}: waiting for you since {since}." if since else item.title)[
                        :400
                    ],
                    link=item.link[:300],
                    key=waiting_key(item),
                )
            )
    return out


@transaction.atomic
def waiting_notifications_raise() -> int:
    """Raise a "Waiting for you" notification for every step now waiting on someone (core.registry
    waiting work), once per recipient and step (the unique key); returns how many were new.

    Called as a step begins (the `work_waiting` signal, on commit: "at once") and by every sweep, which
    raises any a failed signal missed. A fixed number of queries: the providers' and one insert batch."""
    notifications = waiting_notifications_build(registry.waiting_for())
    if not notifications:
        return 0
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    _insert(notifications)
    return Notification.objects.filter(pk__gt=before, kind=Notification.Kind.WAITING).count()


def notification_open(*, notification: Notification, now: datetime.datetime) -> Notification:
    """Mark a notification read (the first time it is opened)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User, now: datetime.datetime) -> int:
    """Mark every unread notification the user can see read (as the list and header count them)."""
    return (
        Notification.objects.filter(pk__in=selectors.notifications_for_user(user=user).values("pk"))
        .filter(read_at__isnull=True)
        .update(read_at=now)
    )


def email_preference_set(*, user: User, preference: str) -> User:
    """Choose the daily digest or email only about overdue work (overdue alerts cannot be switched off)."""
    if preference not in EmailPreference.values:
        raise ValidationError({"email_preference": "Choose how you want to hear about your work by email"})
    user.email_preference = preference
    user.save(update_fields=["email_preference"])
    return user


# -- the daily digest --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    """A link in an email: the site's address (SITE_URL) and the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def digest_email(*, digest: selectors.Digest) -> EmailMultiAlternatives | None:
    """The digest as an email (plain text and HTML), or None when there is nothing to send.

    OVERDUE_ONLY users get an email only when something is overdue, and it carries only the overdue
    sections. Children are named by case number and initials only: email travels further than the
    service's pages.
    """
    user = digest.user
    overdue_only = user.email_preference == EmailPreference.OVERDUE_ONLY
    if digest.is_empty or (overdue_only and not digest.has_overdue):
        return None
    sections = []

    def section(title: str, items: list, *, overdue: bool = False) -> None:
        """Add a digest section when it has items."""
        if items:
            sections.append(
                {
                    "title": title,
                    "items": [
                        {**item.__dict__, "url": _absolute(item.link)} for item in items[:DIGEST_ITEMS]
                    ],
                    "more": max(0, len(items) - DIGEST_ITEMS),
                    "overdue": overdue,
                }
            )

    section("Overdue", digest.overdue, overdue=True)
    if not overdue_only:
        section("Due today", digest.due_today)
        section("Due soon", digest.due_soon)
    section("Overdue in your team", digest.team_overdue, overdue=True)
    context = {
        "user": user,
        "digest": digest,
        "sections": sections,
        "overdue_only": overdue_only,
        "escalate_after": settings.ALERT_ESCALATE_AFTER_WORKING_DAYS,
        "my_work_url": _absolute(reverse("my_work")),
        "notifications_url": _absolute(reverse("notifications")),
        "settings_url": _absolute(reverse("notification_settings")),
        "service_name": settings.SERVICE_NAME,
    }
    counts = digest.counts()
    parts = [f"{counts['overdue']} overdue"] if counts["overdue"] else []
    if not overdue_only:
        parts += [f"{counts['due_today']} due today"] if counts["due_today"] else []
        parts += [f"{counts['due_soon']} due soon"] if counts["due_soon"] else []
    if counts["team_overdue"]:
        parts.append(f"{counts['team_overdue']} overdue in your team")
    if counts["escalated"]:
        parts.append(f"{counts['escalated']} escalated")
    subject = f"Your work for {dateformat.format(digest.today, 'l j F')}: {', '.join(parts)}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("alerts/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message


def digest_send(*, user: User, today: datetime.date, staff: Staff | None = None) -> DigestSent | None:
    """Send one user's digest for a day, at most once (None when it was already sent).

    The DigestSent record and the email's outbox row are one transaction (ADR 0010): the email goes once
    it commits, and a mail server's failure is retried by the outbox, never sent twice (its key is the
    user and the day).
    """
    digest = selectors.digest_for_user(user=user, today=today, staff=staff)
    message = digest_email(digest=digest)
    try:
        with transaction.atomic():
            record = DigestSent.objects.create(
                user=user, date=today, emailed=message is not None, counts=digest.counts()
            )
            if message is not None:
                email_enqueue(
                    message,
                    description=f"Daily digest for {user.get_full_name() or user.username}, {today:%-d %B %Y}",
                    source=f"digest:{user.pk}",
                    key=f"digest:{user.pk}:{today.isoformat()}",
                    user=user,
                )
    except IntegrityError:
        return None  # already sent today
    return record


def digests_send(*, today: datetime.date) -> dict:
    """Send the day's digest to every active member of staff with an email address (not administrators).

    Idempotent: users whose digest for the day is recorded are skipped. Returns how many were emailed,
    how many had nothing to send and how many were already done.
    """
    staff = selectors.staff_load()
    done = set(DigestSent.objects.filter(date=today).values_list("user_id", flat=True))
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(role=Role.ADMINISTRATOR)
        .exclude(pk__in=done)
        .order_by("pk")
    )
    stats = {"emailed": 0, "nothing": 0, "already": len(done), "failed": 0}
    for user in users:
        try:
            record = digest_send(user=user, today=today, staff=staff)
        except Exception:
            # One bad mailbox must not stop everyone else's digest: log it, go on, and fail the run at
            # the end so the task is retried (the digests already sent are recorded and not sent again).
            logger.exception("Digest for user %s failed", user.pk)
            stats["failed"] += 1
            continue
        if record is None:
            stats["already"] += 1
        elif record.emailed:
            stats["emailed"] += 1
        else:
            stats["nothing"] += 1
    if stats["failed"]:
        raise DigestsIncomplete(f"{stats['failed']} digest(s) failed: {stats}")
    return stats
