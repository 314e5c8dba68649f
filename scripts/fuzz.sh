#!/usr/bin/env bash
# Fuzzes the validation core (issue 3) and the reseller wire protocol (issue 6) with
# cargo-fuzz (libFuzzer; needs the nightly toolchain). Installs what is missing, then runs
# each target for a while.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 150 s; order labels reseller)
# Findings (crashing inputs) land in fuzz/artifacts/<target>/; the corpus in fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-150}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(order labels reseller)

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
export PATH="$root/.tools/bin:$PATH"
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked --root "$root/.tools"
fi

# Seed corpora: a valid order and some awkward names, so the fuzzer starts from real shapes.
mkdir -p fuzz/corpus/order fuzz/corpus/labels
cat > fuzz/corpus/order/valid.json <<'JSON'
{"domain":"müller.coop","idn_language":"DE","period":1,"contacts":{"owner":{"first_name":"Anna","last_name":"Müller","organization":"Müller eG","street":["Hauptstraße 1",""],"city":"Berlin","state":"","postcode":"10115","country":"DE","phone":"+49.301234567","fax":"","email":"info@müller.coop"},"admin":null},"nameservers":[{"host":"ns1.example.net","addresses":[]},{"host":"ns1.müller.coop","addresses":["192.0.2.1","2001:db8::1"]}],"eligibility":{"criterion":"ica_member","certified":true}}
JSON
i=0
for name in "Dmüller.coop" "Astraße.coop" "Bxn--mller-kva.coop" "Fпример.coop" "Cniño.coop" \
            "Aраypal.coop" "Aexam‍ple.coop" "AＭÜＬＬＥＲ.coop" "Aab--cd.coop" "Gns1.example.net."; do
  printf '%s' "$name" > "fuzz/corpus/labels/seed$i"; i=$((i + 1))
done

# The reseller target: first byte = length of the query string, then query and form body.
mkdir -p fuzz/corpus/reseller
printf '\000s_login=r1&s_pw=secret&s_command=COMMAND%%3DAddDomain%%0ADOMAIN%%3Dm%%C3%%BCller.coop%%0AX-IDN-LANGUAGE%%3DDE%%0APERIOD%%3D1%%0AOWNERCONTACT0%%3DP-ABC%%0ANAMESERVER0%%3Dns1.example.net%%0ANAMESERVER1%%3Dns2.example.net%%0AX-COOP-ELIGIBILITY%%3D1' \
  > fuzz/corpus/reseller/add_domain
printf '\077command=AddContact&firstname=Anna&lastname=Berg&street0=Weg+1&city=Berlin&zip=10115&country=DE&phone=%%2B49.301234567&email=a%%40b.de' \
  > fuzz/corpus/reseller/add_contact_get
printf '\000s_login=r1&s_sessionid=abc&s_command=command+%%3D+TransferDomain%%0Adomain+%%3D+x.coop%%0Aaction+%%3D+REQUEST%%0Aauth+%%3D+a%%3Db%%3Dc' \
  > fuzz/corpus/reseller/transfer

cd fuzz
failed=0
for target in "${targets[@]}"; do
  echo "== fuzzing $target for ${seconds}s"
  log="$root/target/fuzz-$target.log"
  mkdir -p "$root/target"
  status=0
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=4096 > "$log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|panicked|deadly signal|SUMMARY|Test unit written' "$log" || true
  if [ "$status" != 0 ]; then
    echo "!! $target failed (exit $status); full log: $log; inputs in fuzz/artifacts/$target/"
    failed=1
  fi
done
exit "$failed"
