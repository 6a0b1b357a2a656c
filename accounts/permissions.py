"""Named permissions of staff sign-in (django-rules), registered by accounts/plugin.py."""

import rules

from cases.permissions import is_administrator, is_service_wide, is_signed_in

# Reset another member of staff's two-factor sign-in, or give them a password reset link (ADR 0011).
rules.add_perm("accounts.manage_staff_sign_in", is_signed_in & (is_service_wide | is_administrator))
# Everyone manages their own password and backup codes.
rules.add_perm("accounts.manage_own_account", is_signed_in)
