#!/usr/bin/env bash
# The system packages `make test` needs, beyond Python, make, git and npm:
#   - a Chromium or Chrome for the browser tests: $NOIMPUNITY_BROWSER when set, else the first
#     of chromium, chromium-browser, google-chrome, google-chrome-stable that runs;
#   - Java for the Nu Html Checker (vnu.jar);
#   - while the test environment (.venv) lacks PyICU: what building it takes. PyICU, pulled in by
#     the followthemoney library that checks the FollowTheMoney export, is published as source
#     only: it needs a C++ compiler, pkg-config, ICU's headers and Python's.
# What is missing is installed with apt-get when this runs as root on Debian or Ubuntu;
# otherwise the script stops, naming the packages and the command that installs them.
# `make test` runs it first (CI too); `make site` needs none of this.
set -euo pipefail

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
BROWSERS=(chromium chromium-browser google-chrome google-chrome-stable)

distribution() {
  # shellcheck disable=SC1091
  (. /etc/os-release 2>/dev/null && echo "${ID:-unknown}") || echo unknown
}

browser_found() {
  if [ -n "${NOIMPUNITY_BROWSER:-}" ]; then
    if ! "$NOIMPUNITY_BROWSER" --version >/dev/null 2>&1; then
      echo "NOIMPUNITY_BROWSER=$NOIMPUNITY_BROWSER does not run ('$NOIMPUNITY_BROWSER --version' fails)" >&2
      exit 1
    fi
    return 0
  fi
  local name
  for name in "${BROWSERS[@]}"; do
    command -v "$name" >/dev/null 2>&1 && "$name" --version >/dev/null 2>&1 && return 0
  done
  return 1
}

# The package that provides Python.h for $PYTHON, when it is Debian's or Ubuntu's own Python.
python_headers_package() {
  "$PYTHON" - <<'EOF'
import os, sys, sysconfig
if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")):
    print("")
elif sys.base_prefix == "/usr":
    print(f"python{sys.version_info.major}.{sys.version_info.minor}-dev")
else:
    print(f"unknown: the Python at {sys.base_prefix} has no headers (Python.h)")
EOF
}

missing=()
browser_found || case "$(distribution)" in
  ubuntu) missing+=(chromium-browser) ;;
  *) missing+=(chromium) ;;
esac
command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ! { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import icu" >/dev/null 2>&1; }; then
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  pkg-config --exists icu-i18n 2>/dev/null || missing+=(libicu-dev)
  headers=$(python_headers_package)
  case "$headers" in
    "") ;;
    unknown:*)
      echo "make test: ${headers#unknown: } to build PyICU with; use a Python that has them" >&2
      exit 1
      ;;
    *) missing+=("$headers") ;;
  esac
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  {
    echo "make test needs these system packages, which are missing: ${missing[*]}"
    echo "  (a browser for the browser tests, Java for the HTML checker, and while .venv has no"
    echo "   PyICU the tools to build it; see scripts/system-packages.sh)"
    if command -v apt-get >/dev/null 2>&1; then
      echo "Install them, then run make test again:"
      echo "  sudo apt-get install -y ${missing[*]}"
    else
      echo "This machine has no apt-get: install them with its package manager, then run make test"
      echo "again (NOIMPUNITY_BROWSER=/path/to/chrome names a browser installed elsewhere)."
    fi
  } >&2
  exit 1
fi

echo "make test: installing the system packages the tests need: ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "make test: apt-get could not install ${missing[*]} (its output is above)" >&2
  exit 1
fi
