"""Response headers every page carries beyond Django's and django-csp's (issue 18, ADR 0012).

- `Permissions-Policy`: the browser features the service never uses (camera, microphone, geolocation...)
  are switched off for it and anything it might embed (settings.PERMISSIONS_POLICY).
- `Cache-Control: no-store` on every response to a signed-in user: every page and download of a
  signed-in user may show a child, and a shared office computer's back button or disk cache must not
  show it again after sign-out. Static files never reach this middleware (WhiteNoise answers them
  first, above it), so they stay cacheable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .downloads import no_store


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`; other origins quoted."""
    parts = []
    for feature, origins in policy.items():
        allowed = " ".join(origin if origin in ("self", "*") else '"' + origin + '"' for origin in origins)
        parts.append(f"{feature}=({allowed})")
    return ", ".join(parts)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on every response to a signed-in user.

    Placed after AuthenticationMiddleware (it reads `request.user`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            no_store(response)  # type: ignore[arg-type]
        return response


class StripNulMiddleware:
    """A NUL in a query string is dropped before any view reads it (issue 18's filter fuzz test).

    PostgreSQL refuses a NUL in any text it is given, so a filter that passed one on (`?q=a%00b`) was a
    500 there and nothing on SQLite. No real value holds one; forms already refuse it in what they save.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = request.GET.copy()
            for key in list(cleaned.keys()):
                values = [value.replace("\x00", "") for value in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(key.replace("\x00", ""), values)
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]  # a QueryDict made read-only again above
        return self.get_response(request)
