"""The subject access export's PDF (WeasyPrint; templates/records/pdf/record.html): a cover page
(the child's initials and case number, the request's reference, the date and who exported it), a
contents list with page numbers, each section of the record, and the list of third-party information
to consider for redaction; "Page X of Y" on every page (CSS `@page` counters)."""

import datetime
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

EMPTY: tuple[Any, ...] = (None, "", [], {})


def label(name: str) -> str:
    """A field name as words ("received_on" -> "Received on")."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def display(value: Any) -> dict:
    """A value as the PDF shows it: `text`, `pairs` (a record's fields) or `records` (a list of them)."""
    if isinstance(value, bool):
        return {"text": "Yes" if value else "No"}
    if isinstance(value, dict):
        return {
            "pairs": [(label(k), display(v).get("text", str(v))) for k, v in value.items() if v not in EMPTY]
        }
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return {"records": [display(v)["pairs"] for v in value]}
        return {"text": ", ".join(str(v) for v in value)}
    return {"text": when(value) if isinstance(value, str) else str(value)}


def when(text: str) -> str:
    """An ISO date or time (as the JSON holds it) as people read it: "4 December 2026, 18:09"."""
    try:
        if ISO_DATE.match(text):
            return f"{datetime.date.fromisoformat(text):%-d %B %Y}"
        if ISO_DATETIME.match(text):
            moment = datetime.datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%-d %B %Y, %H:%M}"
    except ValueError:
        pass
    return text


def _rows(fields: dict, labels: dict | None = None, shown: dict | None = None) -> list[tuple[str, dict]]:
    """The non-empty fields as (label, shown value), under the record's own labels and with a coded
    value's words where it has them."""
    labels, shown = labels or {}, shown or {}
    return [
        (label(labels.get(name, name)), display(shown.get(name, value)))
        for name, value in fields.items()
        if value not in EMPTY
    ]


def _version_rows(versions: list[dict], labels: dict) -> list[dict]:
    """The first version as written, then each later one with only the fields it changed."""
    out: list[dict] = []
    before: dict = {}
    for version in versions:
        fields = version.get("fields", {})
        changed = {k: v for k, v in fields.items() if not out or before.get(k) != v}
        shown = {**version, "at": when(version.get("at") or "")}
        out.append({**shown, "changes": _rows(changed, labels), "first": not out})
        before = fields
    return out


def pdf_context(*, export: dict, sections: list[tuple[str, Any]], redactions: list[dict]) -> dict:
    """What the template shows: the export's facts, each section with its records' rows and versions."""
    shown = []
    for name, section in sections:
        items = [
            {
                "label": item["label"],
                "id": item["id"],
                "restricted": item.get("restricted", ""),
                "rows": _rows(item["fields"], item.get("labels"), item.get("shown")),
                "versions": _version_rows(versions, item.get("labels", {})) if len(versions) > 1 else [],
            }
            for item in section.items
            for versions in [item.get("versions", [])]
        ]
        shown.append({"name": name, "title": section.title, "restricted": section.restricted, "items": items})
    return {"export": export, "sections": shown, "redactions": redactions}


def record_pdf(context: dict) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only the renderer needs it

    html = render_to_string("records/pdf/record.html", context)
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)
