"""Playwright for Python driving Debian's Chromium, with axe-core run on every page visited."""

import functools
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module (`playwright install` cannot download here).

    Playwright's sync API runs an event loop in this thread while it is open, so Django's async-safety
    check is relaxed for exactly that span (database access here is still synchronous and safe).
    """
    from playwright.sync_api import sync_playwright

    mp = pytest.MonkeyPatch()
    mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    mp.undo()


# Reports every Content-Security-Policy violation to the console, whatever the browser prints by itself
# (Chromium prints blocked inline scripts and styles; this also catches eval, images and frames). Added
# through the DevTools protocol, so the policy does not apply to it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} (${e.sample})`);
});
"""


def _is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("CSP violation")


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test; fails the test on any CSP violation the page's
    console reports (issue 18: the strict policy must not break a page silently)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if _is_csp_violation(message.text) else None
        ),
    )
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))


@functools.cache
def _axe_source() -> str:
    """axe-core's source, read once; ends in `void 0` so evaluating it returns nothing to serialise."""
    return AXE.read_text() + "\n;void 0;"


def assert_accessible(page, *, target_size: bool = False):
    """Run axe-core on the page as it stands and fail on any violation; with `target_size`, also on
    WCAG 2.2's target size (2.5.8), a rule axe-core leaves off by default (issue 20: phone widths).

    A click that follows a link returns before the new page has loaded: wait for it, or axe-core may see
    half a page (e.g. no <main> yet) and report violations that are not there.
    """
    page.wait_for_load_state()
    # Evaluated through the DevTools protocol: an injected <script> tag would be refused by the page's
    # Content-Security-Policy (no inline script without the nonce), as it should be.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "([tags, size]) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: {'target-size': {enabled: size}}})",
        [AXE_TAGS, target_size],
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"axe-core violations on {page.url}:\n{json.dumps(violations, indent=2)}"
