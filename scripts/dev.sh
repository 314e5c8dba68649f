#!/usr/bin/env bash
# The whole of coopreg locally, from a fresh machine: installs what is missing, builds,
# migrates the local D1 database, creates a demo reseller and starts `wrangler dev` on
# http://127.0.0.1:8787 (form, JSON API, reseller API, local D1, local outbox at /dev/outbox),
# with PowerDNS as the hidden primary of `coop.` on 127.0.0.1:5353 (DNS) and :8081 (API),
# its SQLite database under .wrangler/pdns (DNS_PORT, DNS_API_PORT move it). Both stop together.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true
PORT="${PORT:-8787}"
DNS_PORT="${DNS_PORT:-5353}"
DNS_API_PORT="${DNS_API_PORT:-8081}"

scripts/setup.sh
scripts/build.sh
# Apply migrations when they changed since the last start (or the local state is new).
migrations_stamp=$(cat migrations/*.sql | sha256sum | cut -c1-16)
if [ "$(cat .wrangler/migrations.stamp 2>/dev/null)" != "$migrations_stamp" ] || [ ! -d .wrangler/state/v3/d1 ]; then
  npx wrangler d1 migrations apply DB --local >/dev/null
  echo "$migrations_stamp" > .wrangler/migrations.stamp
fi
# PowerDNS: a random API key per start (it is only on 127.0.0.1), stopped with the dev server.
mkdir -p .wrangler
dns_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
scripts/pdns.sh stop .wrangler/pdns
scripts/pdns.sh start .wrangler/pdns "$DNS_PORT" "$DNS_API_PORT" "$dns_key"
trap 'scripts/pdns.sh stop .wrangler/pdns' EXIT
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
  DNS (PowerDNS)  dig @127.0.0.1 -p $DNS_PORT <name>.coop NS      (+dnssec for signatures)
                  API http://127.0.0.1:$DNS_API_PORT (key in .wrangler/pdns/pdns.conf)

MSG
# Not exec: the trap stops PowerDNS when wrangler ends (Ctrl-C reaches both).
npx wrangler dev --ip 127.0.0.1 --port "$PORT" --show-interactive-dev-session=false \
  --test-scheduled --var "PUBLIC_ORIGIN:http://127.0.0.1:$PORT" \
  --var "DNS_API_URL:http://127.0.0.1:$DNS_API_PORT" --var "DNS_API_KEY:$dns_key" < /dev/null
