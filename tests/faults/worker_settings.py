"""Settings for the processes of the sweep fault tests (tests/faults/test_sweep_faults.py): the test
settings, plus

- the test-only fault hook (`tests/faults/sweep_hook.py`), imported by the Celery worker as it starts,
  never by the product;
- with FAULTS_VISIBILITY_TIMEOUT, a visibility timeout of that many seconds instead of 30 minutes, and a
  look for abandoned tasks every second, so Redis re-delivers a killed worker's task while the test waits;
- `seed_demo` allowed with DEBUG off (a throwaway database of the tests' own).
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS, env

CELERY_IMPORTS = ["tests.faults.sweep_hook"]
if env("FAULTS_VISIBILITY_TIMEOUT", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": env.int("FAULTS_VISIBILITY_TIMEOUT"),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
ALLOW_DEMO_SEED = True
