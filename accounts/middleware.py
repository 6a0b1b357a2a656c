"""Two-factor enforcement (ADR 0011): after AuthenticationMiddleware and django-otp's OTPMiddleware, a
signed-in user who has not given a code this session is sent to the code page (or, with no
authenticator app yet, to the set-up page) from every URL but those needed to get there."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .twofactor import is_enrolled, second_factor_pending

# URL names a user part-way through signing in may open; plus static files and the health checks.
EXEMPT_URL_NAMES = ("login", "logout", "two_factor_verify", "two_factor_enrol")
EXEMPT_PREFIXES = ("/healthz", "/readyz", "/account/reset/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def exempt(self, path: str) -> bool:
        """Whether a path answers without the second factor: the named pages exactly (resolved once),
        static files, the health checks and the reset links by prefix."""
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in EXEMPT_URL_NAMES)
        return path in self._exempt_paths or path.startswith((settings.STATIC_URL, *EXEMPT_PREFIXES))

    def __call__(self, request):
        if second_factor_pending(request):
            # Pages shown part-way through (the code page) carry no navigation (core.context_processors).
            request.second_factor_pending = True
            if not self.exempt(request.path_info):
                target = "two_factor_verify" if is_enrolled(request.user) else "two_factor_enrol"
                url = reverse(target)
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)
