"""Every notification of every demo user, opened in Chromium at 1280 and 412 px (issue 20).

The default demo (as `make demo` seeds it) on a fixed day, with that morning's sweep raised. Each member
of staff with notifications signs in and opens every one from their notifications list's link (through
`notification_open`, as a click does): the page must load (no "Page not found", no error), pass axe-core
(WCAG 2.2 AA, target size included at 412 px) and offer something to do: a form that posts (other than
signing out) or a GOV.UK button. tests/alerts/test_every_notification_acts.py checks the same with
Django's test client on a smaller demo.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from alerts.models import Notification
from alerts.services import alerts_raise
from demo.seed.people import DEMO_PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
# Something a person can do on the page: a form that posts (not signing out) or a GOV.UK button.
ACTIONS = "form[method=post]:not([action*='sign-out']), a.govuk-button, button.govuk-button"


@pytest.fixture
def swept(settings):
    settings.ALLOW_DEMO_SEED = True
    with time_machine.travel(NOW, tick=True):
        with open("/dev/null", "w") as quiet:
            call_command("seed_demo", "--today", NOW.date().isoformat(), stdout=quiet)
        alerts_raise(now=NOW)
        yield


@pytest.mark.parametrize("width", [1280, 412])
def test_every_notification_opens_a_page_to_act_on(swept, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    by_user: dict[str, list[int]] = {}
    for username, pk in Notification.objects.order_by("recipient__username", "pk").values_list(
        "recipient__username", "pk"
    ):
        by_user.setdefault(username, []).append(pk)
    opened, problems = 0, []
    assert sum(len(pks) for pks in by_user.values()) > 35, "the demo's sweep raised too few notifications"
    for username, pks in by_user.items():
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        for pk in pks:
            response = page.goto(live_server.url + reverse("notification_open", args=[pk]))
            opened += 1
            where = f"{username}: notification {pk} -> {page.url}"
            if response is None or response.status != 200:
                problems.append(f"{response.status if response else 'no response'} {where}")
                continue
            if not page.locator(ACTIONS).count():
                problems.append(f"nothing to do on {where}")
            assert_accessible(page, target_size=width == 412)
    print(f"\n{opened} notifications opened at {width} px")
    assert not problems, f"{len(problems)} of {opened}:\n" + "\n".join(problems)
