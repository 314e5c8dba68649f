#!/usr/bin/env bash
# Benchmark of the reseller API (issue 6): requests/s of StatusDomain and CheckDomain against
# the trivial route GET /ping (no storage) and GET /health (one D1 write + read), on local
# workerd + D1 (the production build, through scripts/bench-server.mjs), in both modes: the
# DevTools inspector off, then on as the `wrangler dev` CLI has it.
#
#   scripts/bench-reseller.sh [seconds per run, default 10]
#
# The API calls are GETs with `s_login` + `s_sessionid`: a session, so PBKDF2 (the password
# check) is not in the loop. Loopback only; each mode starts its own server with a fresh
# database and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}s"
CONNECTIONS="${CONNECTIONS:-4}"
source scripts/bench-lib.sh
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
scripts/setup.sh >/dev/null
scripts/build.sh --production

echo "== reseller API on local workerd (production build), wrk -t1 -c${CONNECTIONS} -d${DURATION} per route, session auth"
echo "machine: $(bench_machine)"
bench_header
for mode in off on; do
  if [ "$mode" = on ]; then bench_start --inspector; else bench_start; fi
  # A reseller, a contact and a domain; then a session.
  password="$(node scripts/admin.mjs create-reseller --id bench --name Bench --persist-to "$bench_state" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).password))')"
  api() { curl -fs "$url/api/call.cgi" --data "s_login=bench&s_pw=$password&$1"; }
  prop() { sed -n "s/^property\[$1\]\[0\] = //p"; }
  contact="$(api "command=AddContact&firstname=Anna&lastname=Berg&organization=Bench+eG&street0=Weg+1&city=Berlin&zip=10115&country=DE&phone=%2B49.301234567&email=bench%40example.org" | prop contact)"
  domain="bench-$RANDOM.coop"
  api "command=AddDomain&domain=$domain&period=1&ownercontact0=$contact&admincontact0=$contact&techcontact0=$contact&billingcontact0=$contact&nameserver0=ns1.example.net&nameserver1=ns2.example.net&X-COOP-ELIGIBILITY=1" |
    grep -q '^code = 200$' || { echo "AddDomain failed" >&2; exit 1; }
  session="$(api "persistent=1" | prop sessionid)"
  [ -n "$session" ] || { echo "no session" >&2; exit 1; }
  call="$url/api/call.cgi?s_login=bench&s_sessionid=$session"

  # Each URL answers what it should before it is measured.
  curl -fs "$call&command=StatusDomain&domain=$domain" | grep -q '^code = 200$'
  curl -fs "$call&command=CheckDomain&domain=$domain" | grep -q '^code = 211$'

  base="$(bench_measure "$CONNECTIONS" "$url/ping")"
  health="$(bench_measure "$CONNECTIONS" "$url/health")"
  status="$(bench_measure "$CONNECTIONS" "$call&command=StatusDomain&domain=$domain")"
  check="$(bench_measure "$CONNECTIONS" "$call&command=CheckDomain&domain=$domain")"
  bench_stop
  ping_rps="${base%% *}"
  bench_row "$mode" "GET /ping (trivial, baseline)" "$base" "$ping_rps"
  bench_row "$mode" "GET /health (one D1 write+read)" "$health" "$ping_rps"
  bench_row "$mode" "StatusDomain" "$status" "$ping_rps" 0.70
  bench_row "$mode" "CheckDomain" "$check" "$ping_rps" 0.70
done
