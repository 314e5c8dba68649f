#!/usr/bin/env bash
# The benchmarks, one command. Each compares against a baseline measured in the same run and
# prints ratios; results are recorded by hand in docs/benchmarks.md with machine and date.
#   scripts/bench.sh            all
#   scripts/bench.sh http       orders API vs the trivial route (issue 4)
#   scripts/bench.sh validation label validation vs Python idna, order validation (issue 3)
#   scripts/bench.sh registry   zone and escrow streaming, 10k vs 100k domains (issue 7)
#   scripts/bench.sh reseller   reseller API vs the trivial route (issue 6)
#   scripts/bench.sh dns        confirm-to-resolvable with PowerDNS, 10k-domain reconciliation (issue 12)
#   scripts/bench.sh rdap       RDAP domain lookups vs the calibration's bare D1 read (issue 13)
#   scripts/bench.sh d1         the test harness's in-process D1 helper vs wrangler d1 execute (issue 16)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-4}"
source scripts/bench-lib.sh

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# The orders API against the trivial route, on the production build, in both modes of
# scripts/bench-server.mjs (DevTools inspector off, then on as the `wrangler dev` CLI has it);
# then a calibration worker (bench/floor/) in the same mode: a trivial route and a bare D1 read
# in plain JavaScript, whose ratio is the most any route that reads storage can reach here.
bench_http() {
  scripts/setup.sh >/dev/null
  scripts/build.sh --production
  echo "== orders API on local workerd (production build), wrk -t1 -c${CONNECTIONS} -d${DURATION} per route"
  echo "machine: $(bench_machine)"
  bench_header
  local mode
  for mode in off on; do
    if [ "$mode" = on ]; then bench_start --inspector; else bench_start; fi
    local order
    order=$(curl -sf -X POST "$url/api/v1/orders" -H 'content-type: application/json' \
      -d "$(node -e 'console.log(JSON.stringify(require("./bench/seed-order.json")))')" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).order_id))')
    curl -sf "$url/api/v1/orders/$order" >/dev/null
    local base health poll submit
    base=$(bench_measure "$CONNECTIONS" "$url/ping")
    health=$(bench_measure "$CONNECTIONS" "$url/health")
    poll=$(bench_measure "$CONNECTIONS" "$url/api/v1/orders/$order")
    submit=$(bench_measure "$CONNECTIONS" -s bench/order.lua "$url" -- "$mode$(date +%s)")
    bench_stop
    # Calibration: what one D1 read costs a request in this same stack, without our code.
    local floor_ping floor_d1
    if [ "$mode" = on ]; then bench_start --inspector --config bench/floor/wrangler.toml; else bench_start --config bench/floor/wrangler.toml; fi
    floor_ping=$(bench_measure "$CONNECTIONS" "$url/ping")
    floor_d1=$(bench_measure "$CONNECTIONS" "$url/d1")
    bench_stop
    local ping_rps="${base%% *}" floor_rps="${floor_ping%% *}"
    bench_row "$mode" "GET /ping (trivial, baseline)" "$base" "$ping_rps"
    bench_row "$mode" "GET /health (one D1 write+read)" "$health" "$ping_rps"
    bench_row "$mode" "GET /api/v1/orders/{id} (poll)" "$poll" "$ping_rps" 0.70
    bench_row "$mode" "POST /api/v1/orders (submit)" "$submit" "$ping_rps" 0.30
    bench_row "$mode" "calibration: JS GET /ping" "$floor_ping" "$floor_rps"
    bench_row "$mode" "calibration: JS one D1 read" "$floor_d1" "$floor_rps"
  done
}

