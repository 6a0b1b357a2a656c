"""Checks every MAPPA write shares (records and the register's share)."""

import datetime

from django.core.exceptions import ValidationError

from core.services import future_error


def not_future(day: datetime.date, noun: str, today: datetime.date) -> None:
    """Records say what has happened: refuse a date after today."""
    if message := future_error(day, noun, today):
        raise ValidationError(message)
