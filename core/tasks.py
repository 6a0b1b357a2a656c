"""Celery tasks for core: thin wrappers named after the services they call, run by beat
(config/settings/base.py). Idempotent: safe to run twice. The outbox's delivery and relay are defined
in core/outbox.py and imported here so Celery finds them."""

from celery import shared_task

from . import audit_archive as archive
from . import audit_chain as chain
from .outbox import outbox_deliver, outbox_relay
from .services import submissions_prune as prune

__all__ = [
    "audit_archive",
    "audit_seal",
    "audit_verify",
    "outbox_deliver",
    "outbox_relay",
    "submissions_prune",
]


@shared_task
def submissions_prune() -> int:
    """Forget saved form submissions older than the window a resend comes in (core/submissions.py)."""
    return prune()


@shared_task
def audit_seal() -> int:
    """Seal the audit entries written more than five minutes ago into the chain (core/audit_chain.py)."""
    return chain.audit_seal()


@shared_task
def audit_verify(archive: bool = False) -> dict:
    """Walk the audit chain and record the result for the audit log page (core/audit_chain.py); with
    `archive`, from the first entry ever written through the archive (weekly)."""
    result = chain.audit_verify(archive=archive)
    return {"entries": result.entries, "ok": result.ok, "problem": result.problem}


@shared_task
def audit_archive() -> dict:
    """Move the audit log's months older than AUDIT_KEEP_LIVE_MONTHS to the archive (monthly; ADR 0018).
    A broken chain is not archived: the refusal is logged and the verification shows where it breaks."""
    try:
        result = archive.audit_archive(before=archive.default_before())
    except archive.ArchiveRefused as exc:
        return {"entries": 0, "refused": str(exc)}
    return {"entries": result.entries, "to_id": result.to_id, "months": result.months}
