"""Security headers (issue 18, ADR 0012): a strict Content-Security-Policy with a nonce for base.html's one
inline script, Permissions-Policy, Referrer-Policy, and Cache-Control: no-store on every signed-in page and
download, on a sample of pages: every role's home page, a child's page, downloads, sign-in, 404 and 500.
Static files stay cacheable. The browser tests fail on any violation the browser reports."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from cases.models import Role
from core.headers import StripNulMiddleware
from demo.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
NONCE_IN_HEADER = re.compile(r"script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'")
NONCE_IN_PAGE = re.compile(r'<script nonce="([A-Za-z0-9+/=]+)">')


def _boom(request):
    raise RuntimeError("a fault inside a view")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]
handler500 = "core.health.server_error"


def _directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def assert_strict_policy(response, *, html=True):
    """The policy (and, for a page, its one inline script carrying the request's nonce)."""
    policy = _directives(response)
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
    if html:
        page_nonces = NONCE_IN_PAGE.findall(response.content.decode())
        header_nonce = NONCE_IN_HEADER.search(response.headers["Content-Security-Policy"])
        assert header_nonce and page_nonces == [header_nonce.group(1)], "the inline script's nonce"
        assert len(header_nonce.group(1)) >= 22  # 128 random bits


def assert_other_headers(response):
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def assert_no_store(response):
    cache = response.headers.get("Cache-Control", "")
    assert "no-store" in cache and "private" in cache, cache


@pytest.mark.django_db
def test_sign_in_page(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_other_headers(response)
    assert_no_store(response)  # the sign-in view is never cached either


@pytest.mark.django_db
def test_two_requests_two_nonces(client):
    first, second = client.get("/sign-in/"), client.get("/sign-in/")
    assert NONCE_IN_HEADER.search(first.headers["Content-Security-Policy"]).group(
        1
    ) != NONCE_IN_HEADER.search(second.headers["Content-Security-Policy"]).group(1)


HOME_ROLES = [
    Role.CASE_MANAGER,
    Role.YJS_OFFICER,
    Role.SENIOR_CASE_MANAGER,
    Role.INTERVENTION_WORKER,
    Role.STUDENT,
    Role.TEAM_MANAGER,
    Role.ADVANCED_PRACTITIONER,
    Role.SERVICE_MANAGER,
    Role.ADMINISTRATOR,
    Role.BUSINESS_SUPPORT,
    Role.DEVELOPMENT_MANAGER,
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOME_ROLES)
def test_every_roles_home_page(role, north, team_manager):
    user = UserFactory(
        role=role,
        team=None if role in (Role.ADMINISTRATOR, Role.SERVICE_MANAGER) else north,
        is_staff=role == Role.ADMINISTRATOR,
        line_manager=team_manager if role != Role.TEAM_MANAGER else None,
    )
    client = Client()
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.status_code == 200, response.redirect_chain
    assert_strict_policy(response, html="/admin/" not in response.request["PATH_INFO"])
    assert_other_headers(response)
    assert_no_store(response)


@pytest.mark.django_db
def test_a_childs_pages(case_manager, child):
    client = Client()
    client.force_login(case_manager)
    for url in (f"/children/{child.pk}/", f"/children/{child.pk}/events/new/", "/caseload/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        assert_other_headers(response)
        assert_no_store(response)


@pytest.mark.django_db
def test_downloads_are_never_stored(service_manager, case_manager, child):
    client = Client()
    client.force_login(service_manager)
    for url in (
        "/dashboards/compliance/figures.csv",
        "/dashboards/compliance/figures.xlsx",
        "/mappa/register.csv",
        "/mappa/register.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "attachment" in response.headers["Content-Disposition"]
        assert_no_store(response)
        assert_other_headers(response)


@pytest.mark.django_db
def test_page_not_found(case_manager):
    client = Client()
    client.force_login(case_manager)
    response = client.get("/children/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_strict_policy(response)
    assert_other_headers(response)
    assert_no_store(response)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_carries_the_nonce(case_manager):
    """The 500 page is rendered without the request's context processors, but its inline script still
    carries the request's nonce (core.health.server_error passes the request)."""
    client = Client(raise_request_exception=False)
    client.force_login(case_manager)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_strict_policy(response)
    assert_other_headers(response)
    assert_no_store(response)


@pytest.mark.django_db
def test_static_files_stay_cacheable(case_manager):
    """A signed-in user's stylesheet is served without no-store (`make test` builds the assets first)."""
    client = Client()
    client.force_login(case_manager)
    response = client.get("/static/css/application.css")
    assert response.status_code == 200, "front-end assets not built: run make assets"
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_out_pages_need_no_store_but_get_the_policy(client):
    response = client.get("/healthz")
    assert "Permissions-Policy" in response.headers and "Content-Security-Policy" in response.headers


def test_web_templates_have_no_inline_script_or_style():
    """No inline style (style-src 'self') and no inline script without the nonce in any page template.
    PDFs (WeasyPrint reads their <style>) and emails are not web pages and are left out."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        relative = template.relative_to(ROOT / "templates").as_posix()
        if "/pdf/" in relative or "/email/" in relative:
            continue
        text = template.read_text()
        if re.search(r"\sstyle\s*=", text) or re.search(r"<style\b", text):
            offenders.append(f"{relative}: inline style")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                offenders.append(f"{relative}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{relative}: inline event handler")
    assert not offenders, offenders


def test_a_nul_in_a_query_string_is_dropped_before_the_view():
    """`?q=a%00b` reaches the view as `ab` (PostgreSQL refuses a NUL in any text; issue 18's fuzz)."""
    seen = {}

    def view(request):
        seen.update({key: request.GET.getlist(key) for key in request.GET})
        return HttpResponse("ok")

    StripNulMiddleware(view)(RequestFactory().get("/caseload/?q=a%00b&q=c&page=1&x%00y=z"))
    assert seen == {"q": ["ab", "c"], "page": ["1"], "xy": ["z"]}
