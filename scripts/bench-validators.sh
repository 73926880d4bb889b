#!/usr/bin/env bash
# Validator speed with a verdict that does not flip between runs: the validator bench in its
# interleaved mode (tests/benches/validators/interleaved.rs). The contenders of each payload run
# in alternating rounds of short batches, each ratio (generated vs peer) is taken round by round,
# the whole measurement is repeated, and a target is met only when the WORST repetition of the
# worst payload meets it. Prints Markdown tables: ns per call with the spread of the repetitions,
# every ratio per payload and repetition (min / median / max), and the verdicts.
#
# Usage: scripts/bench-validators.sh [--repetitions 3] [--rounds 100] [--slice-us 1000] [--out FILE]
# Before measuring, the bench asserts every contender's verdict and the generated code's error
# counts against the oracle (as the criterion run does: `cargo bench -p conformance --bench validators`).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPETITIONS=3
ROUNDS=100
SLICE_US=1000
OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --repetitions) REPETITIONS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --slice-us) SLICE_US=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
OUT=${OUT:-$(mktemp /tmp/bench-validators.XXXXXX.md)}

cd "$REPO"
started=$(date +%s)
echo "== building the validator bench (release)" >&2
cargo bench --quiet --locked -p conformance --bench validators --no-run
echo "== measuring: $REPETITIONS repetitions x $ROUNDS rounds, batches of ~$SLICE_US us" >&2
# Bounded: the run stops by itself; the timeout is only a guard against a hang.
timeout 3600 cargo bench --quiet --locked -p conformance --bench validators -- \
    --interleaved --repetitions "$REPETITIONS" --rounds "$ROUNDS" --slice-us "$SLICE_US" | tee "$OUT"
echo >&2
echo "== $(($(date +%s) - started)) s in all; report in $OUT" >&2