# RDAP domain lookups (`GET /rdap/domain/<name>`: one D1 read of the domain with its contacts
# and registrar, the projection to now, the RDAP JSON) against the calibration worker's bare
# D1 read in the same mode, on the production build. Target: >= 0.85 of the bare read.
# The machine is shared, so both servers run at once and are measured in alternating slices
# (RDAP_ROUNDS of RDAP_SLICE each): a change in load falls on both sides alike.
bench_rdap() {
  scripts/setup.sh >/dev/null
  scripts/build.sh --production
  local rounds="${RDAP_ROUNDS:-6}" slice="${RDAP_SLICE:-5s}"
  echo "== RDAP on local workerd (production build), wrk -t1 -c${CONNECTIONS}, ${rounds} alternating slices of ${slice} per route"
  echo "machine: $(bench_machine)"
  bench_header
  local mode
  for mode in ${RDAP_MODES:-off on}; do
    local flags=()
    [ "$mode" = on ] && flags=(--inspector)
    bench_start "${flags[@]}"
    local app_url="$url" app_server="$bench_server" app_state="$bench_state"
    bench_server="" bench_state=""
    bench_start "${flags[@]}" --config bench/floor/wrangler.toml
    # bench_start's trap stops only the floor server; this one stops both.
    trap 'bench_stop; kill -- "-$app_server" 2>/dev/null || true; rm -rf "$app_state"' EXIT INT TERM
    local floor_url="$url" ascii
    ascii=$(curl -sf -X POST "$app_url/api/v1/orders" -H 'content-type: application/json' \
      -d "$(node -e 'console.log(JSON.stringify(require("./bench/seed-order.json")))')" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).domain.ascii))')
    curl -sf "$app_url/rdap/domain/$ascii" >/dev/null
    local ping="" help="" lookup="" floor_ping="" floor_d1="" round
    for round in $(seq 1 "$rounds"); do
      ping+="$(DURATION=$slice bench_measure "$CONNECTIONS" "$app_url/ping");"
      floor_ping+="$(DURATION=$slice bench_measure "$CONNECTIONS" "$floor_url/ping");"
      lookup+="$(DURATION=$slice bench_measure "$CONNECTIONS" "$app_url/rdap/domain/$ascii");"
      floor_d1+="$(DURATION=$slice bench_measure "$CONNECTIONS" "$floor_url/d1");"
      help+="$(DURATION=$slice bench_measure "$CONNECTIONS" "$app_url/rdap/help");"
    done
    bench_stop
    kill -- "-$app_server" 2>/dev/null || true
    wait "$app_server" 2>/dev/null || true
    rm -rf "$app_state"
    trap bench_stop EXIT INT TERM
    ping=$(bench_mean "$ping") help=$(bench_mean "$help") lookup=$(bench_mean "$lookup")
    floor_ping=$(bench_mean "$floor_ping") floor_d1=$(bench_mean "$floor_d1")
    local ping_rps="${ping%% *}" floor_rps="${floor_ping%% *}" d1_rps="${floor_d1%% *}"
    bench_row "$mode" "GET /ping (trivial, baseline)" "$ping" "$ping_rps"
    bench_row "$mode" "GET /rdap/help (no storage)" "$help" "$ping_rps"
    bench_row "$mode" "GET /rdap/domain/{name} vs /ping" "$lookup" "$ping_rps"
    bench_row "$mode" "calibration: JS GET /ping" "$floor_ping" "$floor_rps"
    bench_row "$mode" "calibration: JS one D1 read" "$floor_d1" "$floor_rps"
    bench_row "$mode" "RDAP domain lookup vs JS D1 read" "$lookup" "$d1_rps" 0.85
  done
}

# bench_mean "rps p50 p99;rps p50 p99;…" → the means, as bench_measure prints one slice.
bench_mean() {
  tr ';' '\n' <<<"$1" | awk 'NF == 3 { n++; r += $1; a += $2; b += $3 }
    END { printf "%.1f %.2f %.2f\n", r / n, a / n, b / n }'
}

case "$what" in
  http) bench_http ;;
  rdap) bench_rdap ;;
  validation) scripts/bench-validation.sh ;;
  registry) cargo run -q --release -p coopreg-shared --example bench_registry ;;
  reseller) scripts/bench-reseller.sh ;;
  dns) scripts/setup.sh >/dev/null && scripts/build.sh && echo "machine: $(bench_machine)" &&
    node tests/bench/dns.mjs "${DNS_ORDERS:-100}" "${DNS_DOMAINS:-10000}" ;;
  d1) scripts/build.sh && node tests/bench/d1_helper.mjs ;;
  all)
    scripts/bench-validation.sh
    cargo run -q --release -p coopreg-shared --example bench_registry
    ( bench_http )
    [ -x scripts/bench-reseller.sh ] && scripts/bench-reseller.sh
    ( bench_rdap )
    ;;
  *) echo "usage: scripts/bench.sh [all|http|validation|registry|reseller|dns|rdap|d1]" >&2; exit 2 ;;
esac
