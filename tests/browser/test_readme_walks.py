"""The README's five-minute walks, followed exactly as written (issue 20), with axe-core on every page, on
a desktop (1280 px) and on a phone (412 px), where the navigation's links are behind "Menu".

The steps are read from README.md ("## Five-minute walks"), so the README and this test cannot drift: each
numbered step is actions, then ": you see " and what must be on the page, every name in **bold** exactly
as the page shows it. The actions are "Sign in as `user`", "Follow **link**" (", then **link**" for the
next), "enter **text** in **label**", "choose **option** in **label**" (a select) or "choose **label**"
(a radio or checkbox), and "press **button**". A bold name the grammar does not read fails the test, so a
step cannot be skipped silently. The demo is seeded as `make demo` seeds it, on a fixed day.
"""

import contextlib
import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from demo.seed.people import DEMO_PASSWORD

from .conftest import CSP_LISTENER, _is_csp_violation, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

README = Path(__file__).resolve().parents[2] / "README.md"
NOW = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
ACTION = re.compile(
    r"sign in as `(?P<user>[^`]+)`"
    r"|(?P<verb>follow|then|enter|choose|press) \*\*(?P<what>.+?)\*\*(?: in \*\*(?P<where>.+?)\*\*)?",
    re.IGNORECASE,
)
WIDTHS = [1280, 412]  # a desktop, and a phone (issue 20)
BOLD = re.compile(r"\*\*(.+?)\*\*")


def readme_walks() -> dict[str, list[str]]:
    """{role heading: [step, ...]} from the README's "Five-minute walks" section."""
    section = README.read_text().split("## Five-minute walks", 1)[1].split("\n## ", 1)[0]
    walks: dict[str, list[str]] = {}
    for block in section.split("\n### ")[1:]:
        title, _, body = block.partition("\n")
        walks[title.strip()] = [m.group(1) for m in re.finditer(r"^\d+\. (.+)$", body, re.MULTILINE)]
    return walks


WALKS = readme_walks()


def parse(step: str) -> tuple[list[dict], list[str]]:
    """A step's actions, in order, and the texts it says you then see."""
    doing, sep, seeing = step.partition(": you see ")
    assert sep, f"no ': you see ' in the step: {step}"
    actions = [m.groupdict() for m in ACTION.finditer(doing)]
    read = sum(bool(a["what"]) + bool(a["where"]) for a in actions)
    assert read == len(BOLD.findall(doing)), f"a bold name this test cannot follow in: {step}"
    assert actions, f"nothing to do in: {step}"
    return actions, BOLD.findall(seeing)


def test_the_walks_are_in_the_readme():
    """A walk for each role the demo has, each a few steps that all parse."""
    assert set(WALKS) == {
        "Case manager: `cm.north.1`",
        "Team manager: `tm.south`",
        "Advanced practitioner: `ap.north`",
        "Service manager: `sm`",
        "Administrator: `admin`",
    }
    for title, steps in WALKS.items():
        assert 3 <= len(steps) <= 10, title
        for step in steps:
            actions, seen = parse(step)
            assert seen, f"{title}: nothing to see after: {step}"


@pytest.fixture
def demo(settings):
    """The demo as `make demo` seeds it (the default size), on the fixed day; the pages see that day too."""
    settings.ALLOW_DEMO_SEED = True
    with time_machine.travel(NOW, tick=True):
        with open("/dev/null", "w") as quiet:
            call_command("seed_demo", "--today", NOW.date().isoformat(), stdout=quiet)
        yield


def _click(page, role: str, name: str, *, exact: bool) -> bool:
    """Click the first element on the screen with this role and name; False when there is none."""
    target = page.get_by_role(role, name=name, exact=exact)
    if not target.count():
        return False
    target.first.click()
    return True


def follow(page, name: str) -> None:
    """Follow the link (or a link styled as a button, GOV.UK's role="button") a person would see by this
    name, exact names first. On a phone the service navigation is behind "Menu": a link not on the screen
    is looked for there, after opening the menu as a person would (issue 20)."""
    if _click(page, "link", name, exact=True) or _click(page, "button", name, exact=True):
        return
    menu = page.get_by_role("button", name="Menu", exact=True)
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
        if _click(page, "link", name, exact=True):
            return
    if not _click(page, "link", name, exact=False):
        raise AssertionError(f"no link {name!r} on {page.url}")


def act(page, base: str, action: dict) -> None:
    """Do one action as a person would: by the visible name of the link, field or button."""
    if action["user"]:
        page.goto(f"{base}/sign-in/")
        page.get_by_label("Username").fill(action["user"])
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return
    verb, what, where = action["verb"].lower(), action["what"], action["where"]
    if verb in ("follow", "then"):
        follow(page, what)
    elif verb == "enter":
        page.get_by_label(where, exact=True).fill(what)
    elif verb == "choose" and where:
        select = page.get_by_label(where, exact=True)
        value = select.locator("option", has_text=what).first.get_attribute("value")
        select.select_option(value=value)
    elif verb == "choose":
        page.get_by_label(what, exact=True).check()
    elif verb == "press":
        page.get_by_role("button", name=what, exact=True).click()
    page.wait_for_load_state()


@contextlib.contextmanager
def sized_page(browser, width: int):
    """A fresh page this wide (at 412 px a phone, with touch), failing on any CSP violation the page's
    console reports, like conftest's desktop `page`."""
    phone = width < 640
    context = browser.new_context(
        viewport={"width": width, "height": 915 if phone else 900}, is_mobile=phone, has_touch=phone
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: _is_csp_violation(message.text) and violations.append(message.text))
    try:
        yield page
    finally:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))


def walk(page, base: str, title: str, width: int) -> None:
    """Each step of one walk, as written: its actions, then what you see, with axe-core on the page
    (WCAG 2.2 target size too on the phone)."""
    for step in WALKS[title]:
        actions, seen = parse(step)
        for action in actions:
            act(page, base, action)
        for text in seen:
            expect(page.locator("body"), f"{title} at {width} px: {step}").to_contain_text(text)
        assert_accessible(page, target_size=width < 640)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_readme_walks(width, demo, live_server, browser):
    """Every role's walk on one seeded demo (a seed is most of a walk's time; the walks only look, and
    the team manager's allocation stops at its check page), each in its own browser context, in the
    README's order; every walk runs and every failure is reported, by walk."""
    failures = {}
    for title in WALKS:
        try:
            with sized_page(browser, width) as page:
                walk(page, live_server.url, title, width)
        except Exception as error:  # noqa: BLE001 (each walk's failure is collected and reported below)
            failures[title] = f"{type(error).__name__}: {error}"
    assert not failures, "\n\n".join(f"{title} at {width} px:\n{why}" for title, why in failures.items())
