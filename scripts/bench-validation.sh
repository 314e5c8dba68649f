#!/usr/bin/env bash
# Benchmarks the validation core (issue 3) in one command:
#  1. a deterministic corpus of 100k names (ASCII, valid IDN of each table, invalid ones);
#  2. the Rust example `validate` over it, and Python's `idna` package (IDNA2008) over the
#     same corpus in the same run: names/s for each and the ratio (target >= 20x);
#  3. a full order validation, natively (`bench_order`): ns per order (target well under 10 us);
#  4. the results, with the machine and date, into docs/benchmarks.md under
#     "## Validation core (issue 3)".
# Usage: scripts/bench-validation.sh [COUNT]   (COUNT defaults to 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=${1:-100000}
work="$root/target/bench-validation"
mkdir -p "$work"

# Python baseline in a local venv (idna pinned).
py="$root/.tools/py/bin/python"
if ! "$py" -c 'import idna, sys; sys.exit(idna.__version__ != "3.18")' 2>/dev/null; then
  python3 -m venv "$root/.tools/py"
  "$root/.tools/py/bin/pip" install --quiet idna==3.18
fi

python3 scripts/bench/gen_label_corpus.py "$count" > "$work/corpus.jsonl"
cargo build --release --quiet -p coopreg-shared --example validate --example bench_order

python3 scripts/bench/run_validation_bench.py \
  --corpus "$work/corpus.jsonl" --count "$count" \
  --rust "$root/target/release/examples/validate" \
  --order "$root/target/release/examples/bench_order" \
  --python "$py" --python-script scripts/bench/idna_python.py \
  --doc docs/benchmarks.md
