"""The audit log pages by (at, id), filtered by member of staff or child (issue 19, ADR 0015).

The new indexes are built before the ones they replace are dropped, so the log is never without one;
the index on `at` alone is dropped too ((at, id) serves everything it did). No entry is changed, so the
hash chain (core/audit_chain.py) is untouched.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_staff_change"),
        ("core", "0004_audit_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["at", "id"], name="auditentry_at_id"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["child", "at", "id"], name="auditentry_child_at_id"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["user", "at", "id"], name="auditentry_user_at_id"),
        ),
        migrations.RemoveIndex(
            model_name="auditentry",
            name="cases_audit_child_i_64140a_idx",
        ),
        migrations.RemoveIndex(
            model_name="auditentry",
            name="cases_audit_user_id_e3745c_idx",
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(auto_now_add=True),
        ),
    ]
