"""The browser fixtures (headless Chromium with axe-core) for the notification pages' browser test."""

from tests.browser.conftest import browser, page  # noqa: F401
