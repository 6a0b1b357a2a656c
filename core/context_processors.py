"""Template context every page needs: the service name, the header navigation and the child's tabs,
as the apps registered them (core.registry), each link shown only when its permission allows."""

import rules
from django.conf import settings

from .registry import registry


def navigation(request):
    """SERVICE_NAME, `header_links` the user may follow, and the child's record tabs."""
    user = getattr(request, "user", None)
    # Part-way through signing in (a second factor still to give, ADR 0011): no links but Sign out.
    pending = getattr(request, "second_factor_pending", False)
    links = [
        link
        for link in registry.header_links
        if user is not None and not pending and rules.has_perm(link.permission, user)
    ]
    tabs = [
        tab
        for tab in registry.child_tabs
        if not tab.permission or (user is not None and rules.has_perm(tab.permission, user))
    ]
    return {"SERVICE_NAME": settings.SERVICE_NAME, "header_links": links, "child_tabs": tabs}
