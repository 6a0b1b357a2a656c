"""Sending the finalised minutes: to the attendees (001 §6.2) and, for MAPPA level 1, to the MAPPA unit (001 §8).

001 §6.2: the chair "must also send the minutes (by secure email, Cryptshare, or password protected for
those outside of NCC) to all attendees". Colleagues get a link to the record in the product (it never
leaves the system); people outside the organisation get the PDF encrypted with AES-256 under a password
made for this sending. The password is shown once to the sender, who gives it separately (phone or text):
it is never stored and never emailed.
"""

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import EventType, User
from cases.services.core import child_obligations_refresh_on_commit, event_create
from core.models import Document
from core.outbox import email_enqueue

from .. import selectors
from ..documents import meeting_child_ref
from ..models import Invitation, Meeting
from ..pdf import meeting_record_store, minutes_password, pdf_encrypt
from .common import audit


def _locked_finalised(*, meeting: Meeting, user: User) -> Meeting:
    """The meeting, locked for this transaction, once the user may send its finalised minutes."""
    current = Meeting.objects.select_for_update().select_related("child", "chair").get(pk=meeting.pk)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can send the minutes.")
    if current.status != Meeting.Status.FINALISED:
        raise ValidationError("Only finalised minutes can be sent: finalise the record first.")
    return current


def _document(meeting: Meeting) -> Document:
    """The stored record, rendered now if the worker has not done it yet."""
    document = meeting_record_store(meeting_id=meeting.pk)
    if document is None:  # pragma: no cover - the meeting is finalised and locked
        raise ValidationError("The record could not be produced. Try again.")
    return document


def _label(invitation: Invitation) -> str:
    """An invitee as the sender's lists name them."""
    return f"{invitation.name} ({invitation.agency})" if invitation.agency else invitation.name


def minutes_recipients(*, meeting: Meeting) -> dict[str, list[Invitation]]:
    """Who gets the minutes and how (001 §6.2: all attendees).

    Returns {"internal": [...], "external": [...], "no_email": [...]}: colleagues with an email address
    (a link), people outside the organisation with one (a password-protected PDF), and attendees with no
    address (to be given the minutes by hand). Each address is used once.
    """
    groups: dict[str, list[Invitation]] = {"internal": [], "external": [], "no_email": []}
    seen: set[str] = set()
    for invitation in meeting.invitations.all():
        if invitation.attended is not True:
            continue
        email = invitation.email.strip().lower()
        if not email:
            groups["no_email"].append(invitation)
            continue
        if email in seen:
            continue
        seen.add(email)
        groups["external" if invitation.is_external else "internal"].append(invitation)
    return groups


def _subject(meeting: Meeting) -> str:
    """The email subject: the meeting and the child by initials and case number only."""
    held = timezone.localtime(meeting.held_at or meeting.starts_at)
    return f"Minutes: {meeting.title} for {meeting_child_ref(meeting)}, {held:%-d %B %Y}"


