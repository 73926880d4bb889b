#!/usr/bin/env bash
# Instructions per call, counted by callgrind: a figure that the code's layout in the bench binary
# cannot move (the interleaved timings, scripts/bench-validators.sh, can move by a third between
# builds on payloads of 20-100 ns). For each payload of the validator bench: the generated
# `is_valid` against the jsonschema build-time validator's, and `validate_*_bytes` against the
# bare scan (`serde_json::from_slice::<IgnoredAny>`). Each figure is the instructions executed in
# the bench's `callgrind_counted_calls` function (its `--count` mode, untimed) divided by the
# calls; the loop around the calls is the same for every contender. Prints Markdown.
#
# Usage: scripts/bench-instructions.sh [--calls 2000] [--out FILE]
# Installs valgrind with apt-get when it is missing.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CALLS=2000
OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --calls) CALLS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
OUT=${OUT:-$(mktemp /tmp/bench-instructions.XXXXXX.md)}

if ! command -v valgrind > /dev/null; then
    echo "== installing valgrind" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq valgrind > /dev/null; else sudo apt-get install -y -qq valgrind > /dev/null; fi
fi

cd "$REPO"
echo "== building the validator bench (release)" >&2
BENCH=$(cargo bench --quiet --locked -p conformance --bench validators --no-run --message-format=json \
    | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "validators" and m.get("executable"):
        print(m["executable"])')

# Instructions per call of one contender on one payload.
per_call() {
    local collected
    collected=$(valgrind --tool=callgrind --toggle-collect='*callgrind_counted_calls*' --callgrind-out-file=/dev/null \
        "$BENCH" --count "$1" "$2" "$CALLS" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    if [[ -z "$collected" ]]; then
        echo "error: callgrind counted nothing for $1 $2" >&2
        exit 1
    fi
    python3 -c "print(f'{$collected / $CALLS:.0f}')"
}

{
    echo "Instructions per call (callgrind, $CALLS calls each; \`$(git rev-parse --short HEAD)\`)."
    echo
    echo "| payload | generated \`is_valid\` | build-time \`is_valid\` | times fewer | \`validate_*_bytes\` | bare scan | times the scan |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for provider in connectfi nueve09 qitech undostres upmoney; do
        for kind in valid invalid; do
            payload="$provider-$kind"
            ours=$(per_call "$payload" value-generated-is_valid)
            built=$(per_call "$payload" value-jsonschema_macro-is_valid)
            bytes=$(per_call "$payload" bytes-generated-validate_bytes)
            scan=$(per_call "$payload" bytes-scan-ignored_any)
            python3 -c "print(f'| $payload | $ours | $built | {$built / $ours:.2f} | $bytes | $scan | {$bytes / $scan:.2f} |')"
        done
    done
} | tee "$OUT"
echo "== report in $OUT" >&2
