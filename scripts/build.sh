#!/usr/bin/env bash
# Builds the worker (wasm32 + wasm-bindgen + JS entry) into build/worker and the browser
# package and pages into web-ui/dist (the static assets directory).
#   scripts/build.sh               local build, with the dev-tools feature (outbox page, test clock)
#   scripts/build.sh --production  what `wrangler deploy` ships: no dev-tools code at all
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
features="--features dev-tools"
[ "${1:-}" = "--production" ] && features=""

wasm_bindgen="$root/.tools/bin/wasm-bindgen"
[ -x "$wasm_bindgen" ] || { echo "run scripts/setup.sh first (wasm-bindgen CLI missing)" >&2; exit 1; }

export COOPREG_GIT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"
export COOPREG_BUILT_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

cargo build --quiet --release --target wasm32-unknown-unknown -p coopreg-worker $features
cargo build --quiet --release --target wasm32-unknown-unknown -p coopreg-web-ui
out=target/wasm32-unknown-unknown/release

# The worker: flags as worker-build uses them, so a panic can reset the instance.
mkdir -p build/worker
"$wasm_bindgen" "$out/coopreg_worker.wasm" --out-dir build/worker --out-name index \
  --target module --no-typescript --experimental-reset-state-function --force-enable-abort-handler
# wrangler's esbuild loads a plain `import x from "*.wasm"` as a WebAssembly.Module.
sed -i 's/^import source \(.*\) from \(.*\.wasm.*\)$/import \1 from \2/' build/worker/index.js
cp worker/entry.mjs build/worker/entry.mjs

# The browser: the same core, for instant validation.
rm -rf web-ui/dist && mkdir -p web-ui/dist/pkg
[ -d web-ui/static ] && cp -r web-ui/static/. web-ui/dist/
"$wasm_bindgen" "$out/coopreg_web_ui.wasm" --out-dir web-ui/dist/pkg --target web --no-typescript
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
    web-ui/dist/pkg/coopreg_web_ui_bg.wasm -o web-ui/dist/pkg/coopreg_web_ui_bg.wasm
fi
