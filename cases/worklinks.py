"""Where each obligation is done: the page that records the fact that meets it.

Obligation codes come from the rules module (docs/spec/timescales.md catalogue). Each app registers
where its obligations are done (`core.registry.WorkLink`); this module registers the child's own pages
and answers `action_url` for My work, What is due, the dashboards and the alerts. Nobody ticks an
obligation: recording the thing is what meets it.
"""

from typing import Any

import rules
from django.urls import reverse

from core.registry import WorkLink, registry

from .models import EventType


def _event(code: str, event_type: str) -> WorkLink:
    """An obligation met by a case note of this type: the add-event form with the type chosen."""
    return WorkLink(code, "event_add", f"type={event_type}")


# code (exact) or prefix ending in ".": the child's page where it is recorded.
LINKS = [
    WorkLink("assetplus.", "child_assessments"),
    WorkLink("assessment.", "child_assessments"),
    WorkLink("plan.", "child_plans"),
    WorkLink("contact.", "child_contacts"),
    WorkLink("visit.", "child_contacts"),
    WorkLink("meeting.initial", "child_contacts"),
    _event("co_allocation.recorded", EventType.CO_ALLOCATION_AGREEMENT),
    _event("co_allocation.discussion", EventType.CO_ALLOCATION_DISCUSSION),
    WorkLink("crown_court.allocate", "child_allocation"),
    _event("referral_order.initial_panel", EventType.REFERRAL_PANEL_INITIAL),
    _event("psr.share_with_family", EventType.PSR_SHARED),
    _event("planning_meeting.", EventType.PLANNING_MEETING),
    _event("victim_contact.", EventType.VICTIM_CONTACT_REFERRAL),
    _event("yjaf.entering_custody", EventType.YJAF_ENTERING_CUSTODY),
    _event("yjaf.plan_upload", EventType.YJAF_PLAN_UPLOADED),
    _event("yjaf.comment", EventType.YJAF_COMMENT),
    # Revision 2: one face-to-face meeting before the court date (001 §6 table: PSR).
    _event("psr.face_to_face", EventType.CONTACT),
]


def action_url(code: str, child_id: int, *, user=None, child=None) -> str:
    """The page where this obligation is done for this child; the child's "What is due" otherwise.

    Given the user (and the child, for the check), a page the user may not use gives way to the link's
    fallback: every link a person is shown opens a page where they can act (issue 20)."""
    link = registry.work_link_for(code)
    allowed = not (
        link and link.permission and user is not None and not rules.has_perm(link.permission, user, child)
    )
    return _url(link, child_id, allowed=allowed)


def _url(link: WorkLink | None, child_id: int, *, allowed: bool) -> str:
    """The link's page for the child, or its fallback when the user may not use it."""
    if link is None:
        return reverse("child_obligations", args=[child_id])
    if not allowed:
        return reverse(link.fallback or "child_obligations", args=[child_id])
    url = reverse(link.url_name, args=[child_id])
    return f"{url}?{link.query}" if link.query else url


def action_urls(rows: list[tuple[str, Any]], *, user) -> list[str]:
    """`action_url` for many (code, child) pairs, in a fixed number of queries whatever their number.

    A permission registered with a bulk answer (`registry.add_bulk_permission`) is asked once for all
    the children whose links need it; any other is asked per row, as `action_url` does."""
    links = [registry.work_link_for(code) for code, _ in rows]
    allowed: dict[str, set[int]] = {}
    for name in {link.permission for link in links if link and link.permission}:
        bulk = registry.bulk_permissions.get(name)
        if bulk is not None:
            children = {
                child.pk: child
                for (_, child), link in zip(rows, links, strict=True)
                if link and link.permission == name
            }
            allowed[name] = bulk(user, list(children.values()))
    urls = []
    for (_, child), link in zip(rows, links, strict=True):
        if link is None or not link.permission:
            ok = True
        elif link.permission in allowed:
            ok = child.pk in allowed[link.permission]
        else:
            ok = rules.has_perm(link.permission, user, child)
        urls.append(_url(link, child.pk, allowed=ok))
    return urls
