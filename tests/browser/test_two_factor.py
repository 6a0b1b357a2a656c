"""Two-factor sign-in in a real browser (ADR 0011), with axe-core on every page: a first sign-in sets up
an authenticator app from the QR page's key (pyotp computes the codes, as a phone would); every later
sign-in asks for the code after the password and refuses none or a wrong one; a backup code works once;
a service manager resets a case manager's two-factor sign-in (audited) and makes a reset link; a member
of staff changes their password."""

import datetime

import pyotp
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core.models import AuditEntry
from tests.accounts.helpers import PASSWORD, enrol, fresh_code, wrong_code

from .conftest import assert_accessible
from .test_case_work import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def two_factor(settings):
    """On, as in production settings."""
    settings.TWO_FACTOR_REQUIRED = True


def password_step(page, live_server, username, password=PASSWORD):
    """Sign in with the password; the next page asks for the code (or to set up an app)."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/two-factor/" in url)


def code_step(page, code):
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_in_with_code(page, live_server, user):
    password_step(page, live_server, user.username)
    code_step(page, fresh_code(user))
    page.wait_for_url(lambda url: "/account/two-factor/" not in url)


def test_first_sign_in_sets_up_then_every_sign_in_asks_for_the_code(live_server, page, case_manager):
    password_step(page, live_server, "cm")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    # The header offers nothing but Sign out until the code is given.
    expect(page.get_by_role("link", name="Caseload")).to_have_count(0)
    assert_accessible(page)
    shot(page, "two-factor-set-up")
    phone = pyotp.TOTP(page.locator("#secret-key").inner_text().replace(" ", ""))
    code_step(page, phone.now())
    expect(page.get_by_role("heading", name="Save your backup codes")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert_accessible(page)
    shot(page, "two-factor-backup-codes")
    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The next sign-in: the password alone does not open a page.
    password_step(page, live_server, "cm")
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    shot(page, "two-factor-code")
    page.goto(f"{live_server.url}/caseload/")
    assert "/account/two-factor/" in page.url
    # No code, then a wrong one: refused, with the GOV.UK error summary.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the code")
    assert_accessible(page)
    code_step(page, wrong_code(case_manager))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)
    shot(page, "two-factor-code-wrong")
    page.wait_for_timeout(1200)  # a wrong code slows the next try by a second (django-otp throttling)
    code_step(page, fresh_code(case_manager))
    page.wait_for_url(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()


def test_a_backup_code_works_once(live_server, page, case_manager):
    codes = enrol(case_manager)
    password_step(page, live_server, "cm")
    code_step(page, codes[0])
    expect(page.get_by_text("You used a backup code. You have 9 left")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server, "cm")
    code_step(page, codes[0])
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert "/account/two-factor/" in page.url


def test_a_service_manager_resets_a_lost_phone_and_makes_a_reset_link(
    live_server, page, service_manager, case_manager
):
    enrol(service_manager)
    enrol(case_manager)
    sign_in_with_code(page, live_server, service_manager)
    page.get_by_role("link", name="Management", exact=True).click()  # Staff sign-in sits under it
    page.get_by_role("link", name="Staff sign-in").click()
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    assert_accessible(page)
    shot(page, "staff-sign-in")
    page.get_by_role("link", name="Cosmo Casemanager").click()
    assert_accessible(page)
    shot(page, "staff-member")
    page.get_by_role("link", name="Reset two-factor sign-in").click()
    assert_accessible(page)
    shot(page, "staff-two-factor-reset")
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.get_by_text("two-factor sign-in is reset")).to_be_visible()
    assert_accessible(page)
    assert not TOTPDevice.objects.filter(user=case_manager).exists()
    assert AuditEntry.objects.filter(
        user=service_manager, description="Reset the two-factor sign-in of cm"
    ).exists()

    page.get_by_role("link", name="Give them a password reset link").click()
    assert_accessible(page)
    shot(page, "staff-password-link")
    page.get_by_role("button", name="Make the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how they get the link")
    assert_accessible(page)
    page.get_by_label("Show me the link once").check()
    page.get_by_role("button", name="Make the link").click()
    link = page.locator("#reset-link").inner_text()
    assert_accessible(page)
    shot(page, "staff-password-link-shown")
    page.get_by_role("button", name="Sign out").click()

    # The case manager uses the link, then sets up a new phone at their next sign-in.
    page.goto(link)
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    assert_accessible(page)
    shot(page, "password-reset-set")
    page.get_by_label("New password", exact=True).fill("another-long-passphrase-3")
    page.get_by_label("Confirm the new password").fill("another-long-passphrase-3")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    assert_accessible(page)
    password_step(page, live_server, "cm", "another-long-passphrase-3")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()


def test_a_case_manager_has_no_staff_sign_in(live_server, page, case_manager):
    enrol(case_manager)
    sign_in_with_code(page, live_server, case_manager)
    expect(page.get_by_role("link", name="Staff sign-in")).to_have_count(0)
    response = page.goto(f"{live_server.url}/staff/sign-in/")
    assert response.status == 404


def test_change_your_password(live_server, page, case_manager):
    enrol(case_manager)
    sign_in_with_code(page, live_server, case_manager)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)
    shot(page, "your-account")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm the new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 12 characters")
    assert_accessible(page)
    shot(page, "password-change-error")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-long-new-passphrase-7")
    page.get_by_label("Confirm the new password").fill("a-long-new-passphrase-7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    assert_accessible(page)
    assert AuditEntry.objects.filter(user=case_manager, description="Changed their password").exists()
    assert timezone.now() - AuditEntry.objects.latest("at").at < datetime.timedelta(minutes=1)
