#!/usr/bin/env bash
# `make demo`: install everything, start the services, configure CKAN, create a sysadmin,
# start the portal and a jobs worker in the background, and return.
# `scripts/demo.sh stop` stops the portal and the worker (make stop also stops services).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

INI="$LOCAL/ckan.ini"
PORTAL_PID="$LOCAL/ckan.pid"
PORTAL_LOG="$LOCAL/ckan.log"
WORKER_PID="$LOCAL/worker.pid"
WORKER_LOG="$LOCAL/worker.log"
TOKEN_FILE="$LOCAL/sysadmin.token"
PASSWORD_FILE="$LOCAL/sysadmin.password"
ADMIN=admin
URL="http://127.0.0.1:$CKAN_PORT"

ckan_cmd() { "$CKAN" -c "$INI" "$@"; }

# Generated once (it holds the secrets); the settings below are re-applied on every run
# so an existing demo follows changes to this script.
write_config() {
  if [ ! -f "$INI" ]; then
    log "writing $INI"
    "$CKAN" generate config "$INI" >/dev/null
  fi
  "$CKAN" config-tool "$INI" \
    "sqlalchemy.url = postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/ckan" \
    "solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan" \
    "ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/0" \
    "ckan.site_url = $URL" \
    "ckan.site_id = partnercity_demo" \
    "ckan.site_title = Partner City Open Data (demo)" \
    "ckan.storage_path = $LOCAL/storage" \
    "ckan.plugins = partnercity dcat scheming_datasets scheming_organizations activity" \
    "scheming.dataset_schemas = ckanext.partnercity:schemas/dataset.yaml ckanext.partnercity:schemas/partner_dataset.yaml" \
    "scheming.organization_schemas = ckanext.partnercity:schemas/organization.yaml ckanext.partnercity:schemas/partner_city.yaml" \
    "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml" \
    "ckan.locales_offered = en de" \
    "ckan.devserver.threaded = true" \
    "ckan.csrf_protection.ignore_extensions = false" \
    "ckanext.partnercity.allow_private_urls = true" \
    "ckanext.partnercity.hvd.report_visibility = public" \
    "ckanext.partnercity.hvd.country = DEU" >/dev/null
  mkdir -p "$LOCAL/storage"
}

