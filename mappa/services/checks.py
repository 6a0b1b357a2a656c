"""Checks every MAPPA write shares (records and the register's share)."""

import datetime

from django.core.exceptions import ValidationError


def not_future(day: datetime.date, noun: str, today: datetime.date) -> None:
    """Records say what has happened: refuse a date after today."""
    if day > today:
        raise ValidationError(f"{noun} must be today or in the past")
