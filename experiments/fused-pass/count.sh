#!/bin/bash
# Instructions per payload (callgrind), the fused pass against qrcert's validator, both in the
# one binary: N iterations minus a run of 0, divided by N.
# `./count.sh free-primitives` counts the fused pass built with that feature instead (a bound:
# the CRC, the S-value checks and GUID classification skipped).
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = free-primitives ]; then
  cargo build --release --quiet --features free-primitives --target-dir target/free
  bin=target/free/release/fused-pass
  who_all="fused"
else
  cargo build --release --quiet
  bin=target/release/fused-pass
  who_all="fused validator"
fi
n=10000
run() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
for s in emvco-static emvco-fee emvco-annex-b; do
  for who in $who_all; do
    a=$(run "$bin" "$s" "$n" "$who"); z=$(run "$bin" "$s" 0 "$who")
    printf '%s %s %d\n' "$s" "$who" $(( (a - z) / n ))
  done
done
