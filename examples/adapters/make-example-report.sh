#!/usr/bin/env bash
# Regenerates the committed example report of a third-party adapter:
#   examples/adapters/make-example-report.sh bakong-khqr
#   examples/adapters/make-example-report.sh promptparse
#   examples/adapters/make-example-report.sh vietnam-qr-pay
# Installs the pinned package when missing (npm ci), certifies it against the suite at the
# suite's reference clock, and keeps report.json and the printed summary in reports/examples/NAME/.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: $0 bakong-khqr|promptparse|vietnam-qr-pay}
case "$name" in
  bakong-khqr) profiles=(--profile khqr --profile interop) ;;  # the SDK claims KHQR only
  promptparse) profiles=(--profile emvco --profile thaiqr) ;;   # EMVCo, and Thai QR as a Thai app uses it
  vietnam-qr-pay) profiles=(--profile vietqr) ;;                # the library claims VietQR only
  *) echo "unknown adapter: $name" >&2; exit 2 ;;
esac
dir=examples/adapters/$name
[ -d "$dir/node_modules" ] || npm ci --prefix "$dir" --no-audit --no-fund
out=reports/examples/$name
rm -rf "$out"
mkdir -p "$out"
set +e
cargo run --release -q -- run --adapter "$dir/adapter.yaml" "${profiles[@]}" \
  --now 2026-05-28T20:41:40Z --out "$out" --quiet > "$out/summary.txt"
code=$?
set -e
rm -f "$out/report.jsonl"   # the same cases as report.json, streamed
# 0 certified, 1 not certified: both are results; 2 is a harness error.
if [ "$code" -gt 1 ]; then echo "the run failed (exit $code)" >&2; exit "$code"; fi
cat "$out/summary.txt"
