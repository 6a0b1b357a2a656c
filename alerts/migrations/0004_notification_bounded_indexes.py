"""Notifications stay fast at any age (issue 19): a partial index of each user's unread ones for the
header's capped count and the unread list, and one by age for pruning (alerts.services.notifications_prune).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_waiting_kind"),
        ("cases", "0010_staff_change"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["recipient", "created_at", "id"],
                name="notification_unread",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["created_at"], name="notification_created"),
        ),
    ]
