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
# Apply migrations when they changed since the last start (or the local state is new).
migrations_stamp=$(cat migrations/*.sql | sha256sum | cut -c1-16)
if [ "$(cat .wrangler/migrations.stamp 2>/dev/null)" != "$migrations_stamp" ] || [ ! -d .wrangler/state/v3/d1 ]; then
  npx wrangler d1 migrations apply DB --local >/dev/null
  echo "$migrations_stamp" > .wrangler/migrations.stamp
fi
accounts=$(node scripts/admin.mjs demo-accounts)
demo=$(node -e 'const a = JSON.parse(process.argv[1]).reseller; console.log(`login ${a.id}  password ${a.password}`)' "$accounts")
staff=$(node -e 'const a = JSON.parse(process.argv[1]).staff; console.log(`login ${a.id}  password ${a.password}`)' "$accounts")

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
