"""Writes for the cases app (architecture.md): one module per area, the record basics re-exported here.

Area modules (assessments, plans, contacts, allocation, leave, programmes) are imported by name:
`from cases.services import assessments`.
"""

from .core import (
    child_obligations_refresh,
    child_obligations_refresh_on_commit,
    event_correct,
    event_create,
    worker_obligations_refresh,
    worker_obligations_refresh_on_commit,
)

__all__ = [
    "child_obligations_refresh",
    "child_obligations_refresh_on_commit",
    "event_create",
    "event_correct",
    "worker_obligations_refresh",
    "worker_obligations_refresh_on_commit",
]
