"""Issue 16: liveness and readiness for the deployment, and a 500 in the service's layout."""

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import include, path

from core import health


def _boom(request):
    raise RuntimeError("a fault inside a view")


def _database_out(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [path("boom/", _boom), path("database-out/", _database_out), path("", include("config.urls"))]
handler500 = "core.health.server_error"


@pytest.mark.django_db
def test_healthz_answers_without_signing_in():
    """Liveness needs neither a user nor the database."""
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readyz_reports_the_database_and_broker(settings):
    """Ready with the database up and no broker configured (tasks run in-process)."""
    settings.REDIS_URL = ""
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["ready"] is True


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_down(settings, private_redis):
    """A real Redis, then killed: readiness says so with a 503 and the reason, never a traceback."""
    settings.REDIS_URL = private_redis.url
    assert Client().get("/readyz").status_code == 200
    private_redis.stop()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unavailable") and response.json()["database"] == "ok"


def test_database_failure_is_reported_not_raised(monkeypatch):
    """A failing database query is 'unavailable', so /readyz answers 503 rather than erroring."""

    class Broken:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    assert health._database() == "unavailable: OSError"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_fault_is_a_styled_500_page(case_manager):
    """An unhandled error answers 'Sorry, there is a problem with the service' in the layout."""
    client = Client(raise_request_exception=False)
    client.force_login(case_manager)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html and "govuk-template" in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_database_outage_is_a_styled_503_page(case_manager):
    """The database out (or timed out): 503 'Sorry, the service is unavailable', with Retry-After, in
    the service's layout, saying that nothing was saved; never the raw error."""
    client = Client(raise_request_exception=False)
    client.force_login(case_manager)
    response = client.get("/database-out/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html and "govuk-template" in html
    assert "it was not saved" in html and "5432" not in html
