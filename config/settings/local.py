"""Local development: the embedded defaults (SQLite, eager Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The demo data and `seed_demo` (factory-boy, Faker): local and test settings only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
