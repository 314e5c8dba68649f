#!/usr/bin/env bash
# Benchmark of the reseller API (issue 6): requests/s of StatusDomain and CheckDomain against
# the trivial route GET /ping (no storage) and GET /health (one D1 write + read), on a local
# `wrangler dev` (workerd + local D1 in SQLite) with the build in build/worker.
#
#   scripts/build.sh && scripts/bench-reseller.sh [seconds per run, default 10]
#
# The API calls are GETs with `s_login` + `s_sessionid`: a session, so PBKDF2 (the password
# check) is not in the loop. wrk: 1 thread, 2 connections, loopback only. Starts its own
# server on a free port with a fresh database and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds="${1:-10}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true \
  NO_COLOR=1 FORCE_COLOR=0
wrangler="$root/node_modules/.bin/wrangler"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f build/worker/index.js ] || { echo "run scripts/build.sh first" >&2; exit 1; }

state="$(mktemp -d -t coopreg-bench-XXXXXX)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -- "-$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$state"
}
trap cleanup EXIT INT TERM

"$wrangler" d1 migrations apply DB --local --persist-to "$state" >/dev/null
setsid "$wrangler" dev --ip 127.0.0.1 --port "$port" --inspector-port 0 \
  --show-interactive-dev-session=false --persist-to "$state" --var "PUBLIC_ORIGIN:$base" \
  >"$state/wrangler.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  curl -fs "$base/ping" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$base/ping" >/dev/null || { cat "$state/wrangler.log" >&2; exit 1; }

# A reseller, a contact and a domain; then a session.
password="$(node scripts/admin.mjs create-reseller --id bench --name Bench --persist-to "$state" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).password))')"
api() { curl -fs "$base/api/call.cgi" --data "s_login=bench&s_pw=$password&$1"; }
prop() { sed -n "s/^property\[$1\]\[0\] = //p"; }
contact="$(api "command=AddContact&firstname=Anna&lastname=Berg&organization=Bench+eG&street0=Weg+1&city=Berlin&zip=10115&country=DE&phone=%2B49.301234567&email=bench%40example.org" | prop contact)"
domain="bench-$RANDOM.coop"
api "command=AddDomain&domain=$domain&period=1&ownercontact0=$contact&admincontact0=$contact&techcontact0=$contact&billingcontact0=$contact&nameserver0=ns1.example.net&nameserver1=ns2.example.net&X-COOP-ELIGIBILITY=1" |
  grep -q '^code = 200$' || { echo "AddDomain failed" >&2; exit 1; }
session="$(api "persistent=1" | prop sessionid)"
[ -n "$session" ] || { echo "no session" >&2; exit 1; }
call="$base/api/call.cgi?s_login=bench&s_sessionid=$session"

# Each URL answers what it should before it is measured.
curl -fs "$call&command=StatusDomain&domain=$domain" | grep -q '^code = 200$'
curl -fs "$call&command=CheckDomain&domain=$domain" | grep -q '^code = 211$'

rate() {
  # The session id is a secret even here: not in the printed URL.
  wrk -t1 -c2 -d"${seconds}s" --latency "$1" | sed 's/s_sessionid=[0-9a-f]*/s_sessionid=…/' |
    tee "$state/wrk.txt" >&2
  if grep -q "Non-2xx" "$state/wrk.txt"; then echo "non-2xx answers for $1" >&2; exit 1; fi
  awk '/^Requests\/sec:/ { print $2 }' "$state/wrk.txt"
}
echo "== GET /ping" >&2;          ping_rate="$(rate "$base/ping")"
echo "== GET /health" >&2;        health_rate="$(rate "$base/health")"
echo "== StatusDomain" >&2;       status_rate="$(rate "$call&command=StatusDomain&domain=$domain")"
echo "== CheckDomain" >&2;        check_rate="$(rate "$call&command=CheckDomain&domain=$domain")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<EOF

Reseller API benchmark, $(date -u +%Y-%m-%d), $(nproc) CPU(s) $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
wrangler dev (local workerd + D1), dev-tools build, wrk -t1 -c2 -d${seconds}s, session auth
| route | requests/s | vs /ping |
|---|---:|---:|
| GET /ping (no storage) | $ping_rate | 1.00 |
| GET /health (D1 write + read) | $health_rate | $(ratio "$health_rate" "$ping_rate") |
| StatusDomain | $status_rate | $(ratio "$status_rate" "$ping_rate") |
| CheckDomain | $check_rate | $(ratio "$check_rate" "$ping_rate") |
EOF
