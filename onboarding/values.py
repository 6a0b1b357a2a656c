"""One cell's text as a value of its column's type (docs/import-format.md, "Values"); a `ValueError`
says why it cannot be one, in words for the report."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .format import CHOICE, DATE, DATETIME, EMAIL, NUMBER, TIME, YESNO, Column

LONDON = zoneinfo.ZoneInfo("Europe/London")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S")


def _date(text: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date: use YYYY-MM-DD or DD/MM/YYYY")


def _time(text: str) -> datetime.time:
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError("not a time: use HH:MM (24-hour)")


def _datetime(text: str) -> datetime.datetime:
    day, _, clock = text.replace("T", " ").partition(" ")
    if not clock:
        raise ValueError("not a date and time: use YYYY-MM-DD HH:MM")
    moment = datetime.datetime.combine(_date(day), _time(clock[:8]))
    return moment.replace(tzinfo=LONDON)


def parse(column: Column, text: str, *, today: datetime.date):
    """The cell's value (None when blank), or ValueError with the reason."""
    if not text:
        if column.required:
            raise ValueError("required: enter a value")
        return None
    if column.max_length and len(text) > column.max_length:
        raise ValueError(f"too long: at most {column.max_length} characters")
    if column.kind == DATE:
        value = _date(text)
        if column.past and value > today:
            raise ValueError(f"a date in the future (the import is on {today:%Y-%m-%d})")
        return value
    if column.kind == DATETIME:
        value = _datetime(text)
        if column.past and value.date() > today:
            raise ValueError(f"a date in the future (the import is on {today:%Y-%m-%d})")
        return value
    if column.kind == TIME:
        return _time(text)
    if column.kind == YESNO:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError("not yes or no")
    if column.kind == NUMBER:
        if not text.isdigit() or int(text) > 32767:
            raise ValueError("not a whole number from 0 to 32767")
        return int(text)
    if column.kind == CHOICE:
        lower = text.lower()
        for choice, label in column.choices:
            if lower in (choice, label.lower()):
                return choice
        raise ValueError("not one of the allowed values (docs/import-format.md)")
    if column.kind == EMAIL:
        try:
            validate_email(text)
        except ValidationError as error:
            raise ValueError("not an email address") from error
        return text.lower()
    return text
