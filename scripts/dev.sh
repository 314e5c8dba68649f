#!/usr/bin/env bash
# The whole of coopreg locally, from a fresh machine: installs what is missing, builds,
# migrates the local D1 database, creates a demo reseller and starts `wrangler dev` on
# http://127.0.0.1:8787 (form, JSON API, reseller API, local D1, local outbox at /dev/outbox).
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true
PORT="${PORT:-8787}"

scripts/setup.sh
scripts/build.sh
npx wrangler d1 migrations apply DB --local >/dev/null
demo=$(node scripts/admin.mjs create-reseller --id demo --name "Demo Reseller")
staff=$(node scripts/admin.mjs create-staff --id staff --name "Demo Staff")

cat <<MSG

  coopreg is starting on http://127.0.0.1:$PORT
    registration form   http://127.0.0.1:$PORT/
    health              http://127.0.0.1:$PORT/health
    local outbox        http://127.0.0.1:$PORT/dev/outbox
    reseller API        http://127.0.0.1:$PORT/api/call.cgi
    staff console       http://127.0.0.1:$PORT/staff/
  demo reseller   $demo
  demo staff      $staff
  cron by hand    curl 'http://127.0.0.1:$PORT/__scheduled?cron=*/5+*+*+*+*'

MSG
exec npx wrangler dev --ip 127.0.0.1 --port "$PORT" --show-interactive-dev-session=false \
  --test-scheduled --var "PUBLIC_ORIGIN:http://127.0.0.1:$PORT" < /dev/null
