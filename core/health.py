"""Liveness and readiness for the deployment (issue 16), and the service's own 500 page.

- `/healthz`: the process answers (no database, no broker): restart it if this fails.
- `/readyz`: the database answers a query and, when a broker is configured, Redis answers a ping:
  send traffic only when this is 200; 503 (with what failed, as JSON) otherwise.
Neither needs a signed-in user; neither shows anything about children.
"""

import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request):
    """The process is alive."""
    return HttpResponse("ok", content_type="text/plain")


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure means not ready; the reason is shown, never a traceback
        return f"unavailable: {type(exc).__name__}"


def _broker() -> str:
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return "not configured (tasks run in-process)"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception as exc:
        return f"unavailable: {type(exc).__name__}"


@login_not_required
@never_cache
def readyz(request):
    """200 when the database (and the broker, if any) answer; 503 with the reasons otherwise."""
    checks = {"database": _database(), "broker": _broker()}
    ready = all(value == "ok" or value.startswith("not configured") for value in checks.values())
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)


# The database could not be reached or stopped answering (an outage, a connect or statement timeout):
# the service is unavailable for now, not broken, so the answer is 503 and the page says so.
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """'Sorry, there is a problem with the service' (500), or 'Sorry, the service is unavailable' (503)
    when the database is out, in the service's layout. Rendered without the request's context, whose
    processors may need the database that has just failed. Django calls this while handling the
    exception, so `sys.exc_info()` names it."""
    # The request itself is safe to pass: base.html reads only its CSP nonce from it (no database).
    context = {"SERVICE_NAME": settings.SERVICE_NAME, "request": request}
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))