ensure_sysadmin() {
  # The database may be shared with another checkout (Debian's cluster), so the password
  # in this checkout's .local/ is written to the account on every run: it always works.
  if [ ! -s "$PASSWORD_FILE" ]; then
    ( umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$PASSWORD_FILE" )
    rm -f "$TOKEN_FILE"
  fi
  local password
  password="$(cat "$PASSWORD_FILE")"
  if ckan_cmd user show "$ADMIN" 2>/dev/null | grep -q "name=$ADMIN"; then
    ckan_cmd user setpass "$ADMIN" -p "$password" >/dev/null 2>&1
  else
    ckan_cmd user add "$ADMIN" email=admin@partnercity.invalid password="$password" >/dev/null 2>&1
    ckan_cmd sysadmin add "$ADMIN" >/dev/null 2>&1
    log "created sysadmin '$ADMIN'"
  fi
  if [ ! -s "$TOKEN_FILE" ]; then
    ( umask 077; ckan_cmd user token add "$ADMIN" demo 2>/dev/null | tail -n 1 | tr -d '[:space:]' > "$TOKEN_FILE" )
    log "API token written to $TOKEN_FILE"
  fi
}

# A fresh Solr core next to an existing database (new checkout, wiped .local/) would hide
# every dataset from search: index what is missing.
index_missing() {
  ckan_cmd search-index rebuild --only-missing --quiet >"$LOCAL/search-index.log" 2>&1 \
    || { tail -n 20 "$LOCAL/search-index.log" >&2; die "ckan search-index rebuild failed"; }
}

portal_up() { curl -sf "$URL/api/3/action/status_show" >/dev/null; }

# Restarted on every run, so the portal and worker always run the code and config at hand.
start_portal() {
  stop_demo >/dev/null
  if portal_up; then
    die "port $CKAN_PORT is taken by another process; stop it or set CKAN_PORT"
  else
    log "starting the portal (log $PORTAL_LOG)"
    nohup "$CKAN" -c "$INI" run --host 127.0.0.1 --port "$CKAN_PORT" --disable-reloader \
      >"$PORTAL_LOG" 2>&1 </dev/null &
    echo $! > "$PORTAL_PID"
    wait_started "the portal" "$PORTAL_PID" "$PORTAL_LOG" 60 portal_up
  fi
  nohup "$CKAN" -c "$INI" jobs worker >"$WORKER_LOG" 2>&1 </dev/null &
  echo $! > "$WORKER_PID"
  log "started a jobs worker (pid $(cat "$WORKER_PID"), log $WORKER_LOG)"
}

FIXTURE_PORT="${FIXTURE_PORT:-8765}"
FIXTURE_PID="$LOCAL/fixture-portals.pid"
FIXTURE_URL="http://127.0.0.1:$FIXTURE_PORT"

seed() {
  "$VENV/bin/python" "$ROOT/scripts/demo_seed.py" "$URL" "$(cat "$TOKEN_FILE")"
}

# The partner portals served from the fixtures (scripts/fixture_portals.py).
start_fixture_portals() {
  if ! pid_alive "$FIXTURE_PID"; then
    nohup "$VENV/bin/python" "$ROOT/scripts/fixture_portals.py" --port "$FIXTURE_PORT" \
      >"$LOCAL/fixture-portals.log" 2>&1 </dev/null &
    echo $! > "$FIXTURE_PID"
    wait_for "demo partner portals" 20 curl -sf "$FIXTURE_URL/"
  fi
  log "demo partner portals at $FIXTURE_URL (pid $(cat "$FIXTURE_PID"))"
}

add_partner() {
  local name="$1"; shift
  ckan_cmd partnercity partner show "$name" >/dev/null 2>&1 || ckan_cmd partnercity partner add "$name" "$@" 2>/dev/null
}

harvest_partners() {
  add_partner alba-iulia --title "Alba Iulia" --country RO --language ro --language en \
    --portal-type ckan --portal-url "$FIXTURE_URL/alba-iulia" --image-url "$FIXTURE_URL/alba-iulia/flag.png" --since 1997 \
    --description "Twin city in Romania; its open data portal runs CKAN."
  add_partner mulhouse --title "Mulhouse" --country FR --language fr \
    --portal-type opendatasoft --portal-url "$FIXTURE_URL/mulhouse" --image-url "$FIXTURE_URL/mulhouse/flag.png" --since 2001 \
    --description "Twin city in France; its open data portal runs Opendatasoft."
  add_partner evian --title "Évian-les-Bains" --country FR --language fr \
    --portal-type arcgis_hub --portal-url "$FIXTURE_URL/evian" --image-url "$FIXTURE_URL/evian/flag.png" --since 2009 \
    --description "Twin city in France; its open data site runs ArcGIS Hub."
  add_partner aarhus --title "Aarhus" --country DK --language da --language en \
    --portal-type piveau --portal-url "$FIXTURE_URL/data-europa-eu" --source-filter "publisher:Aarhus Kommune" \
    --image-url "$FIXTURE_URL/aarhus/flag.png" --since 2015 \
    --description "Twin city in Denmark; its datasets are found on data.europa.eu (piveau)."
  ckan_cmd partnercity themes load --bundled 2>/dev/null | sed 's/^/[partnercity] /'
  local name
  for name in alba-iulia mulhouse evian aarhus; do
    ckan_cmd partnercity harvest "$name" >"$LOCAL/harvest-$name.json" 2>"$LOCAL/harvest-$name.log" \
      || { tail -n 20 "$LOCAL/harvest-$name.log" >&2; die "harvest of $name failed"; }
    log "harvest $(tail -n 1 "$LOCAL/harvest-$name.log" | tr '\r' '\n' | tail -n 1)"
  done
  for name in "" alba-iulia mulhouse evian aarhus; do  # "": our own groups and tags
    ckan_cmd partnercity themes refresh $name >/dev/null 2>&1 || die "mapping categories failed"
  done
  local review
  review="$(curl -sf "$URL/api/3/action/partnercity_mapping_list?origin=suggested" \
    | "$VENV/bin/python" -c 'import json, sys; r = json.load(sys.stdin)["result"]; print(sum(1 for m in r if (m["confidence"] or 0) < 0.9))')"
  log "shared themes: $review suggested mappings wait for review (partnercity_mapping_list?origin=suggested)"
}

# HVD check of our datasets and of the partners' references (stored runs, /hvd/report).
check_hvd() {
  local scope
  for scope in "" --partners; do
    ckan_cmd partnercity hvd check $scope 2>"$LOCAL/hvd-check.log" | sed 's/^/[partnercity] HVD: /' \
      || { tail -n 20 "$LOCAL/hvd-check.log" >&2; die "HVD check failed"; }
  done
}

stop_demo() {
  stop_pidfile portal "$PORTAL_PID"
  stop_pidfile worker "$WORKER_PID"
  stop_pidfile "demo partner portals" "$FIXTURE_PID"
}

case "${1:-start}" in
  start)
    started=$SECONDS
    bash "$ROOT/scripts/install.sh"
    bash "$ROOT/scripts/services.sh" start
    write_config
    ckan_cmd db upgrade >"$LOCAL/db-upgrade.log" 2>&1 || { tail -n 30 "$LOCAL/db-upgrade.log" >&2; die "ckan db upgrade failed"; }
    ensure_sysadmin
    index_missing
    start_portal
    seed
    start_fixture_portals
    harvest_partners
    check_hvd
    cat <<TXT

  ckanext-partnercity demo is running at $URL   (ready in $((SECONDS - started))s)
    log in:    $URL/user/login  as '$ADMIN', password in $PASSWORD_FILE
    API token: $TOKEN_FILE
    partners:  $URL/partner-cities   references: $URL/partner_dataset
    themes:    $URL/partner_dataset?facet.field=partnercity_theme   SKOS: $URL/partner-cities/themes/mappings.ttl
    HVD:       $URL/hvd/report   partners: $URL/hvd/report?scope=partners   RDF: $URL/hvd/report.ttl
    attested:  $URL/hvd/report#attestations   history: $URL/hvd/attestations
    status:    curl $URL/api/3/action/partnercity_status
    logs:      $PORTAL_LOG, $WORKER_LOG
    stop:      make stop

TXT
    ;;
  stop) stop_demo ;;
  *) die "usage: $0 [start|stop]" ;;
esac
