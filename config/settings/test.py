"""Test settings: whatever DATABASE_URL/REDIS_URL the environment gives, with fast hashing."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

# The factories and the demo's tests (demo/); production has neither.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests set up lockouts deliberately; keep the default limit so the throttling test is real.
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run inline in tests unless a test starts a real worker against Redis (tests/cases/test_tasks.py).
CELERY_TASK_ALWAYS_EAGER = True
