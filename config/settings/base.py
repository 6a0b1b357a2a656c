"""Settings shared by every environment, read from the environment with django-environ.

DATABASE_URL selects PostgreSQL (or any database); without it the embedded default is SQLite in
the project folder. REDIS_URL selects a real Celery broker and cache; without it tasks run eagerly.
"""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = env("SERVICE_NAME", default="Youth Justice Case Management")
# Which service's policy tables drive the timescales (cases/rules/policies/<profile>.toml).
POLICY_PROFILE = env("POLICY_PROFILE", default="nottinghamshire")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "rules",
    "csp",
    "core",
    "cases",
    "meetings",
    "supervision",
    "courts",
    "transfers",
    "mappa",
    "alerts",
    "dashboards",
    # Subject access requests (UK GDPR Art. 15): a child's whole record exported (issue 19).
    "records",
    "retention",
    # The YJB's key performance indicators: their facts (outcomes) and figures (kpis), issue 21.
    "outcomes",
    "kpis",
    # Bringing a service in: import its staff, teams and open cases (issue 22, ADR 0021).
    "onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Security headers (issue 18, ADR 0012; settings in the "Security headers" block below):
    # Content-Security-Policy with a per-request nonce for base.html's one inline script.
    "csp.middleware.CSPMiddleware",
    # A NUL in a query string is dropped before any view reads it (PostgreSQL refuses one).
    "core.headers.StripNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store for signed-in users (after authentication).
    "core.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # One submission per form (ADR 0009): after authentication and messages; the view's transaction
    # (ATOMIC_REQUESTS) nests in the one it opens.
    "core.submissions.SubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "alerts.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A SQLite "connection" is a file handle: nothing to save by keeping it (issue 19).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    # The embedded default holds a few users at once (issue 16): WAL lets pages read beside the one
    # writer, IMMEDIATE transactions take the write lock when they begin (no failed upgrade from a read
    # lock), and a writer waits up to 20 s for it rather than answering "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Each worker keeps its PostgreSQL connection for a minute instead of opening one per request
    # (a few ms of TCP, authentication and backend start each time; issue 19). Django checks a kept
    # connection before each request reuses it, so one the server dropped (a restart, a failover) is
    # replaced rather than failing the request. CONN_MAX_AGE=0 restores a connection per request
    # (behind PgBouncer in transaction mode, for instance). docs/operations.md.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    # A database that is down or frozen fails a request in seconds instead of hanging it (issue 16).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
            "options": f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT_MS', default=30000)}",
        }
    )

AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Named permissions (django-rules): each app's permissions.py, e.g. "meetings.view_service_wide".
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request (sensitive personal data on screen).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): five failures lock that username from that address for 30 minutes,
# and (against password spraying, ADR 0011) twenty failures from one address, whatever the usernames,
# lock that address. axes has one AXES_FAILURE_LIMIT for every parameter set; the address's own limit
# is applied by accounts.lockout.LockoutHandler.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
# Behind N reverse proxies, the client's address is the Nth entry from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Security headers (issue 18, ADR 0012): the Content-Security-Policy, Permissions-Policy and the rest.
from .headers import *  # noqa: E402, F403

