#!/usr/bin/env bash
# Preflight for the README's two commands: are the system packages there that `make test` (or `make demo`)
# needs besides what pip and npm install? This is the one list of them: the Makefile and .ci/run run it.
#
#   scripts/preflight.sh [test|demo]
#
# test: Chromium (the browser tests; CHROMIUM_PATH, default /usr/bin/chromium); Pango, PangoFT2 and
#       HarfBuzz's subsetter (WeasyPrint's PDFs); Liberation Sans (the PDFs' typeface); Node and npm (the
#       assets); make; redis-server and PostgreSQL's initdb/pg_ctl (the fault tests start their own);
#       and, until .venv exists, a Python 3.11+ that can make a virtualenv.
# demo: the same without Chromium, redis-server and PostgreSQL.
#
# When something is missing and we are root with apt-get, it is installed (quietly, no recommended
# packages) and checked again. Otherwise, or if that did not help, one line on stderr says exactly what
# to install, and the script exits 1 at once. PREFLIGHT_INSTALL=0 never installs (as if not root).
set -uo pipefail

purpose=${1:-test}
case $purpose in
  test | demo) ;;
  *)
    echo "usage: $0 [test|demo]" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
python=${PYTHON:-python3}
# Where Debian keeps PostgreSQL's server programs (initdb, pg_ctl), one folder per version.
postgresql_lib=${POSTGRESQL_LIB:-/usr/lib/postgresql}

# One run of Python: is it 3.11+, can it make a virtualenv (Debian keeps ensurepip in python3-venv), and
# does the dynamic loader find the libraries WeasyPrint loads by name at run time (asked as it will ask)?
probe='
import ctypes.util
import sys

print("python", "ok" if sys.version_info >= (3, 11) else "%d.%d" % sys.version_info[:2])
try:
    import ensurepip, venv
except ImportError:
    print("venv missing")
for name, package in [
    ("pango-1.0", "libpango-1.0-0"),
    ("pangoft2-1.0", "libpangoft2-1.0-0"),
    ("harfbuzz-subset", "libharfbuzz-subset0"),
]:
    if not ctypes.util.find_library(name):
        print("lib", package)
'

# Fill `packages` (Debian names, for apt-get) and `notes` (what no package fixes) with what is missing.
check() {
  packages=()
  notes=()
  if [[ $purpose == test && ! -x $chromium ]]; then
    if [[ $chromium == /usr/bin/chromium ]]; then
      packages+=(chromium)
    else
      notes+=("an executable Chromium at CHROMIUM_PATH=$chromium")
    fi
  fi
  if ! command -v "$python" >/dev/null 2>&1; then
    packages+=(python3 python3-venv)
  else
    local out key value
    if out=$("$python" -c "$probe" 2>/dev/null); then
      while read -r key value; do
        case $key in
          lib) packages+=("$value") ;;
          python) [[ $value == ok || -x .venv/bin/python ]] || notes+=("Python 3.11 or later as $python (it is $value)") ;;
          venv) [[ -x .venv/bin/python ]] || packages+=(python3-venv) ;;
        esac
      done <<<"$out"
    else
      notes+=("Python 3.11 or later as $python (it does not run)")
    fi
  fi
  if ! compgen -G '/usr/share/fonts/truetype/liberation*/LiberationSans-Regular.ttf' >/dev/null &&
    ! { command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -qi 'Liberation Sans'; }; then
    packages+=(fonts-liberation)
  fi
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  command -v make >/dev/null 2>&1 || packages+=(make)
  # The fault tests start and kill a redis-server and a PostgreSQL cluster of their own (tests/faults/).
  [[ $purpose == test ]] && ! command -v redis-server >/dev/null 2>&1 && packages+=(redis-server)
  if [[ $purpose == test ]] && ! compgen -G "$postgresql_lib/*/bin/initdb" >/dev/null &&
    ! command -v initdb >/dev/null 2>&1; then
    packages+=(postgresql)
  fi
  return 0
}

# The one line: what is missing, and the command that installs it.
report() {
  local what="" item
  for item in "${packages[@]}" "${notes[@]}"; do
    what+="${what:+, }$item"
  done
  local line="make $purpose needs: $what"
  if ((${#packages[@]})); then
    line+=" (as root: apt-get install --no-install-recommends ${packages[*]})"
  fi
  echo "$line" >&2
}

check
((${#packages[@]} + ${#notes[@]})) || exit 0

if ((${#packages[@]})) && [[ ${PREFLIGHT_INSTALL:-1} != 0 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "preflight: installing ${packages[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  hash -r
  check
  ((${#packages[@]} + ${#notes[@]})) || exit 0
fi
report
exit 1
