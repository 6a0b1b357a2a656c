"""Liveness and readiness for the deployment (issue 16), and the service's own 500 page.

- `/healthz`: the process answers (no database, no broker): restart it if this fails.
- `/readyz`: the database answers a query and, when a broker is configured, Redis answers a ping:
  send traffic only when this is 200; 503 (with what failed, as JSON) otherwise.
Neither needs a signed-in user; neither shows anything about children.
"""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
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


def server_error(request):
    """'Sorry, there is a problem with the service' in the service's layout, rendered without the
    request's context (whose processors may need the database that has just failed)."""
    html = loader.render_to_string("500.html", {"SERVICE_NAME": settings.SERVICE_NAME})
    return HttpResponseServerError(html)
