"""Records closed before retention existed get their closing day (issue 19).

The day is read from the child's history: the first version with `is_open` False after the last one
with it True; with no such history (a record loaded closed), the day the record was created. Runs once,
a batch at a time; a record closed later gets its row when it closes (retention/signals.py).
"""

from django.db import migrations
from django.utils import timezone


def closed_records(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    HistoricalChild = apps.get_model("cases", "HistoricalChild")
    RetentionReview = apps.get_model("retention", "RetentionReview")
    rows = []
    for child in Child.objects.filter(is_open=False).only("pk", "created_at").iterator(chunk_size=500):
        # Versions in the order they were written (history_id), the dates as each was dated.
        versions = HistoricalChild.objects.filter(id=child.pk).order_by("history_id")
        last_open = versions.filter(is_open=True).values_list("history_id", flat=True).last()
        closing = versions.filter(is_open=False)
        if last_open is not None:
            closing = closing.filter(history_id__gt=last_open)
        closed_at = closing.values_list("history_date", flat=True).first() or child.created_at
        rows.append(RetentionReview(child_id=child.pk, closed_on=timezone.localtime(closed_at).date()))
        if len(rows) >= 500:
            RetentionReview.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    RetentionReview.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(closed_records, migrations.RunPython.noop)]
