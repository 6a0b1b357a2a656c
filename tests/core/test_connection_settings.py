"""Database connections (issue 19): kept for a minute and checked on PostgreSQL, per request on SQLite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import json, django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps([d['CONN_MAX_AGE'], d.get('CONN_HEALTH_CHECKS', False)]))"
)


def _settings(**env) -> list:
    """CONN_MAX_AGE and CONN_HEALTH_CHECKS as a fresh process reads them from this environment
    (nothing connects: the settings are only read)."""
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"}
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@db.invalid:5432/x"}, [60, True]),
        ({"DATABASE_URL": "postgres://u@db.invalid:5432/x", "CONN_MAX_AGE": "0"}, [0, True]),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, [0, False]),
    ],
)
def test_connection_reuse_defaults(env, expected):
    assert _settings(**env) == expected
