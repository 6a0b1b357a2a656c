"""The redaction list's search (records/redactions.py), without rendering: another child's full name
(any case, across a line break) and case number, never the child's own; email addresses, staff's named
as such; phone numbers; restricted records and sections with records in them."""

from core.registry import RecordSection
from demo.factories import ChildFactory
from records.redactions import find_redactions


def item(text: str, restricted: str = "") -> dict:
    return {"id": 1, "label": "A note", "fields": {"details": text}, "versions": [], "restricted": restricted}


def test_what_is_found(child, south, colleague):
    other = ChildFactory(team=south, first_name="Quillon", last_name="Otherchild")
    text = (
        f"Seen with QUILLON\\nOTHERCHILD and {other.case_number}; {child.full_name} ({child.case_number}) "
        f"agreed. Call {colleague.email}, parent@example.invalid or +44 7700 900123."
    ).replace("\\n", "\n")
    rows = find_redactions(
        child,
        [
            ("events", RecordSection("Case notes", [item(text), item("Nothing", restricted="Safeguarding")])),
            ("mappa", RecordSection("MAPPA", [], restricted="MAPPA")),
        ],
    )
    found = {(r["category"], r["found"]) for r in rows}
    assert found == {
        ("Another child's name", "QUILLON OTHERCHILD"),
        ("Another child's case number", other.case_number),
        ("Staff email address", colleague.email),
        ("Email address", "parent@example.invalid"),
        ("Phone number", "+44 7700 900123"),
        ("Restricted record", ""),
    }
    assert all(r["section"] == "Case notes" and r["record"] == "A note (id 1)" for r in rows)
