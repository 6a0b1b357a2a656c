"""Test settings: whatever DATABASE_URL/REDIS_URL the environment gives, with fast hashing."""

import os
import re
import sys

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, REDIS_URL

# Under pytest-xdist (make pytest) each worker has its own test database (pytest-django names it
# test_<name>_gw0, ...) and here its own Redis database, so no worker takes another's Celery task or
# reads (or clears) another's cache keys: database 1 for gw0, 2 for gw1, ... Only in the pytest worker
# itself: a server a test starts (a Celery worker, runserver, a restore) inherits the variable but is
# given its own REDIS_URL, which it must use as it is.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and re.fullmatch(r"gw\d+", _XDIST_WORKER) and "pytest" in sys.modules:
    REDIS_URL = re.sub(
        r"(/\d*)?$", f"/{int(_XDIST_WORKER[2:]) % 15 + 1}", REDIS_URL.split("?")[0].rstrip("/"), count=1
    )
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

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
