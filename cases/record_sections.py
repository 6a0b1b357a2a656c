"""The case work's sections of a child's whole record, for a subject access export (records/; UK GDPR
Art. 15): the child's details, programmes, case notes with every version, assessments, plans,
contacts, allocations, leave cover, tasks and the documents stored against the child."""

from core.records import plain, record_fields, record_item, record_items
from core.registry import RecordSection

from .models import Child, Event, EventType

# A safeguarding note often holds what other people (family, professionals) told the service.
SAFEGUARDING_REASON = (
    "Safeguarding information may come from or be about third parties; consider whether disclosure "
    "would be likely to cause serious harm (DPA 2018 Sch. 3 Part 5)"
)


def details_section(child: Child) -> RecordSection:
    """The child's details as stored now, with every saved version."""
    co_workers = [str(worker) for worker in child.co_workers.all()]
    return RecordSection("Details", [record_item(child, extra={"co_workers": co_workers})])


def programmes_section(child: Child) -> RecordSection:
    return RecordSection("Programmes and orders", record_items(child.programmes.select_related("created_by")))


def _event_version(event: Event, change: str) -> dict:
    """One version of a case note, as written (a correction is a new version keeping the old)."""
    return {
        "at": plain(event.created_at),
        "change": change,
        "by": str(event.author),
        "reason": event.correction_reason,
        "fields": record_fields(event),
    }


def events_section(child: Child) -> RecordSection:
    """The case notes as they read now, each with all its versions, oldest first (001, 004)."""
    events = list(child.events.select_related("author").order_by("created_at", "pk"))
    by_pk = {event.pk: event for event in events}
    items: list[dict] = []
    for event in reversed(events):
        if not event.is_current:
            continue
        chain: list[Event] = []
        version: Event | None = event
        while version is not None:
            chain.append(version)
            version = by_pk.get(version.corrects_id) if version.corrects_id else None
        chain.reverse()
        item = record_item(
            event,
            history=False,
            restricted=SAFEGUARDING_REASON if event.event_type == EventType.SAFEGUARDING else "",
        )
        item["versions"] = [
            _event_version(v, "created" if i == 0 else "corrected") for i, v in enumerate(chain)
        ]
        items.append(item)
    return RecordSection("Case notes (events)", items)


def assessments_section(child: Child) -> RecordSection:
    return RecordSection("Assessments", record_items(child.assessments.select_related("author")))


def plans_section(child: Child) -> RecordSection:
    return RecordSection("Plans", record_items(child.plans.select_related("author")))


def contacts_section(child: Child) -> RecordSection:
    return RecordSection("Contacts", record_items(child.contacts.select_related("worker", "author")))


def allocations_section(child: Child) -> RecordSection:
    """Who held the case and when, and who covered it during leave (003 §2-§7)."""
    items = record_items(child.allocations.select_related("worker", "allocated_by"), history=False)
    items += record_items(child.leave_covers.select_related("cover_worker", "leave"), history=False)
    return RecordSection("Allocations and leave cover", items)


def tasks_section(child: Child) -> RecordSection:
    return RecordSection("Tasks", record_items(child.tasks.select_related("assignee"), history=False))


def documents_section(child: Child) -> RecordSection:
    """The documents stored against the child, by title and date (the export's ZIP holds each file)."""
    return RecordSection(
        "Documents",
        record_items(child.documents.defer("content").order_by("created_at"), history=False),
    )


SECTIONS = (
    ("details", 10, details_section),
    ("programmes", 20, programmes_section),
    ("events", 30, events_section),
    ("assessments", 40, assessments_section),
    ("plans", 50, plans_section),
    ("contacts", 60, contacts_section),
    ("allocations", 70, allocations_section),
    ("tasks", 180, tasks_section),
    ("documents", 190, documents_section),
)
