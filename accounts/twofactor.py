"""Two-factor sign-in (ADR 0011): an authenticator app (TOTP) and single-use backup codes, django-otp.

A member of staff enrols at their first sign-in: an unconfirmed TOTP device is made, its key shown as a
QR code (inline SVG, drawn here: nothing leaves the service) and as text, and a code from the app
confirms it. Ten backup codes (a django-otp static device) are made at the same time and shown once.
Every later sign-in asks for a code after the password; a code verifies the session (`otp_login`).
Only a service manager or an administrator resets another person's devices, audited.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import cast

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry

APP_DEVICE = "Authenticator app"
BACKUP_DEVICE = "Backup codes"
BACKUP_CODE_COUNT = 10
_TOTP_CODE = re.compile(r"^[0-9]{6}$")
_BACKUP_CODE = re.compile(r"^[a-z2-7]{8}$")


def second_factor_pending(request: HttpRequest) -> bool:
    """A signed-in user who has not yet given a code this session (when two-factor sign-in is on).

    A session signed in by a backend in TWO_FACTOR_TRUSTED_BACKENDS (a council's identity provider that
    did its own multi-factor check, ADR 0011) needs no code here.
    """
    user = getattr(request, "user", None)
    if not settings.TWO_FACTOR_REQUIRED or user is None or not user.is_authenticated:
        return False
    if request.session.get(BACKEND_SESSION_KEY) in settings.TWO_FACTOR_TRUSTED_BACKENDS:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def app_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have enrolled."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    """How many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same one each time the page is shown, so the QR code
    the user already scanned stays right."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the QR code and the same key as text for typing in."""

    qr_svg: SafeString
    secret: str
    secret_grouped: str


def enrolment_for(device: TOTPDevice) -> Enrolment:
    """The QR code (inline SVG, with a text alternative) and the key in base32, grouped in fours."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code"
    )
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" focusable="false" ', 1
    )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return Enrolment(qr_svg=mark_safe(svg), secret=secret, secret_grouped=grouped)  # noqa: S308 (segno's SVG)


def _normalise(code: str) -> str:
    """A code as typed: spaces and hyphens dropped, lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


@dataclass(frozen=True)
class Verification:
    """The outcome of a code: right (by a backup code or not; at set-up, with the new backup codes to
    show once) or not, and whether wrong codes have slowed tries down."""

    ok: bool
    backup_code_used: bool = False
    throttled: bool = False
    backup_codes: list[str] | None = None


THROTTLED = Verification(ok=False, throttled=True)
WRONG = Verification(ok=False)


@transaction.atomic
def enrol_confirm(request: HttpRequest, *, device: TOTPDevice, code: str) -> Verification:
    """Confirm the device with a code from the app; then make the backup codes, verify this session and
    audit it. A right code's outcome carries the new backup codes (to show once)."""
    user = cast(User, request.user)  # signed in: the middleware sends no one else here
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    code = _normalise(code)
    if not device.verify_is_allowed()[0]:
        return THROTTLED
    if not _TOTP_CODE.match(code) or not device.verify_token(code):
        return WRONG
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = backup_codes_replace(user)
    otp_login(request, device)
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=user,
        description="Set up two-factor sign-in",
        path=request.path,
    )
    return Verification(ok=True, backup_codes=codes)


def backup_codes_replace(user: User) -> list[str]:
    """A fresh set of backup codes: any old ones stop working. Returns them (they are shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def verify(request: HttpRequest, code: str) -> Verification:
    """Check a code from the app (6 digits) or a backup code (8 letters and digits) and, when it is
    right, verify this session. Wrong codes slow further tries down (django-otp's throttling)."""
    user = request.user
    code = _normalise(code)
    if _TOTP_CODE.match(code):
        devices: list = list(TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update())
    elif _BACKUP_CODE.match(code):
        devices = list(StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update())
    else:
        return WRONG
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(code):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                audit_record(
                    user=user,
                    action=AuditEntry.Action.UPDATE,
                    obj=user,
                    description="Signed in with a backup code",
                    path=request.path,
                )
                return Verification(ok=True, backup_code_used=True)
            return Verification(ok=True)
    return Verification(ok=False, throttled=throttled)


@transaction.atomic
def two_factor_reset(*, user: User, by: User, path: str = "") -> None:
    """Remove a member of staff's authenticator app and backup codes, so they enrol again at their next
    sign-in (a lost or replaced phone). Only a service manager or an administrator, never for
    themselves; audited. Sessions the old device verified are no longer verified."""
    if user.pk == by.pk:
        raise ValidationError("You cannot reset your own two-factor sign-in: ask another manager")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        user=by,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        description=f"Reset the two-factor sign-in of {user.username}",
        path=path,
    )


def enrolled_user_ids() -> set[int]:
    """The ids of everyone with a confirmed authenticator app (for the managers' staff list)."""
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
