#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine (run as root):
# Debian packages, the .venv with CKAN + this extension, and Solr's jars from Maven Central.
# Idempotent: a second run only checks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# chromium + fonts: the browser tests (Playwright drives Debian's /usr/bin/chromium; no browser
# download). Fixed fonts keep the screenshots in docs/ the same from machine to machine.
# wrk: the load generator of bench/page_bench.py (C, with LuaJIT; a few hundred kB).
# dict-freedict-*: bilingual dictionaries (FreeDict, GPL/CC-BY-SA) bridging our German and
# English titles to the partners' languages (ckanext/partnercity/themes/dictionary.py).
APT_PACKAGES=(postgresql redis-server libpq-dev maven default-jdk-headless curl
  chromium fonts-dejavu-core fonts-liberation wrk
  dict-freedict-deu-eng dict-freedict-deu-fin dict-freedict-deu-fra dict-freedict-deu-ita
  dict-freedict-deu-nld dict-freedict-deu-pol dict-freedict-deu-por dict-freedict-deu-spa
  dict-freedict-deu-swe dict-freedict-eng-ces dict-freedict-eng-dan dict-freedict-eng-fin
  dict-freedict-eng-fra dict-freedict-eng-hun dict-freedict-eng-ita dict-freedict-eng-nld
  dict-freedict-eng-pol dict-freedict-eng-por dict-freedict-eng-rom dict-freedict-eng-spa
  dict-freedict-eng-swe)

install_apt() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # java/mvn may come from elsewhere (e.g. a JDK image): do not force Debian's then.
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    local keep=()
    for pkg in "${missing[@]}"; do
      case "$pkg" in maven|default-jdk-headless) ;; *) keep+=("$pkg") ;; esac
    done
    missing=("${keep[@]}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_venv() {
  local stamp="$VENV/.partnercity-installed"
  local want
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)-$CKAN_VERSION"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$CKAN" ]; then
    return 0
  fi
  [ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
  log "installing CKAN $CKAN_VERSION and ckanext-partnercity into .venv"
  "$VENV/bin/pip" install -q --upgrade pip setuptools wheel
  "$VENV/bin/pip" install -q "ckan[requirements,dev]==$CKAN_VERSION"
  "$VENV/bin/pip" install -q -r "$ROOT/requirements-dev.txt"
  "$VENV/bin/pip" install -q -e "$ROOT"
  echo "$want" > "$stamp"
}

install_solr() {
  local cp="$LOCAL/solr/classpath-$SOLR_VERSION.txt"
  [ -s "$cp" ] && return 0
  mkdir -p "$LOCAL/solr"
  log "resolving Solr $SOLR_VERSION from Maven Central (first time: ~100 MB)"
  mvn -q -B -f "$ROOT/scripts/solr/pom.xml" -Dsolr.version="$SOLR_VERSION" \
    dependency:build-classpath -Dmdep.outputFile="$cp.tmp" -Dmdep.includeScope=runtime
  mv "$cp.tmp" "$cp"
}

install_apt
install_venv
install_solr
