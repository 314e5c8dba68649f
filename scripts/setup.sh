#!/usr/bin/env bash
# Installs everything coopreg needs on a fresh machine of this kind. Idempotent: each step
# checks first, so a second run takes a few seconds.
#   scripts/setup.sh          tools to build and run locally
#   scripts/setup.sh --test   also what the tests need (Chromium, Python test clients)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# Must equal the wasm-bindgen crate version pinned in Cargo.toml ("schema versions must match").
WASM_BINDGEN_VERSION=0.2.130

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# rust-toolchain.toml pins the release, its wasm32 target, rustfmt and clippy; rustup installs
# that toolchain on first use if it is missing (the check below then finds the target).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$("$root/.tools/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into .tools (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$root/.tools" --quiet
fi

if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The hidden primary (issue 12): PowerDNS with its SQLite back end, sqlite3 to create its
# database, dig to look at it. scripts/pdns.sh runs it; dev.sh and the DNS tests start it.
if ! command -v pdns_server >/dev/null || ! command -v sqlite3 >/dev/null || ! command -v dig >/dev/null \
   || [ ! -f /usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql ]; then
  log "installing PowerDNS (pdns-server, pdns-backend-sqlite3), sqlite3 and dig (bind9-dnsutils)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends pdns-server pdns-backend-sqlite3 sqlite3 bind9-dnsutils >/dev/null
  # Debian enables a system-wide pdns service; coopreg runs its own instances only.
  if command -v systemctl >/dev/null && systemctl is-active --quiet pdns 2>/dev/null; then
    systemctl disable --now pdns >/dev/null 2>&1 || true
  fi
fi

if [ "$want_test" = 1 ]; then
  if [ ! -x /usr/bin/chromium ] || ! command -v named-checkzone >/dev/null; then
    log "installing Debian chromium and bind9-utils (named-checkzone)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium bind9-utils >/dev/null
  fi
  if [ ! -x .tools/py/bin/python ]; then
    log "creating the Python test environment in .tools/py"
    python3 -m venv .tools/py
  fi
  if ! .tools/py/bin/python -c 'import centralnicreseller.apiconnector, idna' 2>/dev/null; then
    log "installing the CentralNic Reseller Python SDK (the real reseller client) and idna"
    .tools/py/bin/pip install --quiet --disable-pip-version-check --no-deps \
      centralnicreseller-apiconnector==6.0.0 idna==3.18
  fi
  if ! .tools/py/bin/python -c 'import rdap' 2>/dev/null; then
    log "installing the rdap client (20C's, from PyPI: the real RDAP client of tests/rdap/)"
    .tools/py/bin/python -m pip install --quiet --disable-pip-version-check rdap==1.7.0
  fi
fi
log "ready"
