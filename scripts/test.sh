#!/usr/bin/env bash
# Every test of coopreg: formatting and lints, Rust unit/property tests, the production build's
# absence of dev tools, and the whole-system tests (real wrangler dev + local D1, Debian
# Chromium via playwright-core, the official CentralNic Reseller Python SDK). Installs what is
# missing first. The system tests start and stop their own servers on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
scripts/setup.sh --test

step "format and lints (Rust native and wasm32, JavaScript and CSS)"
cargo fmt --all -- --check
# --locked: Cargo.lock is committed and must already say what the manifests ask for.
cargo clippy --locked --quiet --workspace --all-targets -- -D warnings
cargo clippy --locked --quiet -p coopreg-worker -p coopreg-web-ui --target wasm32-unknown-unknown --features coopreg-worker/dev-tools -- -D warnings
# Biome (biome.json): lint of the JavaScript and CSS, formatting of the JavaScript.
node_modules/.bin/biome ci --error-on-warnings

step "Rust tests"
cargo test --quiet --workspace

step "production build carries no dev tools"
# build.sh --production fails when the wasm carries dev-only code. The build is kept in
# build/worker-production for tests/system/production.test.mjs, which runs it under wrangler
# (the production guard); it then does not build it again.
COOPREG_WORKER_OUT=build/worker-production scripts/build.sh --production
export COOPREG_PRODUCTION_BUILT=1
echo "ok: no dev-only code in the production worker"

step "whole-system tests (wrangler dev, D1, Chromium, reseller SDK)"
scripts/build.sh
node --test --test-concurrency=2 tests/
