"""Autosave of drafts (ADR 0018): the server half of `assets/js/autosave.mjs`.

A form marked `data-autosave` is posted in the background to its own view, with the header
`X-Autosave: 1` and the field `autosave=1`. The view builds its form in draft mode (nothing required;
types and lengths still checked), and answers through `autosave_answer`:

- 200 `{"saved": true, "version": n, "at": "14:02"}`: saved (or nothing had changed);
- 422 `{"saved": false, "errors": [...]}`: a field's type or length is wrong, nothing saved;
- 409 `{"saved": false, "stale": true, "message": ...}`: someone saved the record after the page was
  loaded (ADR 0009), nothing saved; the page keeps the user's words and Save shows what differs.

A signed-out session never reaches the view (the sign-in redirect, or a 403 from the CSRF check): the
script says so and keeps the words in the browser's sessionStorage until the page is loaded again.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from .downloads import no_store
from .services import StaleVersion

HEADER, FIELD = "X-Autosave", "autosave"


def is_autosave(request: HttpRequest) -> bool:
    """Whether this POST is the page's background save of a draft (the header, or the field)."""
    return request.method == "POST" and (request.headers.get(HEADER) == "1" or request.POST.get(FIELD) == "1")


def autosave_answer(form, save: Callable[[], object]) -> JsonResponse:
    """Check the draft form (types and lengths only), call `save()` (which returns the saved record, with
    its new `version`) and answer in JSON. The service's own refusals come back as errors."""
    if not form.is_valid():
        return autosave_json({"saved": False, "errors": [message for _, message in form.error_links()]}, 422)
    try:
        record = save()
    except StaleVersion as exc:
        return autosave_json({"saved": False, "stale": True, "message": exc.messages[0]}, 409)
    except ValidationError as exc:
        return autosave_json({"saved": False, "errors": exc.messages}, 422)
    return autosave_json(
        {
            "saved": True,
            "version": getattr(record, "version", None),
            "at": f"{timezone.localtime():%H:%M}",
        },
        200,
    )


def autosave_json(body: dict, status: int) -> JsonResponse:
    """A JSON answer the browser does not keep (it holds a child's record)."""
    response = JsonResponse(body, status=status)
    no_store(response)
    return response
