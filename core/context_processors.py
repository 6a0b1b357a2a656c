"""Template context every page needs: the service name, the header navigation and the child's tabs,
as the apps registered them (core.registry), each link shown only when its permission allows.

The navigation is grouped (issue 20: it fits on one line at 1280 px): each top-level item is a header
link of its own or a group of them (`NavGroup`), and the page's section comes from its URL
(`registry.section_for`), so the right item is highlighted on every page, whatever the view passes."""

from dataclasses import dataclass, field

import rules
from django.conf import settings

from .registry import HeaderLink, registry

ACCOUNT = "account"  # the group shown in the header's top bar, beside Sign out


@dataclass
class NavItem:
    """One top-level item: its links the user may follow (the first is where it leads), its label."""

    key: str
    label: str
    links: list[HeaderLink] = field(default_factory=list)
    active: bool = False

    @property
    def url_name(self) -> str:
        return self.links[0].url_name

    @property
    def badge(self) -> str:
        return next((link.badge for link in self.links if link.badge), "")


def nav_items(links: list[HeaderLink], section: str) -> list[NavItem]:
    """The top-level items for these links (in their order), the one holding `section` active."""
    items: dict[str, NavItem] = {}
    for link in links:
        key = link.group or f"link:{link.key}"
        if key not in items:
            items[key] = NavItem(key=key, label=link.label)
        items[key].links.append(link)
    for item in items.values():
        group = registry.nav_groups.get(item.key)
        if group is not None and len(item.links) > 1:
            item.label = group.label
        item.active = any(link.key == section for link in item.links)
    return list(items.values())


def page_section(request) -> str:
    """The section of the page being shown, from its URL ("" for a page outside every section)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    return registry.section_for(match.url_name, getattr(match.func, "__module__", ""), match.route or "")


def navigation(request):
    """SERVICE_NAME, `nav_items` (the grouped service navigation), `account_links` (the top bar),
    `sub_nav` (the current group's links, on its landing pages) and the child's record tabs."""
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
    section = page_section(request)
    items = nav_items([link for link in links if link.group != ACCOUNT], section)
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None else ""
    # The group's other pages, shown on its landing pages (not deeper: a child's own tabs are there).
    sub_nav = next(
        (
            item
            for item in items
            if item.active and len(item.links) > 1 and any(link.url_name == url_name for link in item.links)
        ),
        None,
    )
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "header_links": links,
        "nav_items": items,
        "nav_section": section,
        "account_links": [link for link in links if link.group == ACCOUNT],
        "sub_nav": sub_nav,
        "child_tabs": tabs,
    }
