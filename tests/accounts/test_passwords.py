"""Staff passwords (ADR 0011): change your own under the service's validators; a service manager or an
administrator gives someone a one-time reset link, shown once or emailed through the outbox; audited."""

import re

import pytest
from django.urls import reverse

from core.models import AuditEntry, OutboxMessage
from core.outbox import outbox_relay

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "a-long-new-passphrase-7"


class TestChange:
    def test_change_your_own_password(self, client, case_manager):
        client.force_login(case_manager)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
        assert response.status_code == 302 and response.url == reverse("account")
        assert "Your password has been changed" in client.get(reverse("account")).content.decode()
        # Still signed in here; the new password signs in.
        assert client.get(reverse("caseload")).status_code == 200
        case_manager.refresh_from_db()
        assert case_manager.check_password(NEW)
        entry = AuditEntry.objects.get(description="Changed their password")
        assert entry.user == case_manager and entry.object_id == str(case_manager.pk)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
                "Your current password is not right",
            ),
            (
                {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
                "The new passwords do not match",
            ),
            (
                {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
                "at least 12 characters",
            ),
            (
                {
                    "old_password": PASSWORD,
                    "new_password1": "84629175302846",
                    "new_password2": "84629175302846",
                },
                "entirely numeric",
            ),
            (
                {
                    "old_password": PASSWORD,
                    "new_password1": "1qaz2wsx3edc",
                    "new_password2": "1qaz2wsx3edc",
                },
                "too common",
            ),
            ({"old_password": "", "new_password1": "", "new_password2": ""}, "Enter your current password"),
        ],
    )
    def test_the_validators_apply(self, client, case_manager, data, message):
        """The service's validators (12 characters, not common, not numeric, not like the name)."""
        client.force_login(case_manager)
        response = client.post(reverse("password_change"), data)
        content = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in content
        assert message in content
        case_manager.refresh_from_db()
        assert case_manager.check_password(PASSWORD)
        assert not AuditEntry.objects.filter(description="Changed their password").exists()

    def test_other_sessions_are_signed_out(self, client, case_manager, django_user_model):
        """Another browser signed in as the same person is signed out by the change."""
        from django.test import Client

        other = Client()
        other.force_login(case_manager)
        client.force_login(case_manager)
        client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
        assert other.get(reverse("caseload")).status_code == 302


def _link(content: str) -> str:
    return re.search(r'id="reset-link">http://[^/]+(/account/reset/[^<]+)<', content).group(1)


class TestResetLink:
    def test_shown_once_works_once_and_is_audited(self, client, service_manager, case_manager):
        client.force_login(service_manager)
        response = client.post(reverse("staff_password_link", args=[case_manager.pk]), {"delivery": "show"})
        link = _link(response.content.decode())
        created = AuditEntry.objects.get(description="Made a password reset link for cm, shown once")
        assert created.user == service_manager and created.object_id == str(case_manager.pk)

        client.post(reverse("logout"))
        form_page = client.get(link, follow=True)
        assert "Set a new password" in form_page.content.decode()
        response = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
        )
        assert "Your password is set" in response.content.decode()
        case_manager.refresh_from_db()
        assert case_manager.check_password(NEW)
        assert (
            AuditEntry.objects.get(description="Set a new password through a reset link").user == case_manager
        )
        # Used once: the link no longer works.
        assert "This link does not work" in client.get(link, follow=True).content.decode()

    def test_the_new_password_obeys_the_validators(self, client, service_manager, case_manager):
        client.force_login(service_manager)
        link = _link(
            client.post(
                reverse("staff_password_link", args=[case_manager.pk]), {"delivery": "show"}
            ).content.decode()
        )
        client.post(reverse("logout"))
        page = client.get(link, follow=True)
        response = client.post(
            page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
        )
        assert "at least 12 characters" in response.content.decode()

    def test_emailed_through_the_outbox(
        self, client, administrator, case_manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        case_manager.email = "cosmo@yjs.invalid"
        case_manager.save()
        client.force_login(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("staff_password_link", args=[case_manager.pk]), {"delivery": "email"}
            )
        assert response.status_code == 302
        message = OutboxMessage.objects.get()
        assert message.description == "Password reset link for cm"
        outbox_relay()
        assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cosmo@yjs.invalid"]
        assert "/account/reset/" in mailoutbox[0].body
        assert AuditEntry.objects.filter(
            description="Emailed a password reset link to cm", user=administrator
        ).exists()

    def test_no_email_address_offers_only_the_shown_link(self, client, service_manager, case_manager):
        case_manager.email = ""
        case_manager.save()
        client.force_login(service_manager)
        content = client.get(reverse("staff_password_link", args=[case_manager.pk])).content.decode()
        assert 'value="email"' not in content and 'value="show"' in content
        response = client.post(reverse("staff_password_link", args=[case_manager.pk]), {"delivery": "email"})
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
        assert not OutboxMessage.objects.exists()

    def test_a_case_manager_cannot(self, client, case_manager, colleague):
        client.force_login(case_manager)
        response = client.post(reverse("staff_password_link", args=[colleague.pk]), {"delivery": "show"})
        assert response.status_code == 404
        assert not AuditEntry.objects.exists()

    def test_a_reset_link_needs_no_code_with_two_factor_on(
        self, client, service_manager, case_manager, two_factor
    ):
        """Someone locked out of their password can use the link (it is exempt from the code)."""
        client.force_login(service_manager, backend="django.contrib.auth.backends.ModelBackend")
        two_factor.TWO_FACTOR_TRUSTED_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
        link = _link(
            client.post(
                reverse("staff_password_link", args=[case_manager.pk]), {"delivery": "show"}
            ).content.decode()
        )
        two_factor.TWO_FACTOR_TRUSTED_BACKENDS = []
        client.post(reverse("logout"))
        assert "Set a new password" in client.get(link, follow=True).content.decode()


def test_a_validator_error_is_against_the_new_password(client, case_manager):
    """GOV.UK: the error summary links to the field at fault, "New password" (not its confirmation)."""
    client.force_login(case_manager)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert '<a href="#id_new_password1">This password is too short' in response.content.decode()
