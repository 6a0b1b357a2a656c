"""URLs of staff sign-in: Your account, the two-factor pages, reset links and Staff sign-in."""

from .views import urlpatterns

__all__ = ["urlpatterns"]
