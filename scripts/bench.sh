#!/usr/bin/env bash
# The benchmarks, one command. Each compares against a baseline measured in the same run and
# prints ratios; results are recorded by hand in docs/benchmarks.md with machine and date.
#   scripts/bench.sh            all
#   scripts/bench.sh http       orders API vs the trivial route (issue 4)
#   scripts/bench.sh validation label validation vs Python idna, order validation (issue 3)
#   scripts/bench.sh registry   zone and escrow streaming, 10k vs 100k domains (issue 7)
#   scripts/bench.sh reseller   reseller API vs the trivial route (issue 6)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-4}"

machine() { echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"; }

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# Starts the production build of the worker on a free port with a fresh local D1.
start_worker() {
  scripts/setup.sh >/dev/null
  scripts/build.sh --production
  state=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  npx wrangler d1 migrations apply DB --local --persist-to "$state" >/dev/null
  npx wrangler dev --ip 127.0.0.1 --port "$port" --inspector-port 0 --show-interactive-dev-session=false \
    --persist-to "$state" --var "PUBLIC_ORIGIN:http://127.0.0.1:$port" \
    --var "AUTH_CODE_KEY:$(head -c 32 /dev/urandom | base64)" < /dev/null > "$state/wrangler.log" 2>&1 &
  worker_pid=$!
  trap 'kill $worker_pid 2>/dev/null; wait $worker_pid 2>/dev/null; rm -rf "$state"' EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/ping" >/dev/null && break; sleep 0.2; done
  url="http://127.0.0.1:$port"
}

# wrk → "rps p50_ms p99_ms"
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" 2>/dev/null)
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() { python3 -c "import sys,re; v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s)',v); n=float(m.group(1)); print(round(n/1000 if m.group(2)=='us' else n*1000 if m.group(2)=='s' else n,3))" "$1"; }

bench_http() {
  start_worker
  echo "== orders API on local workerd (production build), ${DURATION} each, ${CONNECTIONS} connections"
  machine
  local order
  order=$(curl -sf -X POST "$url/api/v1/orders" -H 'content-type: application/json' \
    -d "$(sed -n '/local body = /,/certified/p' bench/order.lua >/dev/null; node -e '
      const label="bench-seed"; console.log(JSON.stringify({domain:label+".coop",period:1,contacts:{owner:{first_name:"Ada",last_name:"Lovelace",organization:"Seed Co-operative",street:["1 Loom Street"],city:"Manchester",state:"",postcode:"M1 1AA",country:"GB",phone:"+44.1612345678",fax:"",email:"seed@example.coop"},admin:null,tech:null,billing:null},nameservers:[{host:"ns1.example.net",addresses:[]},{host:"ns2.example.net",addresses:[]}],eligibility:{criterion:"cooperative_under_local_law",certified:true}}))')" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["order_id"])')
  read -r base_rps base_p50 base_p99 < <(measure "$url/ping")
  read -r poll_rps poll_p50 poll_p99 < <(measure "$url/api/v1/orders/$order")
  read -r sub_rps sub_p50 sub_p99 < <(measure -s bench/order.lua "$url" -- "$(date +%s)")
  python3 - "$base_rps" "$base_p50" "$base_p99" "$poll_rps" "$poll_p50" "$poll_p99" "$sub_rps" "$sub_p50" "$sub_p99" <<'PY'
import sys
b, b50, b99, p, p50, p99, s, s50, s99 = map(float, sys.argv[1:])
print(f"{'route':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>9}")
print(f"{'GET /ping (trivial, baseline)':<34}{b:>10.0f}{b50:>10.2f}{b99:>10.2f}{1:>9.2f}")
print(f"{'GET /api/v1/orders/{id} (poll)':<34}{p:>10.0f}{p50:>10.2f}{p99:>10.2f}{p/b:>9.2f}  target >= 0.70")
print(f"{'POST /api/v1/orders (submit)':<34}{s:>10.0f}{s50:>10.2f}{s99:>10.2f}{s/b:>9.2f}  target >= 0.30")
PY
  kill $worker_pid 2>/dev/null; wait $worker_pid 2>/dev/null || true
}

case "$what" in
  http) bench_http ;;
  validation) scripts/bench-validation.sh ;;
  registry) cargo run -q --release -p coopreg-shared --example bench_registry ;;
  reseller) scripts/bench-reseller.sh ;;
  all)
    scripts/bench-validation.sh
    cargo run -q --release -p coopreg-shared --example bench_registry
    ( bench_http )
    [ -x scripts/bench-reseller.sh ] && scripts/bench-reseller.sh
    ;;
  *) echo "usage: scripts/bench.sh [all|http|validation|registry|reseller]" >&2; exit 2 ;;
esac
