"""The service's URLconf with a plain 404 (tests/test_access_matrix.py: thousands of refusals, each of which
would otherwise render the full "Page not found" page; that page has its own tests)."""

from django.http import HttpResponseNotFound

from config.urls import handler500, urlpatterns  # noqa: F401


def handler404(request, exception):
    return HttpResponseNotFound(b"Not found")
