#!/usr/bin/env bash
# Builds the worker (wasm32 + wasm-bindgen + JS entry) into build/worker and the browser
# package and pages into web-ui/dist (the static assets directory).
#   scripts/build.sh               local build, with the dev-tools feature (outbox page, test clock)
#   scripts/build.sh --production  what `wrangler deploy` ships: no dev-tools code at all
# COOPREG_WORKER_OUT=DIR puts the worker elsewhere than build/worker (the tests keep a
# production build in build/worker-production beside the dev build).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
features="--features dev-tools"
[ "${1:-}" = "--production" ] && features=""

wasm_bindgen="$root/.tools/bin/wasm-bindgen"
[ -x "$wasm_bindgen" ] || { echo "run scripts/setup.sh first (wasm-bindgen CLI missing)" >&2; exit 1; }

export COOPREG_GIT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"
# The commit's time, not the wall clock: a value that changes each run would make cargo
# rebuild the worker every time (it tracks the variables `option_env!` reads).
export COOPREG_BUILT_AT="$(git log -1 --format=%cI 2>/dev/null || echo unknown)"

cargo build --quiet --release --target wasm32-unknown-unknown -p coopreg-worker $features
# The browser core with its own profile (Cargo.toml: `release-web`, opt-level "z").
cargo build --quiet --profile release-web --target wasm32-unknown-unknown -p coopreg-web-ui
out=target/wasm32-unknown-unknown/release
web_out=target/wasm32-unknown-unknown/release-web

# Post-processing runs only when cargo produced a new wasm (or the flavour changed), so a
# warm start skips it.
stamp() { echo "stripped $features $(stat -c %Y "$1")"; }
fresh() { [ -f "$2" ] && [ "$(cat "$2")" = "$(stamp "$1")" ]; }

# The worker: flags as worker-build uses them, so a panic can reset the instance. The `name`
# section (function names, about a fifth of the file) and the `producers` section are dropped:
# a panic's log line still names its message and source location. `wasm-opt` is not run on the
# worker: measured (docs/benchmarks.md, issue 17), -Oz and -Os shrink it raw by 10 % but grow it
# gzipped by 3 %, and the gzipped size is what the platform limits.
worker_out="${COOPREG_WORKER_OUT:-build/worker}"
mkdir -p "$worker_out"
if ! fresh "$out/coopreg_worker.wasm" "$worker_out/.stamp"; then
  "$wasm_bindgen" "$out/coopreg_worker.wasm" --out-dir "$worker_out" --out-name index \
    --target module --no-typescript --experimental-reset-state-function --force-enable-abort-handler \
    --remove-name-section --remove-producers-section
  # wrangler's esbuild loads a plain `import x from "*.wasm"` as a WebAssembly.Module.
  sed -i 's/^import source \(.*\) from \(.*\.wasm.*\)$/import \1 from \2/' "$worker_out/index.js"
  stamp "$out/coopreg_worker.wasm" > "$worker_out/.stamp"
fi
cp worker/entry.mjs "$worker_out/entry.mjs"
# What production ships must carry no dev-only code (the outbox page, the panic test hook).
if [ -z "$features" ]; then
  for marker in "Local outbox" "x-coopreg-test-panic"; do
    if grep -q "$marker" "$worker_out/index_bg.wasm"; then
      echo "the production worker contains dev-only code ($marker)" >&2; exit 1
    fi
  done
fi

# The browser: the same core, for instant validation.
if ! fresh "$web_out/coopreg_web_ui.wasm" build/web-ui.stamp || [ ! -f web-ui/dist/pkg/coopreg_web_ui_bg.wasm ]; then
  rm -rf build/pkg && mkdir -p build/pkg
  "$wasm_bindgen" "$web_out/coopreg_web_ui.wasm" --out-dir build/pkg --target web --no-typescript \
    --remove-producers-section
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    build/pkg/coopreg_web_ui_bg.wasm -o build/pkg/coopreg_web_ui_bg.wasm
  stamp "$web_out/coopreg_web_ui.wasm" > build/web-ui.stamp
fi
rm -rf web-ui/dist && mkdir -p web-ui/dist
[ -d web-ui/static ] && cp -r web-ui/static/. web-ui/dist/
cp -r build/pkg web-ui/dist/pkg
