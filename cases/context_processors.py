"""Template context every page needs."""

from django.conf import settings

# The child's record sub-navigation (url name, label, tab key), in the order a worker uses them.
CHILD_TABS = [
    ("child_detail", "Timeline", "timeline"),
    ("child_obligations", "What is due", "due"),
    ("child_programmes", "Programmes", "programmes"),
    ("child_assessments", "Assessments", "assessments"),
    ("child_plans", "Plans", "plans"),
    ("child_contacts", "Contacts", "contacts"),
    ("meeting_list", "Meetings", "meetings"),
    ("child_oversight", "Oversight", "oversight"),
    ("child_transfers", "Transfers", "transfers"),
    ("child_court", "Court", "court"),
    ("child_mappa", "MAPPA", "mappa"),
    ("child_allocation", "Allocation", "allocation"),
    ("child_details", "Details", "details"),
]


def service(request):
    """The service name for the header and page titles, and the child's record tabs."""
    return {"SERVICE_NAME": settings.SERVICE_NAME, "child_tabs": CHILD_TABS}
