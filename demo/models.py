"""What seed_demo wrote: the record that this database holds the fictional demo, so seed_demo never
replaces a database holding anything else (issue 16)."""

from django.db import models


class DemoSeed(models.Model):
    """One row per seeding: when, and the range of audit entries the seeding itself wrote (clearing the
    demo removes those, never an entry it did not write)."""

    seeded_at = models.DateTimeField(auto_now_add=True)
    children = models.PositiveIntegerField(default=0)
    first_audit_id = models.BigIntegerField(default=0)
    last_audit_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-seeded_at"]

    def __str__(self) -> str:
        return f"Demo seeded {self.seeded_at:%Y-%m-%d %H:%M} ({self.children} children)"