def _internal_message(*, meeting: Meeting, invitation: Invitation, link: str) -> EmailMessage:
    """A colleague's email: a link to the record in the product, nothing of the child beyond the reference."""
    return EmailMessage(
        subject=_subject(meeting),
        body=(
            f"Dear {invitation.name},\n\nThe minutes of the {meeting.title} for {meeting_child_ref(meeting)} "
            f"are complete. Sign in to read or download them:\n\n{link}\n\n"
            "Please do not forward the record outside the service.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


def _encrypted_message(
    *, meeting: Meeting, sender: User, name: str, to: str, document: Document, encrypted: bytes
) -> EmailMessage:
    """An email with the password-protected PDF attached; the password is given separately, never here."""
    message = EmailMessage(
        subject=_subject(meeting),
        body=(
            f"Dear {name},\n\nPlease find attached the minutes of the {meeting.title} for "
            f"{meeting_child_ref(meeting)}. The file is password protected. "
            f"{sender.get_full_name() or sender.username} will give you the password separately, by phone "
            "or text message.\n\nThe minutes are OFFICIAL-SENSITIVE: please store them securely and do not "
            "share them further without the Youth Justice Service's agreement.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach(document.filename, encrypted, "application/pdf")
    return message


@transaction.atomic
def meeting_minutes_send(
    *, meeting: Meeting, user: User, base_url: str, today=None, only: Collection[int] | None = None
) -> dict:
    """Send the finalised minutes to every attendee (001 §6.2), or (`only`, the sender's choice on the
    page, where every attendee starts chosen) to the attendees whose invitations are listed; and return
    who got what.

    Colleagues get a link; people outside the organisation get the PDF encrypted under one password made
    for this sending, which is returned (never stored, never emailed) so the sender can give it
    separately. Returns {"internal": [names], "external": [names], "password": str or "",
    "no_email": [names]}. Records the sending as an event and in the audit log.
    """
    today = today or timezone.localdate()
    current = _locked_finalised(meeting=meeting, user=user)
    groups = minutes_recipients(meeting=current)
    if not groups["internal"] and not groups["external"]:
        raise ValidationError(
            "No attendee has an email address recorded: download the record and give it to them by hand."
        )
    if only is not None:
        chosen = set(only)
        for group in ("internal", "external"):
            groups[group] = [i for i in groups[group] if i.pk in chosen]
        if not groups["internal"] and not groups["external"]:
            raise ValidationError("Choose who gets the minutes")
    # Rendered now if the worker has not yet, so the link works as soon as it arrives.
    document = _document(current)
    link = base_url.rstrip("/") + reverse("meeting_pdf", args=[current.child_id, current.pk])
    messages, password = _minutes_messages(
        meeting=current, sender=user, groups=groups, link=link, document=document
    )
    result = {
        "internal": [_label(i) for i in groups["internal"]],
        "external": [_label(i) for i in groups["external"]],
        "password": password,
        "no_email": [_label(i) for i in groups["no_email"]],
    }
    again = current.minutes_sent_on is not None
    current.minutes_sent_on = today
    current.save(update_fields=["minutes_sent_on"])
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=today,
        summary="Minutes sent to attendees" + (" again" if again else ""),
        details=_sending_details(result),
        source=current.source,
    )
    audit(
        user=user,
        meeting=current,
        description=f"Sent the minutes of {current.title} to {len(messages)} attendee(s)",
    )
    _enqueue(meeting=current, user=user, messages=messages, what="Minutes")
    return result


def _enqueue(*, meeting: Meeting, user: User, messages: list[EmailMessage], what: str) -> None:
    """Write the emails to the outbox with the record of sending (ADR 0010): they go once this commits,
    with retries, and the meeting's page shows each one as queued, sent, or failed and retrying."""
    for message in messages:
        email_enqueue(
            message,
            description=f"{what} of {meeting.title} to {', '.join(message.to)}",
            source=f"meeting:{meeting.pk}",
            child=meeting.child,
            user=user,
        )


def _minutes_messages(
    *, meeting: Meeting, sender: User, groups: dict[str, list[Invitation]], link: str, document: Document
) -> tuple[list[EmailMessage], str]:
    """The emails for a sending, and the password (blank when nobody outside the organisation gets
    one): a link for each colleague, the PDF encrypted under one new password for everyone else."""
    messages = [
        _internal_message(meeting=meeting, invitation=invitation, link=link)
        for invitation in groups["internal"]
    ]
    if not groups["external"]:
        return messages, ""
    password = minutes_password()
    encrypted = pdf_encrypt(content=bytes(document.content), password=password)
    messages += [
        _encrypted_message(
            meeting=meeting,
            sender=sender,
            name=invitation.name,
            to=invitation.email,
            document=document,
            encrypted=encrypted,
        )
        for invitation in groups["external"]
    ]
    return messages, password


def _sending_details(result: dict) -> str:
    """The timeline entry's lines: who got a link, who the protected PDF, who is to be given it by hand."""
    details = []
    if result["internal"]:
        details.append("Link to the record sent to: " + ", ".join(result["internal"]) + ".")
    if result["external"]:
        details.append(
            "Password-protected PDF sent to: "
            + ", ".join(result["external"])
            + ". The sender gives the password separately (001 §6.2)."
        )
    if result["no_email"]:
        details.append("No email address (to be given by hand): " + ", ".join(result["no_email"]) + ".")
    return "\n".join(details)


@transaction.atomic
def meeting_mappa_minutes_send(*, meeting: Meeting, user: User, today: datetime.date | None = None) -> str:
    """Email the MAPPA level 1 minutes to the MAPPA unit, password protected, and return the password.

    001 §8: the minutes are "forwarded to the MAPPA unit within 10 working days" by secure email. The
    first sending is the `mappa_minutes_sent` fact; sending again is allowed (a lost email) and keeps the
    first date, so a resend never makes a met timescale look late. The password is not stored or emailed.
    """
    today = today or timezone.localdate()
    current = _locked_finalised(meeting=meeting, user=user)
    if not current.is_mappa:
        raise ValidationError("Only MAPPA level 1 minutes go to the MAPPA unit.")
    document = _document(current)
    password = minutes_password()
    encrypted = pdf_encrypt(content=bytes(document.content), password=password)
    message = _encrypted_message(
        meeting=current,
        sender=user,
        name="MAPPA Co-ordination Unit",
        to=settings.MAPPA_UNIT_EMAIL,
        document=document,
        encrypted=encrypted,
    )
    first_sent = current.mappa_minutes_sent_on
    if first_sent is None:
        current.mappa_minutes_sent_on = today
        current.save(update_fields=["mappa_minutes_sent_on"])
        summary = "MAPPA level 1 minutes sent to the MAPPA unit"
    else:
        summary = f"MAPPA level 1 minutes sent to the MAPPA unit again (first sent {first_sent:%-d %B %Y})"
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=today,
        summary=summary,
        details=(
            f"Password-protected PDF emailed to the MAPPA unit ({settings.MAPPA_UNIT_EMAIL}). "
            "The sender gives the password separately (001 §8)."
        ),
        source=current.source,
    )
    audit(
        user=user,
        meeting=current,
        description=f"Sent the MAPPA level 1 minutes to the MAPPA unit{' again' if first_sent else ''}",
    )
    child_obligations_refresh_on_commit(child=current.child)
    _enqueue(meeting=current, user=user, messages=[message], what="MAPPA level 1 minutes")
    return password
