#!/usr/bin/env bash
# Deploys coopreg to Cloudflare: builds the production worker (no dev-tools code: no outbox
# page, no movable clock, and the production guard that refuses to serve without proper
# secrets; scripts/build.sh checks the wasm carries no dev-only code), applies the D1
# migrations to the remote database, then runs `wrangler deploy`. Never deploy with a bare `wrangler deploy`: it would
# ship whatever build/ holds, which after `scripts/dev.sh` or the tests is the dev build.
#   scripts/deploy.sh            build, migrate, deploy
#   scripts/deploy.sh --dry-run  build and let wrangler check the bundle without uploading
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false

dry_run=0
[ "${1:-}" = "--dry-run" ] && dry_run=1

scripts/setup.sh
# Fails when the production wasm carries dev-only code.
scripts/build.sh --production

if [ "$dry_run" = 1 ]; then
  exec npx wrangler deploy --dry-run --outdir build/deploy-check
fi

# The guard answers 503 until both secrets are set; say so before it does.
secrets=$(npx wrangler secret list 2>/dev/null || true)
for name in AUTH_CODE_KEY CALLBACK_SECRET; do
  if ! grep -q "\"$name\"" <<<"$secrets"; then
    echo "deploy: warning: secret $name is not set; the worker answers 503 until it is (npx wrangler secret put $name)" >&2
  fi
done
npx wrangler d1 migrations apply DB --remote
npx wrangler deploy
