"""Template context every page needs."""

from django.conf import settings


def service(request):
    """The service name for the header and page titles."""
    return {"SERVICE_NAME": settings.SERVICE_NAME}
