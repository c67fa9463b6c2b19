# Shared settings for the project's scripts. Everything lives under the project root;
# services listen on 127.0.0.1 only.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
CKAN="$VENV/bin/ckan"
PYTHON_BIN="${PYTHON_BIN:-python3}"
CKAN_VERSION="${CKAN_VERSION:-2.11.6}"
PG_USER=ckan_default
PG_PASSWORD=pass
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
SOLR_PORT="${SOLR_PORT:-8983}"
SOLR_VERSION="${SOLR_VERSION:-9.10.1}"
CKAN_PORT="${CKAN_PORT:-5000}"

log() { printf '\033[1m[partnercity]\033[0m %s\n' "$*"; }
die() { printf '[partnercity] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local i
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not come up within ${seconds}s"
}

# wait_started NAME PIDFILE LOG SECONDS CHECK...: wait until CHECK succeeds; if the process
# dies or time runs out, show the end of its log and fail.
wait_started() {
  local name="$1" pidfile="$2" logfile="$3" seconds="$4" i
  shift 4
  for ((i = 0; i < seconds * 2; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    pid_alive "$pidfile" || { tail -n 40 "$logfile" >&2; die "$name exited during start-up"; }
    sleep 0.5
  done
  "$@" >/dev/null 2>&1 || { tail -n 40 "$logfile" >&2; die "$name did not answer within ${seconds}s"; }
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pidfile NAME PIDFILE: stop the process and wait until it is gone (its port is free).
stop_pidfile() {
  local name="$1" pidfile="$2" i
  if pid_alive "$pidfile"; then
    kill "$(cat "$pidfile")"
    for ((i = 0; i < 40; i++)); do pid_alive "$pidfile" || break; sleep 0.5; done
    pid_alive "$pidfile" && kill -9 "$(cat "$pidfile")"
    log "stopped $name"
  fi
  rm -f "$pidfile"
}

mkdir -p "$LOCAL"
