"""The audit log's writes: who saw or changed which record, and when (ADR 0002). Append-only."""

from .models import AuditEntry


def _append(
    *, user, action, object_type: str, object_id: str, description: str, child=None, path=""
) -> AuditEntry:
    """Append one entry, naming who acted as they are named now (their name is kept with it)."""
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=actor,
        user_name=(actor.get_full_name() or actor.get_username())[:150] if actor else "",
        action=action,
        child=child,
        object_type=object_type,
        object_id=object_id,
        description=description[:300],
        path=path[:300],
    )


def audit_record(*, user, action, obj, description, child=None, path="") -> AuditEntry:
    """Append one audit entry: who did what to which record, and when."""
    return _append(
        user=user,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        description=description,
        child=child,
        path=path,
    )


def child_view_audit(*, user, child, page, path="") -> AuditEntry:
    """Record that a user looked at a child's record (every view is audited)."""
    return audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=child,
        child=child,
        description=f"Viewed {page}",
        path=path,
    )


def list_view_audit(
    *, user, page: str, shown: int | None = None, filters: dict | None = None, path: str = ""
) -> AuditEntry:
    """Record that a user looked at a list, dashboard or export that shows children (issue 18): which
    one, how many it showed and the filters chosen. A search's words are never copied (they may be a
    child's name): only that a search was used."""
    chosen = []
    for name, value in (filters or {}).items():
        if value in (None, "", [], ()):
            continue
        chosen.append(f"{name} used" if name == "search" else f"{name} {value}")
    what = f"Listed {page}: {shown} shown" if shown is not None else f"Viewed {page}"
    description = what + (f" ({', '.join(chosen)})" if chosen else "")
    return _append(
        user=user,
        action=AuditEntry.Action.VIEW,
        object_type="list",
        object_id=page[:40],
        description=description,
        path=path,
    )


def children_view_audit(*, user, children, page: str, path: str = "") -> list[AuditEntry]:
    """Record that a user looked at several children's records on one page (a Record of Supervision's
    case discussions): an entry per child, as `child_view_audit` writes, in one insert."""
    actor = user if getattr(user, "is_authenticated", False) else None
    entries = [
        AuditEntry(
            user=actor,
            user_name=(actor.get_full_name() or actor.get_username())[:150] if actor else "",
            action=AuditEntry.Action.VIEW,
            child=child,
            object_type=child._meta.model_name,
            object_id=str(child.pk),
            description=f"Viewed {page}"[:300],
            path=path[:300],
        )
        for child in children
    ]
    return AuditEntry.objects.bulk_create(entries) if entries else []
