"""Writes for court tracking (003 §9-§10, App. C): one module per entity, re-exported here.

- `crown_court`: Crown Court tracking (003 §9): the screening, progress, management oversight, the end.
- `magistrates`: the Magistrates' Court awaiting-hearing list and its App. C screening (003 §10).
"""

from .crown_court import (
    BSS_MESSAGE,
    END_REASONS,
    PRINCIPLE_CODES,
    crown_court_end,
    crown_court_oversight,
    crown_court_progress,
    crown_court_start,
)
from .magistrates import (
    APP_C_FIELDS,
    awaiting_hearing_add,
    awaiting_hearing_respond,
    awaiting_hearing_screen,
)

__all__ = [
    "APP_C_FIELDS",
    "BSS_MESSAGE",
    "END_REASONS",
    "PRINCIPLE_CODES",
    "awaiting_hearing_add",
    "awaiting_hearing_respond",
    "awaiting_hearing_screen",
    "crown_court_end",
    "crown_court_oversight",
    "crown_court_progress",
    "crown_court_start",
]