# --- Two-factor sign-in and staff passwords (accounts/, ADR 0011) ---------------------------------
# Every member of staff enrols an authenticator app (TOTP, django-otp) at first sign-in and gives its
# code after the password; backup codes are django-otp static tokens. Off by default so the demo and
# local development sign in with a password alone; production settings turn it on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
# Authentication backends whose sign-in already proved a second factor (a council's OpenID Connect
# provider that reports MFA, ADR 0011): a session they signed in is not asked for a code. None yet.
TWO_FACTOR_TRUSTED_BACKENDS: list[str] = []
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static", "accounts"]
_after_authentication = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_authentication:_after_authentication] = [
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "accounts.middleware.TwoFactorMiddleware",  # signed in but no code yet: to the code (or set-up) page
]
OTP_TOTP_ISSUER = SERVICE_NAME
# A manager's password reset link works once (Django's token generator) and for a day at most.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# ---------------------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Embedded default: no broker, tasks run in-process, so a newcomer needs nothing installed.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# At least once (issue 16): a task whose worker process dies is re-queued, not acknowledged, and a
# worker takes one task at a time; Redis re-delivers an unacknowledged task after the visibility
# timeout (longer than the longest task, the weekly recomputation, about a minute at 5,000 children).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1800}
# Bulk PDF re-renders go to their own queue, so a backlog after an outage never delays a person's
# work (the sweeps, emails) on the default queue. Run the worker with `-Q celery,bulk`.
CELERY_TASK_ROUTES = {
    "meetings.tasks.meeting_record_render": {"queue": "bulk"},
    "supervision.tasks.case_discussion_render": {"queue": "bulk"},
    "supervision.tasks.supervision_record_render": {"queue": "bulk"},
    "alerts.tasks.pdf_renders_retry": {"queue": "bulk"},
}
# Days a finished import run keeps its report and uploaded file (onboarding; docs/operations.md).
SERVICE_IMPORT_KEEP_DAYS = env.int("SERVICE_IMPORT_KEEP_DAYS", default=30)
CELERY_BEAT_SCHEDULE = {
    # The tamper-evident audit log (issue 18): entries sealed into the chain, and the chain verified.
    "audit-seal": {
        "task": "core.tasks.audit_seal",
        "schedule": crontab(minute="*/5"),
    },
    "audit-verify": {
        "task": "core.tasks.audit_verify",
        "schedule": crontab(hour=5, minute=30),
    },
    # The whole chain, through the archive, once a week; the months older than AUDIT_KEEP_LIVE_MONTHS
    # moved to the archive on the 1st (ADR 0018).
    "audit-verify-archive": {
        "task": "core.tasks.audit_verify",
        "schedule": crontab(hour=4, minute=45, day_of_week="sunday"),
        "kwargs": {"archive": True},
    },
    "audit-archive": {
        "task": "core.tasks.audit_archive",
        "schedule": crontab(hour=3, minute=20, day_of_month="1"),
    },
    # The outbox relay (ADR 0010): emails and renders recorded but not yet delivered are published again.
    "outbox-relay": {
        "task": "core.tasks.outbox_relay",
        "schedule": 60.0,
    },
    # The safety net: every child's and worker's obligations recomputed from their records, weekly.
    # Statuses move with the date every day through the alerts sweep, which re-judges every obligation
    # from the facts stored at its last recomputation (cases/services/rejudge.py, ADR 0007).
    "obligations-refresh-all": {
        "task": "cases.tasks.obligations_refresh_all",
        "schedule": crontab(hour=1, minute=5, day_of_week="sun"),
    },
    # 001 §8: the development manager's quarterly share of the MAPPA register, as a task (idempotent).
    "mappa-share-task-ensure": {
        "task": "mappa.tasks.mappa_share_task_ensure",
        "schedule": crontab(hour=6, minute=30),
    },
    # Alerts (alerts/): re-judge every open obligation and raise due-soon / overdue / escalation alerts
    # before the working day starts, then email each user's digest.
    "alerts-sweep-daily": {
        "task": "alerts.tasks.alerts_sweep_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    # Hour-based rules (24/48/72 hours) fall due at a time of day, so they are judged every hour.
    "alerts-sweep-hourly": {
        "task": "alerts.tasks.alerts_sweep_hourly",
        "schedule": crontab(minute=15),
    },
    "digests-send": {
        "task": "alerts.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # Import runs' reports (which quote names and dates of birth) and uploads cleared after
    # SERVICE_IMPORT_KEEP_DAYS (onboarding, ADR 0021).
    "service-import-runs-expire": {
        "task": "onboarding.tasks.service_import_runs_expire_task",
        "schedule": crontab(hour=2, minute=40),
    },
    # An import whose queueing was lost, or whose worker died part-way, is started again (ADR 0021).
    "service-import-runs-resume": {
        "task": "onboarding.tasks.service_import_runs_resume_task",
        "schedule": crontab(minute="*/5"),
    },
    # Form submissions older than a day are forgotten (core/submissions.py: a resend comes within seconds).
    "submissions-prune": {
        "task": "core.tasks.submissions_prune",
        "schedule": crontab(hour=2, minute=20),
    },
    # Notifications past their period are deleted in chunks (alerts/pruning.py, issue 19), at night.
    "notifications-prune": {
        "task": "alerts.tasks.notifications_prune",
        "schedule": crontab(hour=2, minute=40),
    },
    # CMM records and case discussion records whose PDF render failed are queued again.
    "pdf-renders-retry": {
        "task": "alerts.tasks.pdf_renders_retry",
        "schedule": crontab(minute=40),
    },
}

# Alerts: how many working days before the due date an obligation is "due soon", per obligation code
# (the longest matching prefix wins; "" is the default), and when overdue work goes to the service manager.
ALERT_LEAD_WORKING_DAYS = {
    "": 2,
    "cmm.": 5,  # a CMM needs ten working days' notice to book (001 §6.2), so warn a week ahead
    "assetplus.": 5,
    "supervision.": 5,
    "mappa.": 5,
}
# Hour-based obligations (24/48/72 hours) are "due soon" this many hours before their time.
ALERT_LEAD_HOURS = env.int("ALERT_LEAD_HOURS", default=8)
ALERT_ESCALATE_AFTER_WORKING_DAYS = env.int("ALERT_ESCALATE_AFTER_WORKING_DAYS", default=5)
# How long notifications are kept (alerts/pruning.py, issue 19, docs/operations.md): a read one this
# many days after it was read (a quarter: enough to look back over a supervision period), an unread one
# this many days after it was raised (a year). Never while its work is still outstanding.
NOTIFICATIONS_KEEP_READ_DAYS = env.int("NOTIFICATIONS_KEEP_READ_DAYS", default=90)
NOTIFICATIONS_KEEP_UNREAD_DAYS = env.int("NOTIFICATIONS_KEEP_UNREAD_DAYS", default=365)
# The service's address, for links in emails (the digest), which are read outside any request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="case-management@yjs.invalid")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A mail server that hangs must not hold an outbox row's lock (or a worker) for long: the message fails,
# is recorded as "failed, retrying" and goes again later (ADR 0010).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The key of the audit log's hash chain (core/audit_chain.py); the SECRET_KEY when not set. Never rotate
# it without verifying the chain first and recording the rotation: entries sealed under the old key no
# longer verify under a new one.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", default="")
# Whole months the audit log keeps live before the monthly job moves older entries to the archive
# (core/audit_archive.py, ADR 0018): with the current month, 12 keeps a year ago today on the log page.
AUDIT_KEEP_LIVE_MONTHS = env.int("AUDIT_KEEP_LIVE_MONTHS", default=12)
# Stored documents are a database column (core.Document); files an operator keeps under MEDIA_ROOT, if
# set, are archived beside the database by `manage.py backup`.
MEDIA_ROOT = env("MEDIA_ROOT", default="")
# Where `manage.py backup` writes its archives unless --output says otherwise (docs/operations.md).
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "backups"))
# The salt of an erasure tombstone's case number hash (retention/erasure.py, HMAC-SHA256); the SECRET_KEY
# when not set. Set it once and never change it: a tombstone is checked against a known case number by
# hashing it again with the same salt.
ERASURE_HASH_SALT = env("ERASURE_HASH_SALT", default="")
CALENDAR_UID_DOMAIN = env("CALENDAR_UID_DOMAIN", default="yjs.invalid")
# 001 §8: MAPPA level 1 minutes go to the MAPPA Co-ordination Unit by secure email.
MAPPA_UNIT_EMAIL = env("MAPPA_UNIT_EMAIL", default="mappa-unit@yjs.invalid")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
