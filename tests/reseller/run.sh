#!/usr/bin/env bash
# Runs the reseller API tests with the official CentralNic Reseller SDK against a running
# coopreg (default http://127.0.0.1:8787). Creates the Python venv .tools/py if it is missing.
# Usage: COOPREG_RESELLER_LOGIN=… COOPREG_RESELLER_PASSWORD=… \
#        COOPREG_RESELLER_LOGIN_2=… COOPREG_RESELLER_PASSWORD_2=… tests/reseller/run.sh [filter…]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
py="$root/.tools/py/bin/python"
if ! "$py" -c 'import centralnicreseller.apiconnector, idna' 2>/dev/null; then
  python3 -m venv "$root/.tools/py"
  "$root/.tools/py/bin/pip" install -q --no-deps centralnicreseller-apiconnector==6.0.0 idna==3.18
fi
exec "$py" "$root/tests/reseller/test_sdk_flow.py" "$@"
