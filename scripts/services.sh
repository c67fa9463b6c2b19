#!/usr/bin/env bash
# Start, stop or show the services CKAN needs: PostgreSQL and Redis (Debian packages)
# and Solr 9 (jars from Maven Central, run by scripts/solr/SolrLauncher.java), all on 127.0.0.1.
# Usage: scripts/services.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SOLR_DIR="$LOCAL/solr"
SOLR_HOME="$SOLR_DIR/home"
SOLR_PID="$SOLR_DIR/solr.pid"
SOLR_LOG="$SOLR_DIR/solr.log"
# Extra databases/cores (PARTNERCITY_EXTRA_STORES="a b") let parallel checkouts test side by side.
# shellcheck disable=SC2206
STORES=(ckan ckan_test ckan_browser ${PARTNERCITY_EXTRA_STORES:-})
SOLR_CORES=("${STORES[@]}")
REDIS_DIR="$LOCAL/redis"
REDIS_PID="$REDIS_DIR/redis.pid"

pg_cluster() { pg_lsclusters -h | awk 'NR==1 {print $1, $2}'; }
pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
psql_pg() { runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }

start_postgres() {
  local cluster
  cluster="$(pg_cluster)"
  [ -n "$cluster" ] || die "no PostgreSQL cluster found (pg_lsclusters is empty); run scripts/install.sh"
  # shellcheck disable=SC2086
  pg_ready || pg_ctlcluster $cluster start
  wait_for "PostgreSQL" 30 pg_ready
  if [ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != "1" ]; then
    psql_pg -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  for db in "${STORES[@]}"; do
    if [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
      psql_pg -c "CREATE DATABASE $db OWNER $PG_USER ENCODING 'utf-8' TEMPLATE template0"
    fi
  done
  log "PostgreSQL $cluster on 127.0.0.1:$PG_PORT (databases ${STORES[*]}; stop: scripts/services.sh stop)"
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  mkdir -p "$REDIS_DIR"
  if ! redis_ready; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_PID" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no
    wait_for "Redis" 20 redis_ready
  fi
  log "Redis on 127.0.0.1:$REDIS_PORT (pid file $REDIS_PID)"
}

# The core config is rebuilt at each start from the installed CKAN's schema.xml,
# so a CKAN upgrade brings its schema along.
write_solr_home() {
  local schema
  schema="$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')"
  [ -f "$schema" ] || die "CKAN's schema.xml not found at $schema"
  mkdir -p "$SOLR_HOME"
  cp "$ROOT/scripts/solr/solr.xml" "$SOLR_HOME/solr.xml"
  for core in "${SOLR_CORES[@]}"; do
    mkdir -p "$SOLR_HOME/$core/conf"
    echo "name=$core" > "$SOLR_HOME/$core/core.properties"
    cp "$ROOT/scripts/solr/solrconfig.xml" "$SOLR_HOME/$core/conf/solrconfig.xml"
    cp "$schema" "$SOLR_HOME/$core/conf/schema.xml"
    touch "$SOLR_HOME/$core/conf/protwords.txt" "$SOLR_HOME/$core/conf/synonyms.txt"
  done
}

solr_ready() {
  local core
  for core in "${SOLR_CORES[@]}"; do
    curl -sf "http://127.0.0.1:$SOLR_PORT/solr/$core/select?q=*:*&rows=0" >/dev/null || return 1
  done
}

start_solr() {
  if solr_ready; then
    log "Solr already answering on 127.0.0.1:$SOLR_PORT"
    return 0
  fi
  local cp="$SOLR_DIR/classpath-$SOLR_VERSION.txt"
  [ -s "$cp" ] || die "Solr classpath missing ($cp); run scripts/install.sh"
  pid_alive "$SOLR_PID" && kill "$(cat "$SOLR_PID")" && sleep 2
  write_solr_home
  log "starting Solr $SOLR_VERSION (log $SOLR_LOG)"
  nohup java -Xms256m -Xmx768m -Dsolr.log.dir="$SOLR_DIR" -Dsolr.install.dir="$SOLR_DIR" \
    -cp "$(cat "$cp")" "$ROOT/scripts/solr/SolrLauncher.java" "$SOLR_HOME" "$SOLR_PORT" \
    >"$SOLR_LOG" 2>&1 </dev/null &
  echo $! > "$SOLR_PID"
  wait_started Solr "$SOLR_PID" "$SOLR_LOG" 90 solr_ready
  log "Solr on http://127.0.0.1:$SOLR_PORT/solr (cores ${SOLR_CORES[*]}; pid $(cat "$SOLR_PID") in $SOLR_PID)"
}

stop_all() {
  stop_pidfile Solr "$SOLR_PID"
  if redis_ready 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    log "stopped Redis"
  fi
  local cluster
  cluster="$(pg_cluster)"
  # shellcheck disable=SC2086
  if [ -n "$cluster" ] && pg_ready; then pg_ctlcluster $cluster stop && log "stopped PostgreSQL"; fi
}

status_all() {
  pg_ready && echo "postgresql: up (127.0.0.1:$PG_PORT)" || echo "postgresql: down"
  redis_ready 2>/dev/null && echo "redis: up (127.0.0.1:$REDIS_PORT)" || echo "redis: down"
  solr_ready && echo "solr: up (http://127.0.0.1:$SOLR_PORT/solr, pid $(cat "$SOLR_PID" 2>/dev/null))" || echo "solr: down"
}

case "${1:-start}" in
  start) start_postgres; start_redis; start_solr ;;
  stop) stop_all ;;
  status) status_all ;;
  *) die "usage: $0 start|stop|status" ;;
esac
