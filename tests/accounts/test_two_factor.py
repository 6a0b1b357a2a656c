"""Two-factor sign-in (ADR 0011): enrolment at first sign-in, a code after every password, backup codes,
the enforcing middleware, and resets by a service manager or an administrator only."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry

from .helpers import PASSWORD, enrol, fresh_code, totp_for, wrong_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username="cm"):
    """The password step, through the sign-in form."""
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


class TestOffByDefault:
    def test_the_test_and_local_settings_ask_for_no_code(self, client, case_manager, settings):
        """TWO_FACTOR_REQUIRED defaults to off: a password alone signs in (the demo, the other tests)."""
        assert settings.TWO_FACTOR_REQUIRED is False
        sign_in(client)
        assert client.get(reverse("caseload")).status_code == 200

    def test_production_settings_require_it(self):
        """Production settings set it on, whatever the environment says."""
        text = (ROOT / "config" / "settings" / "production.py").read_text()
        assert "\nTWO_FACTOR_REQUIRED = True\n" in text


class TestEnforcement:
    def test_without_a_device_every_page_goes_to_set_up(self, client, case_manager, two_factor):
        """A first sign-in is sent to set up an authenticator app, with where it was going kept."""
        sign_in(client)
        for name in ("home", "caseload", "audit_log", "account", "staff_sign_in_list"):
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert response.url.startswith(reverse("two_factor_enrol")), name
        response = client.get(reverse("caseload") + "?q=x")
        assert response.url == reverse("two_factor_enrol") + "?next=%2Fcaseload%2F%3Fq%3Dx"

    def test_with_a_device_every_page_asks_for_the_code(self, client, case_manager, child, two_factor):
        """Signed in with the password only: no child page, no admin, no account page answers."""
        enrol(case_manager)
        sign_in(client)
        for url in (
            reverse("caseload"),
            reverse("child_detail", args=[child.pk]),
            reverse("two_factor_enrol"),
            reverse("backup_codes"),
            "/admin/",
            "/no-such-page/",
        ):
            response = client.get(url)
            if url == reverse("two_factor_enrol"):
                assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
                continue
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("two_factor_verify")), url
        # Nothing about the child was shown, so nothing about them was audited as seen.
        assert not AuditEntry.objects.filter(child=child).exists()

    def test_a_post_is_refused_too(self, client, case_manager, child, two_factor):
        """A form sent before the code is not handled: it goes to the code page, with no `next`."""
        enrol(case_manager)
        sign_in(client)
        response = client.post(reverse("event_add", args=[child.pk]), {"event_type": "x"})
        assert response.status_code == 302 and response.url == reverse("two_factor_verify")

    def test_exempt_pages_answer(self, client, case_manager, two_factor):
        """Sign-in, sign-out, the code pages, the health checks and static files need no code."""
        enrol(case_manager)
        sign_in(client)
        assert client.get(reverse("two_factor_verify")).status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/static/css/application.css").status_code in (200, 404)  # served, not redirected
        assert client.get(reverse("login")).status_code == 302  # already signed in: on to the code page
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("caseload")).url.startswith(reverse("login"))

    def test_the_code_page_shows_no_navigation(self, client, case_manager, two_factor):
        """Part-way through signing in, the header offers only Sign out."""
        enrol(case_manager)
        sign_in(client)
        content = client.get(reverse("two_factor_verify")).content.decode()
        assert "Sign out" in content
        assert 'href="/caseload/"' not in content and "Your account" not in content

    def test_a_trusted_identity_provider_needs_no_code(self, client, case_manager, two_factor):
        """The OpenID Connect seam (ADR 0011): a session signed in by a backend listed in
        TWO_FACTOR_TRUSTED_BACKENDS (one that checked a second factor itself) is not asked again."""
        backend = "django.contrib.auth.backends.ModelBackend"
        two_factor.TWO_FACTOR_TRUSTED_BACKENDS = [backend]
        client.force_login(case_manager, backend=backend)
        assert client.session[BACKEND_SESSION_KEY] == backend
        assert client.get(reverse("caseload")).status_code == 200
        two_factor.TWO_FACTOR_TRUSTED_BACKENDS = []
        assert client.get(reverse("caseload")).status_code == 302


class TestEnrolment:
    def test_set_up_at_first_sign_in(self, client, case_manager, two_factor):
        """The page shows a QR code (inline SVG carrying the otpauth key) and the key as text; a code
        from the app confirms it, ten backup codes are shown once, and it is audited."""
        sign_in(client)
        response = client.get(reverse("two_factor_enrol") + "?next=/caseload/")
        content = response.content.decode()
        assert '<svg role="img" aria-label="QR code for your authenticator app"' in content
        assert "<img" not in content.split('id="main-content"')[1]  # nothing fetched from elsewhere
        device = TOTPDevice.objects.get(user=case_manager, confirmed=False)
        secret = totp_for(device).secret
        shown = re.search(r'id="secret-key">([A-Z2-7 ]+)<', content).group(1)
        assert shown.replace(" ", "") == secret
        # Shown again, the same key: a QR code already scanned stays right.
        client.get(reverse("two_factor_enrol"))
        assert TOTPDevice.objects.filter(user=case_manager).count() == 1

        response = client.post(
            reverse("two_factor_enrol"),
            {"code": wrong_code(case_manager, confirmed=False), "next": "/caseload/"},
        )
        assert "The code is not right" in response.content.decode()
        assert not TOTPDevice.objects.get(pk=device.pk).confirmed

        # A wrong code slows the next try down (django-otp's throttling): the right one, two seconds on.
        with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
            response = client.post(
                reverse("two_factor_enrol"), {"code": totp_for(device).now(), "next": "/caseload/"}
            )
        assert response.status_code == 302 and response.url.startswith(reverse("backup_codes"))
        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        codes_page = client.get(response.url).content.decode()
        codes = StaticToken.objects.filter(device__user=case_manager).values_list("token", flat=True)
        assert len(codes) == 10
        for code in codes:
            assert f"{code[:4]} {code[4:]}" in codes_page
        assert 'href="/caseload/"' in codes_page
        # Shown once.
        assert client.get(reverse("backup_codes")).url == reverse("account")
        # Verified: the pages answer.
        assert client.get(reverse("caseload")).status_code == 200
        entry = AuditEntry.objects.get(description="Set up two-factor sign-in")
        assert entry.user == case_manager and entry.object_type == "user"

    def test_a_bad_code_is_an_error_not_a_crash(self, client, case_manager, two_factor):
        """Empty, letters, a very long value: the form says what is wrong."""
        sign_in(client)
        client.get(reverse("two_factor_enrol"))
        for value, message in (
            ("", "Enter the code"),
            ("abcdef", "The code is not right"),
            ("1" * 5000, "Enter the code"),
        ):
            response = client.post(reverse("two_factor_enrol"), {"code": value})
            assert response.status_code == 200 and message in response.content.decode()


class TestVerification:
    def test_the_right_code_signs_in_and_goes_on(self, client, case_manager, two_factor):
        enrol(case_manager)
        sign_in(client)
        response = client.post(
            reverse("two_factor_verify"), {"code": fresh_code(case_manager), "next": "/caseload/"}
        )
        assert response.status_code == 302 and response.url == "/caseload/"
        assert client.get(reverse("caseload")).status_code == 200

    def test_no_code_or_a_wrong_code_is_refused(self, client, case_manager, two_factor):
        enrol(case_manager)
        sign_in(client)
        response = client.post(reverse("two_factor_verify"), {"code": ""})
        assert "Enter the code" in response.content.decode()
        response = client.post(reverse("two_factor_verify"), {"code": wrong_code(case_manager)})
        assert "The code is not right" in response.content.decode()
        assert client.get(reverse("caseload")).status_code == 302

    def test_wrong_codes_slow_further_tries(self, client, case_manager, two_factor):
        """django-otp's throttling: straight after a wrong code, even the right one waits."""
        enrol(case_manager)
        sign_in(client)
        client.post(reverse("two_factor_verify"), {"code": wrong_code(case_manager)})
        response = client.post(reverse("two_factor_verify"), {"code": fresh_code(case_manager)})
        assert "too many wrong codes" in response.content.decode()
        assert client.get(reverse("caseload")).status_code == 302

    def test_a_code_works_once(self, client, case_manager, two_factor):
        """The code used for one sign-in does not sign in again (a code seen over a shoulder)."""
        enrol(case_manager)
        code = fresh_code(case_manager)
        sign_in(client)
        client.post(reverse("two_factor_verify"), {"code": code})
        client.post(reverse("logout"))
        sign_in(client)
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert "The code is not right" in response.content.decode()

    def test_unsafe_next_goes_home(self, client, case_manager, two_factor):
        enrol(case_manager)
        sign_in(client)
        response = client.post(
            reverse("two_factor_verify"), {"code": fresh_code(case_manager), "next": "https://evil.example/"}
        )
        assert response.url == reverse("home")

    def test_a_backup_code_works_once(self, client, case_manager, two_factor):
        """A backup code (spaces allowed) signs in once, says how many are left, and is audited."""
        codes = enrol(case_manager)
        sign_in(client)
        typed = f"{codes[0][:4]} {codes[0][4:].upper()}"
        response = client.post(reverse("two_factor_verify"), {"code": typed}, follow=True)
        assert "You have 9 left" in response.content.decode()
        assert (
            AuditEntry.objects.filter(user=case_manager, description="Signed in with a backup code").count()
            == 1
        )
        client.post(reverse("logout"))
        sign_in(client)
        response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
        assert "The code is not right" in response.content.decode()
        assert client.get(reverse("caseload")).status_code == 302

    def test_new_backup_codes_replace_the_old(self, client, case_manager, two_factor):
        codes = enrol(case_manager)
        sign_in(client)
        client.post(reverse("two_factor_verify"), {"code": fresh_code(case_manager)})
        response = client.post(reverse("backup_codes"))
        page = client.get(response.url).content.decode()
        new = list(StaticToken.objects.filter(device__user=case_manager).values_list("token", flat=True))
        assert len(new) == 10 and not set(new) & set(codes)
        assert f"{new[0][:4]} {new[0][4:]}" in page


