"""Staff accounts an import makes have no usable password: each person is emailed a one-time link to set
one (ADR 0011's reset link, through the outbox of ADR 0010), sent only if the import commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.passwords import reset_path
from cases.models import User
from core.outbox import email_enqueue


def staff_invite(*, user: User, by: User | None) -> None:
    """Queue the invitation email in the caller's transaction (rolled back with a refused import)."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    two_factor = (
        "After setting your password you will set up two-factor sign-in with an authenticator app.\n\n"
        if settings.TWO_FACTOR_REQUIRED
        else ""
    )
    message = EmailMessage(
        subject=f"{settings.SERVICE_NAME}: your account is ready",
        body=(
            f"Hello {user.first_name},\n\n"
            f"Your service is moving to {settings.SERVICE_NAME} and an account has been made for you "
            f"(username: {user.username}). Set your password here:\n\n"
            f"{settings.SITE_URL.rstrip('/')}{reset_path(user)}\n\n"
            f"The link works once, for {hours} hours. If it has run out, ask your service manager for a "
            f"new one.\n\n{two_factor}"
        ),
        to=[user.email],
    )
    email_enqueue(message, description=f"Invitation to set a password for {user.username}", user=by)
