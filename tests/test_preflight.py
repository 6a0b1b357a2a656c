"""scripts/preflight.sh, the first step of `make test` and `make demo`: with something missing it names it
(and the apt-get command) in one line and stops at once, or, as root with apt-get, installs it.

Each run gets a PATH of stand-ins only (so what is "installed" is decided here, not by the machine):
Python, node, npm, make, fc-list (Liberation Sans), PostgreSQL's initdb (in a stand-in POSTGRESQL_LIB), and,
for the root case, id and apt-get.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "preflight.sh"
BASH = shutil.which("bash")


def stand_in(bin_dir: Path, name: str, body: str = "exit 0") -> None:
    """An executable shell script called `name` in bin_dir."""
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def machine(tmp_path: Path, *, missing=(), libs_missing=()) -> tuple[Path, dict]:
    """A bin directory with every tool preflight asks for except `missing`, and the environment to run it in:
    a Python that reports 3.11+, a working venv and `libs_missing` as the libraries the loader cannot find;
    Chromium at an executable CHROMIUM_PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "grep"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    probe = "echo 'python ok'" + "".join(f"; echo 'lib {lib}'" for lib in libs_missing)
    stand_in(bin_dir, "python3", probe)
    stand_in(bin_dir, "fc-list", "echo 'Liberation Sans'")
    for tool in ("node", "npm", "make", "redis-server"):
        if tool not in missing:
            stand_in(bin_dir, tool)
    stand_in(bin_dir, "chromium")
    postgresql = tmp_path / "postgresql"  # Debian's /usr/lib/postgresql/<version>/bin
    if "initdb" not in missing:
        (postgresql / "15" / "bin").mkdir(parents=True)
        stand_in(postgresql / "15" / "bin", "initdb")
    env = {
        "PATH": str(bin_dir),
        "CHROMIUM_PATH": str(bin_dir / "chromium"),
        "PYTHON": "python3",
        "POSTGRESQL_LIB": str(postgresql),
    }
    return bin_dir, env


def run(env: dict, purpose: str = "test") -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run(
        [BASH, str(SCRIPT), purpose], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    return done, time.monotonic() - started


def test_nothing_missing_says_nothing(tmp_path):
    _, env = machine(tmp_path)
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_missing_chromium_stops_at_once_with_one_line(tmp_path):
    """Not root (PREFLIGHT_INSTALL=0) and CHROMIUM_PATH pointing nowhere: exit 1 in seconds, one line."""
    _, env = machine(tmp_path)
    done, seconds = run({**env, "PREFLIGHT_INSTALL": "0", "CHROMIUM_PATH": "/nonexistent/chromium"})
    assert done.returncode == 1 and seconds < 5 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "make test needs: an executable Chromium at CHROMIUM_PATH=/nonexistent/chromium"
    ]


def test_missing_packages_are_named_with_the_command_that_installs_them(tmp_path):
    _, env = machine(tmp_path, missing=("node", "npm"), libs_missing=("libpango-1.0-0",))
    done, seconds = run({**env, "PREFLIGHT_INSTALL": "0"})
    assert done.returncode == 1 and seconds < 5
    assert done.stderr.splitlines() == [
        "make test needs: libpango-1.0-0, nodejs, npm "
        "(as root: apt-get install --no-install-recommends libpango-1.0-0 nodejs npm)"
    ]


def test_the_demo_does_not_need_chromium(tmp_path):
    _, env = machine(tmp_path, missing=("make",))
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0", "CHROMIUM_PATH": "/nonexistent/chromium"}, "demo")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "make demo needs: make (as root: apt-get install --no-install-recommends make)"
    ]


def test_as_root_it_installs_with_apt_get_and_checks_again(tmp_path):
    """Root with apt-get: update, then install without recommended packages; what it installed passes."""
    bin_dir, env = machine(tmp_path, missing=("node", "npm"))
    log = tmp_path / "apt.log"
    stand_in(bin_dir, "id", "echo 0")
    stand_in(
        bin_dir,
        "apt-get",
        f'echo "$DEBIAN_FRONTEND $*" >> {log}\n'
        f'case "$1" in install) for t in node npm; do printf "#!/bin/sh\\n" > {bin_dir}/$t; '
        f"chmod +x {bin_dir}/$t; done;; esac",
    )
    done, _ = run(env)
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == [
        "noninteractive update -qq",
        "noninteractive install -y -qq --no-install-recommends nodejs npm",
    ]


def test_as_root_a_failed_install_still_names_what_is_missing(tmp_path):
    bin_dir, env = machine(tmp_path, missing=("make",))
    stand_in(bin_dir, "id", "echo 0")
    stand_in(bin_dir, "apt-get", "exit 100")
    done, _ = run(env)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "make test needs: make (as root: apt-get install --no-install-recommends make)"
    )


def test_the_fault_tests_redis_server_is_asked_for(tmp_path):
    """`make test` needs redis-server (tests/faults/ start their own); `make demo` does not."""
    _, env = machine(tmp_path, missing=("redis-server",))
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"})
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "make test needs: redis-server (as root: apt-get install --no-install-recommends redis-server)"
    )
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"}, "demo")
    assert done.returncode == 0 and done.stderr == ""


def test_the_fault_tests_postgresql_is_asked_for(tmp_path):
    """`make test` needs PostgreSQL's initdb (tests/faults/ start a cluster of their own); `make demo` does
    not. Debian's versioned folder or the PATH will do."""
    bin_dir, env = machine(tmp_path, missing=("initdb",))
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"})
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "make test needs: postgresql (as root: apt-get install --no-install-recommends postgresql)"
    )
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"}, "demo")
    assert done.returncode == 0 and done.stderr == ""
    stand_in(bin_dir, "initdb")
    done, _ = run({**env, "PREFLIGHT_INSTALL": "0"})
    assert done.returncode == 0 and done.stderr == ""
