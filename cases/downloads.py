"""Responses for children's records and exports: never cached, downloaded as attachments, and
spreadsheet cells that never become formulas (CSV injection)."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep a page or file about children or staff out of every cache."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment nobody caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


def csv_cell(value) -> str:
    """A cell as CSV text: blank for none, ISO dates, a leading formula character neutralised."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text[:1] in FORMULA_START else text
