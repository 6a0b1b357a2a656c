"""Writing a checked import set: teams, staff and children matched on name, email and case number; their
history matched on the old system's ids (ImportedRecord). A row whose record already holds its values
is left alone, so running the same files again changes nothing (ADR 0021).

The caller gives the transactions (ADR 0021): `people` (teams and staff) in one, then each child with all
of its rows in its own (`child`), then `staff_records` (onboarding.format.STAFF_KINDS). Each look-up is limited to the rows being
written, so a child's writes cost the same however many children are here. Each object is
`full_clean`ed without its foreign keys and uniqueness (a query each, per row), which the check
(onboarding.validate) and the look-ups here have already settled.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.models import Child, User
from core.audit import audit_record
from core.models import AuditEntry, Versioned

from ...format import BY_NAME, CHILD_KINDS
from ...models import ImportedRecord
from ...report import Report
from ...validate import Checked, Row

LEVEL_NAMES = ("rosh", "saw", "lor")
# A child's writes, in order (`children` writes the child, its co-workers and its levels).
CHILD_STEPS = ("children", *(kind for kind in CHILD_KINDS if kind != "levels"))
# The files whose rows may name a programme (by its old id).
PROGRAMME_REFS = ("assessments", "plans", "contacts", "crown_court", "hearings_awaited")


def clean_without_queries(obj: models.Model) -> None:
    """Field validation without the per-row queries (foreign keys and uniqueness are settled in bulk)."""
    fks = [f.name for f in obj._meta.fields if isinstance(f, models.ForeignKey)]
    obj.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)


def set_changed(obj: models.Model, values: dict) -> list[str]:
    """The fields whose value differs; set on the object."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


class BaseWriter:
    """One import's writes; `touched` collects the children whose obligations must be recomputed."""

    def __init__(self, checked: Checked, *, by: User | None, source_name: str):
        self.all_rows = checked.rows
        self.rows = checked.rows
        self.report: Report = checked.report
        self.by = by
        self.source = source_name
        self.now = timezone.now()
        self.touched: set[int] = set()
        # Staff whose own obligations (supervision, 000 §4.1) are worked out again after the import.
        self.workers: set[int] = set()
        self.staff_by_email: dict[str, int] = {}
        self.new_staff: list[User] = []
        self.children_audit: dict[int, str] = {}
        self.programme_refs: set[str] = set()
        self.child_pk: dict[str, int] = {}

    def count(self, kind: str, *, created=0, updated=0, unchanged=0) -> None:
        c = self.report.counts(kind)
        c.created += created
        c.updated += updated
        c.unchanged += unchanged

    def child(self, rows: dict[str, list[Row]]) -> None:
        """One child and all of its rows (in the caller's transaction for that child): `touched` is then
        the children whose obligations change."""
        self.rows = rows
        self.touched = set()
        self.children_audit = {}
        refs = {r["Programme ID"] for kind in PROGRAMME_REFS for r in rows.get(kind, []) if r["Programme ID"]}
        self.programme_refs = refs
        for kind in CHILD_STEPS:
            getattr(self, kind)()
        for child_id, what in self.children_audit.items():
            audit_record(
                user=self.by,
                action=AuditEntry.Action.CREATE if what == "created" else AuditEntry.Action.UPDATE,
                obj=Child(pk=child_id),
                child=Child(pk=child_id),
                description=f"Imported ({what}) from {self.source}",
            )

    def _by_external_id(
        self,
        kind: str,
        model,
        build: Callable[[Row], dict | None],
        *,
        history: bool,
        create_only: tuple[str, ...] = (),
    ) -> None:
        """Create each row's record, or update the one its id made before. `create_only` fields are set
        when the record is made and never compared again (a note naming the file it came from: a re-run
        of the same records from another file changes nothing)."""
        rows = self.rows.get(kind, [])
        if not rows:
            return
        keys = [row.values[self.key(kind)] for row in rows]
        mapping = dict(
            ImportedRecord.objects.filter(kind=kind, external_id__in=keys).values_list(
                "external_id", "object_id"
            )
        )
        existing = model.objects.in_bulk(list(mapping.values()))
        new, new_ids, changed, fields = [], [], [], set()
        unchanged = 0
        for row in rows:
            values = build(row)
            if values is None:
                continue
            ext = row.values[self.key(kind)]
            obj = existing.get(mapping.get(ext))
            if obj is None:
                obj = model(**values)
                clean_without_queries(obj)
                new.append(obj)
                new_ids.append(ext)
                continue
            names = set_changed(obj, {k: v for k, v in values.items() if k not in create_only})
            if names:
                clean_without_queries(obj)
                if isinstance(obj, Versioned):
                    # A form opened before the import is then refused, not saved over it (ADR 0009).
                    obj.version += 1
                    names.append("version")
                changed.append(obj)
                fields.update(names)
                self._touch(obj)
            else:
                unchanged += 1
        if history:
            bulk_create_with_history(new, model, batch_size=500, default_user=self.by, default_date=self.now)
        else:
            model.objects.bulk_create(new, batch_size=500)
        if changed and history:
            # Each correction is a version in the record's history, as a save through a form is.
            bulk_update_with_history(
                changed,
                model,
                sorted(fields),
                batch_size=500,
                default_user=self.by,
                default_change_reason=f"Corrected by the import from {self.source}"[:100],
                default_date=self.now,
            )
        elif changed:
            model.objects.bulk_update(changed, sorted(fields), batch_size=500)
        ImportedRecord.objects.filter(kind=kind, external_id__in=new_ids).delete()  # a record deleted since
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(kind=kind, external_id=e, object_id=o.pk)
                for e, o in zip(new_ids, new, strict=True)
            ],
            batch_size=1000,
        )
        for obj in new:
            self._touch(obj)
        self.count(kind, created=len(new), updated=len(changed), unchanged=unchanged)
        self.created_objects = new

    def _touch(self, obj: models.Model) -> None:
        """Note whose obligations the record changes: its child's, or (a supervision) its worker's."""
        child_id = getattr(obj, "child_id", None)
        if child_id:
            self.touched.add(child_id)
        supervisee_id = getattr(obj, "supervisee_id", None)
        if supervisee_id:
            self.workers.add(supervisee_id)

    @staticmethod
    def key(kind: str) -> str:
        return BY_NAME[kind].key

    def staff_pk(self, email: str | None) -> int | None:
        return self.staff_by_email.get(email) if email else None
