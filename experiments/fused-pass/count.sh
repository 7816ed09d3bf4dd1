#!/bin/bash
# Instructions per payload (callgrind), the fused pass against qrcert's validator, both in the
# one binary: N iterations minus a run of 0, divided by N.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
bin=target/release/fused-pass
n=10000
run() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
for s in emvco-static emvco-fee emvco-annex-b; do
  for who in fused validator; do
    a=$(run "$bin" "$s" "$n" "$who"); z=$(run "$bin" "$s" 0 "$who")
    printf '%s %s %d\n' "$s" "$who" $(( (a - z) / n ))
  done
done
