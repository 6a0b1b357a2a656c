"""Settings: production refuses a default secret and is clean under check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env):
    """Run manage.py with production settings and the given environment."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_default_secret():
    """Without a real SECRET_KEY production settings will not start."""
    result = _run(["check"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_short_secret():
    """A short or insecure-prefixed key is refused too."""
    assert _run(["check"], SECRET_KEY="short").returncode != 0
    assert _run(["check"], SECRET_KEY="django-insecure-" + "x" * 60).returncode != 0


def test_check_deploy_clean():
    """`check --deploy` reports no issues with a real secret."""
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="k" * 30 + "Zq9#xP2!mW4$vL7&" + "r" * 20,
        ALLOWED_HOSTS="yjs.example.org",
    )
    assert result.returncode == 0, result.stderr
