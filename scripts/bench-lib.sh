# Shared by the HTTP benchmarks (scripts/bench.sh http, scripts/bench-reseller.sh): start the
# built worker on a free port with a fresh local D1, measure a URL with wrk, stop.
# Source it; it needs `set -euo pipefail` and the repository root as the working directory.
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true \
  NO_COLOR=1 FORCE_COLOR=0

bench_machine() {
  echo "$(nproc) CPU(s) $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1 /proc/loadavg)"
}

bench_server=""
bench_state=""
bench_stop() {
  if [ -n "$bench_server" ]; then
    kill -- "-$bench_server" 2>/dev/null || true
    wait "$bench_server" 2>/dev/null || true
    bench_server=""
  fi
  [ -n "$bench_state" ] && rm -rf "$bench_state"
  bench_state=""
}

# bench_start [--inspector] [--config <wrangler.toml>]: sets $url. See scripts/bench-server.mjs.
bench_start() {
  bench_state="$(mktemp -d -t coopreg-bench-XXXXXX)"
  local port
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$bench_state" >/dev/null
  setsid node scripts/bench-server.mjs "$bench_state" "$port" "$@" </dev/null >"$bench_state/server.log" 2>&1 &
  bench_server=$!
  trap bench_stop EXIT INT TERM
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fs "$url/ping" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$bench_state/server.log" >&2
  return 1
}

# bench_measure <connections> <wrk args…> → "requests/s p50_ms p99_ms"; refuses non-2xx answers.
bench_measure() {
  local connections="$1" out
  shift
  out="$(wrk -t1 -c"$connections" -d"${DURATION:-10s}" --latency "$@" 2>&1)"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "non-2xx answers from $(sed 's/s_sessionid=[0-9a-f]*/s_sessionid=…/' <<<"$*")" >&2
    return 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%s %.2f %.2f\n", rps, p50, p99 }' <<<"$out"
}

bench_header() { printf '%-15s%-34s%10s%10s%10s%9s\n' mode route req/s "p50 ms" "p99 ms" ratio; }

# bench_row <mode> <route name> <"rps p50 p99" from bench_measure> <baseline rps> [target]
bench_row() {
  awk -v mode="inspector $1" -v name="$2" -v measured="$3" -v base="$4" -v target="${5:-}" 'BEGIN {
    split(measured, v, " ")
    printf "%-15s%-34s%10.0f%10.2f%10.2f%9.2f%s\n", mode, name, v[1], v[2], v[3], v[1] / base,
      (target != "" ? "  target >= " target : "")
  }'
}
