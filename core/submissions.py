"""One submission per form (issue 16, ADR 0009): every POST form carries a one-time token
(`{% submission_token %}`, rendered beside the CSRF token), and `SubmissionMiddleware` lets an identical
resubmission of a saved form (a double click, a browser retry) redirect to where the first one went
instead of saving twice.

- The token is a safeguard, not a requirement: a POST without one (a test, a script) is handled as
  before.
- A submission is "saved" when its view answers with a redirect (the product's views redirect after a
  successful write and re-render the form otherwise). Only then is the token consumed: a form that
  fails validation is re-rendered with the same token and may be sent again.
- The claim (a `Submission` row, unique key) is written at the start of the same transaction as the
  view's write, so a write that rolls back frees the token, and a concurrent duplicate waits on the
  unique index until the first commits, then redirects to its result.
- The key digests the token with the user, the path and the data sent: only an identical resubmission
  is held back. A changed form sent again from a page kept in the browser (the back button) is a new
  submission, never silently dropped.
"""

import hashlib
import re
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .models import Submission

FIELD = "submission_token"
ALREADY_SAVED = "This was already saved: it was sent twice, and saved once"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# Not part of what the form says: the CSRF token (masked afresh on every page) and the token itself.
_IGNORED = {"csrfmiddlewaretoken", FIELD}
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def token_for(request: HttpRequest | None) -> str:
    """The token to render in a form: the one just posted when the form is shown again (it failed
    validation, so the token was not used), otherwise a new one."""
    if request is not None and request.method == "POST":
        posted = posted_token(request)
        if posted:
            return posted
    return uuid.uuid4().hex


def posted_token(request: HttpRequest) -> str | None:
    """The well-formed token a form POST carries; None for anything else."""
    if request.method != "POST" or request.content_type not in _FORM_TYPES:
        return None
    token = request.POST.get(FIELD, "")
    return token if _TOKEN.match(token) else None


def submission_key(request: HttpRequest, token: str) -> str:
    """The token, the user, the path and what was sent, digested: equal only for an identical resend."""
    digest = hashlib.sha256()
    for part in (token, str(request.user.pk), request.path):
        digest.update(part.encode())
        digest.update(b"\0")
    for name in sorted(request.POST):
        if name in _IGNORED:
            continue
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}".encode())
            digest.update(b"\0")
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}".encode())
            digest.update(b"\0")
    return digest.hexdigest()


def _is_redirect(response: HttpResponse) -> bool:
    """A redirect: the answer of a view whose write succeeded (post/redirect/get)."""
    return 300 <= response.status_code < 400 and response.has_header("Location")


class SubmissionMiddleware:
    """Hold back an identical resubmission of a saved form (see the module's docstring).

    Placed after the authentication and messages middleware. It opens the transaction the view's own
    (ATOMIC_REQUESTS) transaction nests in, so the claim and the write commit or roll back together.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = posted_token(request)
        if token is None or not request.user.is_authenticated:
            return self.get_response(request)
        key = submission_key(request, token)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # On PostgreSQL a concurrent duplicate waits here until the first commits or rolls
                    # back; on SQLite (IMMEDIATE transactions) it waits to begin.
                    claim = Submission.objects.create(key=key, user=request.user, path=request.path[:300])
            except IntegrityError:
                return self._already_saved(request, key)
            response = self.get_response(request)
            if _is_redirect(response):
                claim.response_location = response["Location"][:2000]
                claim.save(update_fields=["response_location"])
            else:
                # Not saved (the form failed validation, or was refused): the token may be used again.
                claim.delete()
        return response

    @staticmethod
    def _already_saved(request: HttpRequest, key: str) -> HttpResponse:
        """Where the first submission went, and a message saying it was already saved."""
        first = Submission.objects.filter(key=key).only("response_location").first()
        messages.info(request, ALREADY_SAVED)
        return HttpResponseRedirect(
            first.response_location if first and first.response_location else request.path
        )
