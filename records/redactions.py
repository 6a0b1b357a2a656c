"""Third-party information in a child's exported record, listed for the service manager to consider
for redaction before release (UK GDPR Art. 15(4): the right of access must not adversely affect the
rights of others; DPA 2018 Sch. 2 Part 3 para. 16, information about other individuals).

Found, not decided: each row says where the item is (section, record, field), what was found and why it
may need redacting; the service manager decides. Looked for:
- another child's name (first and last name together) or case number in any text;
- email addresses (a member of staff's, or someone else's) and phone numbers;
- restricted records and sections (MAPPA, safeguarding notes, confidential professionals' discussions),
  as the apps that hold them mark them.
"""

import re
from collections.abc import Iterator
from typing import Any

from cases.models import Child, User

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# UK numbers: 01/02/03/07/08 and +44, with spaces or hyphens between digits.
PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)[1-9](?:[\s-]?\d){8,9}(?!\d)")

OTHER_CHILD = (
    "Names another child: their personal data, not the requester's; redact unless they consent or "
    "disclosure is reasonable without it (DPA 2018 Sch. 2 Part 3 para. 16)"
)
STAFF_EMAIL = (
    "A member of staff's contact details: staff are named for what they did in their role, but "
    "their personal details are theirs (DPA 2018 Sch. 2 Part 3 para. 16)"
)
OTHER_EMAIL = "An email address of someone other than the child: a third party's personal data"
PHONE_REASON = "A phone number of someone other than the child (a third party or a member of staff)"


WORD = re.compile(r"\w+(?:['’-]\w+)*")
LONGEST_NAME = 6  # words: a name longer than this is matched by its first six words only


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _other_children(child: Child) -> tuple[dict[tuple[str, ...], str], int]:
    """Every other child's full name and case number, as word sequences, with what each names; and the
    most words any has. A look-up per word of the text, so the time grows with the text, not with the
    number of children (one regular expression of every name would not)."""
    own = {tuple(_words(child.full_name)), tuple(_words(child.case_number))}
    terms: dict[tuple[str, ...], str] = {}
    for first, last, number in Child.objects.exclude(pk=child.pk).values_list(
        "first_name", "last_name", "case_number"
    ):
        name = tuple(_words(f"{first} {last}"))[:LONGEST_NAME]
        if len(name) >= 2 and name not in own:
            terms[name] = "Another child's name"
        number_words = tuple(_words(number or ""))
        if number_words and number_words not in own:
            terms[number_words] = "Another child's case number"
    return terms, max((len(t) for t in terms), default=0)


def _mentions(text: str, terms: dict[tuple[str, ...], str], longest: int) -> Iterator[tuple[str, str]]:
    """(the words as written, what they name) for each other child named in the text."""
    matches = list(WORD.finditer(text))
    words = [m.group(0).lower() for m in matches]
    for i in range(len(words)):
        for n in range(min(longest, len(words) - i), 0, -1):
            category = terms.get(tuple(words[i : i + n]))
            if category:
                yield " ".join(m.group(0) for m in matches[i : i + n]), category
                break


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every text in a value, with its field path ("invitations[0].email")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _texts(inner, f"{path}[{i}]")


def _item_texts(item: dict) -> Iterator[tuple[str, str]]:
    """The item's texts now, then those of its earlier versions (a corrected note keeps the old words)."""
    yield from _texts(item.get("fields", {}), "")
    for version in item.get("versions", []):
        for path, text in _texts(version.get("fields", {}), ""):
            yield f"{path} (a version)", text


def find_redactions(child: Child, sections: list[tuple[str, Any]]) -> list[dict[str, str]]:
    """The third-party information in the record's sections, one row per item found (deduplicated):
    section, record, field, found, category, reason."""
    terms, longest = _other_children(child)
    staff_emails = {e.lower() for e in User.objects.exclude(email="").values_list("email", flat=True)}
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, ...]] = set()

    def add(section: str, record: str, field: str, found: str, category: str, reason: str) -> None:
        key = (section, record, field.removesuffix(" (a version)"), found.lower(), category)
        if key not in seen:
            seen.add(key)
            rows.append(
                {
                    "section": section,
                    "record": record,
                    "field": field,
                    "found": found,
                    "category": category,
                    "reason": reason,
                }
            )

    for _, section in sections:
        if section.restricted and section.items:
            add(section.title, "(whole section)", "", "", "Restricted section", section.restricted)
        for item in section.items:
            record = f"{item['label']} (id {item['id']})"
            if item.get("restricted") and item["restricted"] != section.restricted:
                add(section.title, record, "", "", "Restricted record", item["restricted"])
            for field, text in _item_texts(item):
                for found, category in _mentions(text, terms, longest):
                    add(section.title, record, field, found, category, OTHER_CHILD)
                for match in EMAIL.finditer(text):
                    staff = match.group(0).lower() in staff_emails
                    category = "Staff email address" if staff else "Email address"
                    add(
                        section.title,
                        record,
                        field,
                        match.group(0),
                        category,
                        STAFF_EMAIL if staff else OTHER_EMAIL,
                    )
                for match in PHONE.finditer(text):
                    add(section.title, record, field, match.group(0), "Phone number", PHONE_REASON)
    return rows
