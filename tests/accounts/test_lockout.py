"""Lockout by address across usernames (ADR 0011): password spraying from one address is slowed.

Five wrong passwords lock a username from an address (as before); twenty wrong passwords from one
address, whatever the usernames, lock the address; a success forgets only that username's failures.
"""

import pytest
from django.urls import reverse

from accounts.lockout import client_address

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db
SPRAYER = "203.0.113.9"
OFFICE = "198.51.100.4"


def attempt(client, username, password="Summer2026!", address=SPRAYER, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_settings(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_ADDRESS_FAILURE_LIMIT == 20


def test_spraying_one_password_across_accounts_locks_the_address(client, case_manager):
    """One password tried on 20 accounts from one address (never 5 on any one): the address is locked,
    even for a right password, while the same account signs in from another address."""
    for n in range(19):
        assert attempt(client, f"user{n}").status_code == 200  # the form again, "not right"
    assert attempt(client, "user19").status_code == 429
    assert attempt(client, "cm", PASSWORD).status_code == 429
    assert attempt(client, "cm", PASSWORD, address=OFFICE).status_code == 302


def test_a_few_colleagues_mistyping_do_not_lock_the_office(client, case_manager):
    """Up to 19 failures from a shared address leave it open."""
    for n in range(4):
        for name in ("a", "b", "c", "d"):
            attempt(client, f"{name}{n}", address=OFFICE)
    assert attempt(client, "cm", PASSWORD, address=OFFICE).status_code == 302


def test_signing_in_does_not_clear_the_address_count(client, case_manager):
    """A sprayer holding one real account cannot reset the count by signing in with it."""
    for n in range(15):
        attempt(client, f"user{n}")
    assert attempt(client, "cm", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for n in range(15, 19):
        attempt(client, f"user{n}")
    assert attempt(client, "user19").status_code == 429


def test_five_failures_still_lock_one_username(client, case_manager):
    for _ in range(5):
        attempt(client, "cm", "wrong")
    assert attempt(client, "cm", PASSWORD).status_code == 429
    assert attempt(client, "cm", PASSWORD, address=OFFICE).status_code == 302


def test_a_success_forgets_that_usernames_own_failures(client, case_manager):
    for _ in range(4):
        attempt(client, "cm", "wrong")
    assert attempt(client, "cm", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "cm", "wrong")
    assert attempt(client, "cm", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy: the connection's address, whatever the header says
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # one proxy: what it saw, not what the client wrote
        (2, "203.0.113.5, 10.0.0.7", "203.0.113.5"),
        (2, "", "10.0.0.1"),  # a header missing or too short: the connection's address
    ],
)
def test_the_client_address_behind_proxies(settings, rf, count, forwarded, expected):
    """Behind a proxy every request would otherwise come from one address, and 20 failures anywhere
    would lock the whole service."""
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == expected


def test_spraying_through_a_proxy_locks_the_client_not_the_proxy(client, settings, case_manager):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        attempt(client, f"user{n}", address="10.0.0.1", HTTP_X_FORWARDED_FOR=SPRAYER)
    assert (
        attempt(client, "cm", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR=SPRAYER).status_code == 429
    )
    assert attempt(client, "cm", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE).status_code == 302
