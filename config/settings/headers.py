"""Security headers (issue 18, ADR 0012), shared by every environment through base.py."""

from csp.constants import NONCE, NONE, SELF

# --- Security headers (issue 18, ADR 0012) ------------------------------------------------------------
# Content-Security-Policy (django-csp 4): nothing from another origin, no inline script without the
# request's nonce (base.html's one line adding `js-enabled`), no inline style, no eval, no framing, no
# plugins, forms post only here. WeasyPrint's PDFs and the digest email are not web pages and are not
# affected. The browser tests fail on any violation the page's console reports (tests/browser/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Permissions-Policy (core.headers): browser features the service never uses, off for it and anything
# it embeds. Only features Chromium and Firefox recognise (an unknown one is a console warning).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# No full address of a page (which names a child's record) goes to another site; same-origin keeps it
# for our own pages. Django's default too, stated here so production and tests read the same.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
