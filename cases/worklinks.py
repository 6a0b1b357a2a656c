"""Where each obligation is done: the page that records the fact that meets it.

Obligation codes come from the rules module (timescales.md catalogue); this maps their prefixes to the
child's page (or event type) a worker uses, so every due item on "My work" and "What is due" links to
the place where it is done. Nobody ticks an obligation: recording the thing is what meets it.
"""

from django.urls import reverse

from .models import EventType

# code (exact) or prefix ending in "." -> (url name taking the child's pk, event type to preselect or "").
LINKS: list[tuple[str, str, str]] = [
    ("assetplus.", "child_assessments", ""),
    ("assessment.", "child_assessments", ""),
    ("plan.", "child_plans", ""),
    ("contact.", "child_contacts", ""),
    ("visit.", "child_contacts", ""),
    ("meeting.initial", "child_contacts", ""),
    ("co_allocation.recorded", "event_add", EventType.CO_ALLOCATION_AGREEMENT),
    ("co_allocation.discussion", "event_add", EventType.CO_ALLOCATION_DISCUSSION),
    ("crown_court.allocate", "child_allocation", ""),
    ("referral_order.initial_panel", "event_add", EventType.REFERRAL_PANEL_INITIAL),
    ("psr.share_with_family", "event_add", EventType.PSR_SHARED),
    ("planning_meeting.", "event_add", EventType.PLANNING_MEETING),
    ("victim_contact.", "event_add", EventType.VICTIM_CONTACT_REFERRAL),
    ("yjaf.", "event_add", EventType.YJAF_ENTERING_CUSTODY),
    # 000 §1.3, 001 §6.2: the actions and minutes are written on the held meeting's record.
    ("cmm.actions_recorded", "meeting_list", ""),
    ("cmm.minutes", "meeting_list", ""),
    ("mappa.minutes", "meeting_list", ""),
    ("case_discussion.", "event_add", EventType.MANAGEMENT_OVERSIGHT_SUPERVISION),
]


# Meetings that meet an obligation: booked from the due item with the meeting type chosen (000 §1.3).
BOOK_MEETING: dict[str, str] = {
    "cmm.risk_review": "risk_review",
    "cmm.compliance": "compliance",
    "cmm.reoffending": "reoffending",
    "cmm.bail": "bail",
    "cmm.release": "release",
    "cmm.post_release": "risk_review",
    "mappa.meeting": "mappa_level_1",
}


def action_url(code: str, child_id: int) -> str:
    """The page where this obligation is done for this child; the child's "What is due" otherwise."""
    if code in BOOK_MEETING:
        return f"{reverse('meeting_book', args=[child_id])}?kind={BOOK_MEETING[code]}&obligation={code}"
    for key, name, event_type in LINKS:
        if code == key or (key.endswith(".") and code.startswith(key)):
            url = reverse(name, args=[child_id])
            return f"{url}?type={event_type}" if event_type else url
    return reverse("child_obligations", args=[child_id])