class TestReset:
    def _reset(self, client, manager, member):
        client.force_login(manager)
        return client.post(reverse("staff_two_factor_reset", args=[member.pk]))

    def test_a_service_manager_resets_and_it_is_audited(self, client, case_manager, service_manager):
        enrol(case_manager)
        response = self._reset(client, service_manager, case_manager)
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=case_manager).exists()
        assert not StaticToken.objects.filter(device__user=case_manager).exists()
        entry = AuditEntry.objects.get(description="Reset the two-factor sign-in of cm")
        assert entry.user == service_manager and entry.object_id == str(case_manager.pk)

    def test_after_a_reset_the_next_sign_in_sets_up_again(
        self, client, case_manager, service_manager, two_factor
    ):
        enrol(case_manager)
        enrol(service_manager)
        sign_in(client, "sm")
        client.post(reverse("two_factor_verify"), {"code": fresh_code(service_manager)})
        response = client.post(reverse("staff_two_factor_reset", args=[case_manager.pk]))
        assert response.url == reverse("staff_sign_in", args=[case_manager.pk])
        assert not TOTPDevice.objects.filter(user=case_manager).exists()
        client.post(reverse("logout"))
        sign_in(client)
        assert client.get(reverse("caseload")).url.startswith(reverse("two_factor_enrol"))

    def test_an_administrator_resets(self, client, case_manager, administrator):
        enrol(case_manager)
        assert self._reset(client, administrator, case_manager).status_code == 302
        assert not TOTPDevice.objects.filter(user=case_manager).exists()

    @pytest.mark.parametrize("role", ["case_manager", "team_manager", "colleague"])
    def test_nobody_else_resets(self, client, request, role, case_manager, outsider):
        """A case manager (or a team manager) gets 404 for every staff sign-in page, and nothing changes."""
        enrol(outsider)
        actor = request.getfixturevalue(role)
        client.force_login(actor)
        for name, args in (
            ("staff_sign_in_list", []),
            ("staff_sign_in", [outsider.pk]),
            ("staff_two_factor_reset", [outsider.pk]),
            ("staff_password_link", [outsider.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404, name
        assert client.post(reverse("staff_two_factor_reset", args=[outsider.pk])).status_code == 404
        assert TOTPDevice.objects.filter(user=outsider).exists()
        assert not AuditEntry.objects.filter(description__startswith="Reset").exists()

    def test_not_your_own(self, client, service_manager):
        """A manager's own sign-in is reset by someone else (nobody vouches for themselves)."""
        enrol(service_manager)
        client.force_login(service_manager)
        assert client.post(reverse("staff_two_factor_reset", args=[service_manager.pk])).status_code == 404
        assert TOTPDevice.objects.filter(user=service_manager).exists()

    def test_the_staff_list_shows_who_has_set_up(self, client, service_manager, case_manager, colleague):
        enrol(case_manager)
        client.force_login(service_manager)
        content = client.get(reverse("staff_sign_in_list")).content.decode()
        rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', content, re.S)
        cm_row = next(r for r in rows if ">cm<" in r)
        colleague_row = next(r for r in rows if ">colleague<" in r)
        assert "Set up" in cm_row and "Not set up" in colleague_row
        assert "Cosmo" in client.get(reverse("staff_sign_in_list") + "?q=casem").content.decode()
        assert "Coralie" not in client.get(reverse("staff_sign_in_list") + "?q=casem").content.decode()

    def test_the_header_link_follows_the_permission(self, client, service_manager, case_manager):
        # The link sits under "Management" (issue 20: a grouped navigation), shown on that group's pages.
        link = f'href="{reverse("staff_sign_in_list")}"'
        client.force_login(service_manager)
        assert link in client.get(reverse("staff_sign_in_list")).content.decode()
        assert ">Management<" in client.get(reverse("account")).content.decode()
        client.force_login(case_manager)
        content = client.get(reverse("account")).content.decode()
        assert link not in content and ">Management<" not in content and "Your account" in content
