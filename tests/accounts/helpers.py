"""Two-factor test helpers: an enrolled authenticator app whose codes pyotp computes, as a phone would."""

import base64
import time

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import backup_codes_replace

PASSWORD = "correct-horse-battery"


def totp_for(device: TOTPDevice) -> pyotp.TOTP:
    """The authenticator app's view of a device: its key in base32 (what the QR code carries)."""
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def enrol(user) -> list[str]:
    """Give the user a confirmed authenticator app and backup codes, as set-up would; the codes."""
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return backup_codes_replace(user)


def fresh_code(user) -> str:
    """A code the user's app shows that the service has not yet accepted (a code works once: django-otp
    refuses a time step at or before the last one used, so a second sign-in in the same 30 seconds
    uses the next step's code, which the one-step tolerance accepts)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    step = max(int(time.time()) // device.step, (device.last_t if device.last_t is not None else -1) + 1)
    return totp_for(device).at(step * device.step)


def wrong_code(user, *, confirmed: bool = True) -> str:
    """Six digits that are none of the codes the service would accept now."""
    device = TOTPDevice.objects.get(user=user, confirmed=confirmed)
    totp = totp_for(device)
    now = int(time.time())
    accepted = {totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "123456", "654321", "999999") if c not in accepted)
