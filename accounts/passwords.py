"""Staff passwords (ADR 0011): a member of staff changes their own (Django's form, the service's
validators); a service manager or an administrator gives someone a one-time reset link. Audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry
from core.outbox import email_enqueue

EMAIL, SHOW = "email", "show"


def reset_path(user: User) -> str:
    """The path of a link that sets a new password once: Django's token is made from the password hash
    and the last sign-in, so it stops working when either changes, and after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def reset_link_create(*, user: User, by: User, delivery: str, path: str = "") -> str:
    """Make a one-time reset link for another member of staff, audited, and either email it to them
    through the outbox (ADR 0010) or return it to be shown once to the manager. Returns the link's path
    (the page shows it on the address the manager is using; an email uses SITE_URL, never a request's
    Host header)."""
    if user.pk == by.pk:
        raise ValidationError("Change your own password from Your account")
    if not user.is_active:
        raise ValidationError(f"{user} cannot sign in: their account is not active")
    if delivery == EMAIL and not user.email:
        raise ValidationError(f"{user} has no email address: choose to see the link instead")
    link = reset_path(user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    if delivery == EMAIL:
        message = EmailMessage(
            subject=f"{settings.SERVICE_NAME}: set a new password",
            body=(
                f"{by} has made you a link to set a new password for {settings.SERVICE_NAME}.\n\n"
                f"{settings.SITE_URL.rstrip('/')}{link}\n\n"
                f"The link works once, for {hours} hours. If you did not ask for it, tell your manager.\n"
            ),
            to=[user.email],
        )
        email_enqueue(message, description=f"Password reset link for {user.username}", user=by)
        description = f"Emailed a password reset link to {user.username}"
    else:
        description = f"Made a password reset link for {user.username}, shown once"
    audit_record(user=by, action=AuditEntry.Action.CREATE, obj=user, description=description, path=path)
    return link


def password_changed_audit(*, user: User, through_link: bool, path: str = "") -> None:
    """Record that someone set their own password: from Your account, or through a reset link."""
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        description="Set a new password through a reset link" if through_link else "Changed their password",
        path=path,
    )
