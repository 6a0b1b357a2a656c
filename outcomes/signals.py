"""Takes a child's KPI snapshots when a programme starts or ends (issue 21).

The case work saves programmes (cases/services/programmes.py); this app listens rather than being called,
so the layers below never know it exists (ADR 0008), as retention/ does for a record closing. The refresh
runs in the saving transaction, before the programme's timeline event queues the obligations."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.models import Programme

from .snapshots import child_snapshots_refresh


@receiver(post_save, sender=Programme, dispatch_uid="outcomes.programme_saved")
def programme_saved(sender, instance: Programme, raw=False, **kwargs) -> None:
    """Any save of a programme (started, closed, corrected) retakes the child's snapshots."""
    if raw:
        return
    child_snapshots_refresh(child_id=instance.child_id)
