#!/usr/bin/env python3
"""Times the Rust validator and Python's idna over the same corpus, runs the order benchmark,
prints the results and writes them into docs/benchmarks.md (called by
scripts/bench-validation.sh)."""
import argparse
import datetime
import os
import re
import resource
import subprocess
import time


def best_of_three(command, corpus):
    """Best wall-clock and best CPU (user + system) seconds of three runs, and the output."""
    best_wall, best_cpu, output = None, None, b""
    for _ in range(3):
        with open(corpus, "rb") as stdin:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            output = subprocess.run(command, stdin=stdin, stdout=subprocess.PIPE, check=True).stdout
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best_wall, best_cpu, output


def cpu_model():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def idna_crate_version():
    text = open("Cargo.lock").read()
    match = re.search(r'name = "idna"\nversion = "([^"]+)"', text)
    return match.group(1) if match else "?"


def main():
    parser = argparse.ArgumentParser()
    for name in ["corpus", "rust", "order", "python", "python-script", "doc"]:
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()

    load = os.getloadavg()[0]
    rust_s, rust_cpu, rust_out = best_of_three([args.rust], args.corpus)
    py_s, py_cpu, py_out = best_of_three([args.python, args.python_script], args.corpus)
    rust_lines = rust_out.decode().splitlines()
    py_lines = py_out.decode().splitlines()
    assert len(rust_lines) == args.count, f"rust wrote {len(rust_lines)} lines"
    assert len(py_lines) == args.count, f"python wrote {len(py_lines)} lines"
    rust_ok = sum('"ok":true' in line for line in rust_lines)
    py_ok = sum('"ok": true' in line for line in py_lines)
    order = subprocess.run([args.order, "200000"], stdout=subprocess.PIPE, check=True).stdout.decode()
    values = dict(line.split() for line in order.splitlines() if line.strip())

    rust_rate = args.count / rust_s
    py_rate = args.count / py_s
    ratio = rust_rate / py_rate
    rust_cpu_rate = args.count / rust_cpu
    py_cpu_rate = args.count / py_cpu
    cpu_ratio = rust_cpu_rate / py_cpu_rate
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cores = os.cpu_count()
    cpu = cpu_model()

    print(f"names:              {args.count}")
    print(f"rust validate:      {rust_s:.3f} s wall, {rust_cpu:.3f} s CPU  {rust_rate:,.0f} names/s wall, {rust_cpu_rate:,.0f} names/CPU-s  ({rust_ok} valid)")
    print(f"python idna 3.18:   {py_s:.3f} s wall, {py_cpu:.3f} s CPU  {py_rate:,.0f} names/s wall, {py_cpu_rate:,.0f} names/CPU-s  ({py_ok} valid)")
    print(f"ratio:              {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU  (target >= 20x)")
    print(f"order (value):      {values['order_value_ns']} ns/order wall, {values['order_value_cpu_ns']} ns CPU")
    print(f"order (JSON text):  {values['order_json_ns']} ns/order wall, {values['order_json_cpu_ns']} ns CPU  (target well under 10000)")

    section = f"""## Validation core (issue 3)

Measured {when} on {cores} cores ({cpu}) with `scripts/bench-validation.sh` (release build,
best of three wall-clock runs each; load average at the start: {load:.1f}. The
machine is shared with other jobs, so the numbers are indicative; CPU time, which load
inflates less than wall-clock time, is given too).

Corpus: {args.count} deterministic .coop names as JSON lines (40 % ASCII LDH, 40 % valid IDN
in the six tables with their tag, 20 % invalid: bad characters, hyphen positions, mixed
scripts, bad A-labels, over-long, upper-case non-ASCII, full-width, joiners). Both sides
read the lines, parse the JSON, validate and write one JSON verdict per line.

| what | time | rate |
|---|---|---|
| Rust `validate` example (our rules over the `idna` {idna_crate_version()} crate) | {rust_s:.3f} s wall, {rust_cpu:.3f} s CPU | {rust_rate:,.0f} names/s wall, {rust_cpu_rate:,.0f} per CPU-second ({rust_ok} valid) |
| Python `idna` 3.18 (IDNA2008 encode + decode) | {py_s:.3f} s wall, {py_cpu:.3f} s CPU | {py_rate:,.0f} names/s wall, {py_cpu_rate:,.0f} per CPU-second ({py_ok} valid) |
| ratio | | **{ratio:.1f}x** wall-clock, **{cpu_ratio:.1f}x** CPU time (target ≥ 20x) |
| full order validation, parsed JSON value (`bench_order`) | {values['order_value_ns']} ns/order wall, {values['order_value_cpu_ns']} ns CPU | |
| full order validation, from JSON text (`bench_order`) | {values['order_json_ns']} ns/order wall, {values['order_json_cpu_ns']} ns CPU | target well under 10 µs |

The two sides do not accept the same set: Python's `idna` checks IDNA2008 only, while ours
adds the .coop language tables, the language tag and the mapping policy (it refuses, for
example, a label mixing Cyrillic and Latin, which IDNA2008 alone allows). Browser (wasm)
numbers are measured separately.
"""
    text = open(args.doc).read() if os.path.exists(args.doc) else "# Benchmarks\n"
    pattern = re.compile(r"^## Validation core \(issue 3\)\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    os.makedirs(os.path.dirname(args.doc) or ".", exist_ok=True)
    with open(args.doc, "w") as doc:
        doc.write(text)
    print(f"written to {args.doc}")


if __name__ == "__main__":
    main()
