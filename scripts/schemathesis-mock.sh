#!/usr/bin/env bash
# Schemathesis (PyPI, pinned, in a venv under target/) against `contract mock`, bounded to
# --seconds per provider (fixed seed): zero server errors that were not injected (none are
# injected here) and zero responses that break the spec. Checks: `not_a_server_error`, the
# conformance of documented responses (schema, content type, headers), and that the mock refuses
# what the contract refuses (`negative_data_rejection`, `missing_required_header`,
# `unsupported_method`). Not `status_code_conformance`: the mock's own refusals (422
# `application/problem+json`, 404/405 for undocumented routes) are deliberately not in the specs,
# and are sent only for statuses a spec leaves undocumented. Prints per provider the test cases
# run and the failures; exit 0 when every provider passes, 1 on any finding (or a mock that
# stopped), 2 on a broken run. scripts/test.sh runs it with --seconds 20.
#
# Usage: scripts/schemathesis-mock.sh [--seconds 60] [--provider upmoney]... [--seed N]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The version the run in BENCHMARKS.md used; its CLI flags (`--max-time`, `--report ndjson`) are 4.x.
VERSION=4.32.5
SECONDS_PER=60
SEED=1
PROVIDERS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER=$2; shift 2 ;;
        --provider) PROVIDERS+=("$2"); shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ ${#PROVIDERS[@]} -gt 0 ]] || PROVIDERS=(connectfi nueve09 qitech undostres upmoney)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
[[ $TARGET = /* ]] || TARGET="$REPO/$TARGET"
WORK="$REPO/target/schemathesis"
mkdir -p "$WORK"
ST="$WORK/venv/bin/schemathesis"
if ! "$ST" --version 2>/dev/null | grep -q " $VERSION\$"; then
    # Debian's python3 lacks `venv` without python3-venv: install it where we may (CI is root).
    python3 -m venv "$WORK/venv" 2>/dev/null || {
        rm -rf "$WORK/venv"
        [[ $(id -u) = 0 ]] && apt-get install -y -q python3-venv >/dev/null
        python3 -m venv "$WORK/venv"
    } || { echo "error: python3 -m venv failed (install python3-venv)" >&2; exit 2; }
    "$WORK/venv/bin/pip" install -q "schemathesis==$VERSION" ||
        { echo "error: pip could not install schemathesis==$VERSION" >&2; exit 2; }
fi
cargo build -q -p contract-mock --manifest-path "$REPO/Cargo.toml"
PORT=4720
"$TARGET/debug/contract-mock" --specs-dir "$REPO/specs" --listen 127.0.0.1:$PORT \
    2>"$WORK/mock.log" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
up=0
for _ in $(seq 1 60); do
    curl -s -o /dev/null http://127.0.0.1:$PORT/__mock/state && { up=1; break; }
    sleep 0.5
done
[[ $up = 1 ]] || { echo "error: the mock did not start (see $WORK/mock.log)" >&2; exit 2; }

CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance
CHECKS+=,response_headers_conformance,negative_data_rejection,missing_required_header
CHECKS+=,unsupported_method

# Schemathesis keeps a cache in its working folder: keep it under target/, out of the tree.
cd "$WORK"
failed=0
for provider in "${PROVIDERS[@]}"; do
    echo "== $provider (${SECONDS_PER}s)"
    report="$WORK/$provider.junit.xml"
    rm -f "$report"
    # Schemathesis itself sometimes fails inside Hypothesis (seen: "AST constructor recursion
    # depth mismatch", a Runtime Error under ERRORS with no check failing). Such a run says
    # nothing about the mock, so it is run once more; a run with a FAILURES section (a check the
    # mock broke) is never retried.
    for attempt in 1 2; do
        # Every credential header any spec names, so secured operations get past their 401.
        # --max-time bounds the run itself; `timeout` only guards against a hung one.
        status=0
        timeout $((SECONDS_PER * 2 + 120)) "$ST" run \
            "$REPO/specs/$provider.yaml" --url "http://127.0.0.1:$PORT/$provider" \
            --checks "$CHECKS" \
            --max-time "$SECONDS_PER" --seed "$SEED" --workers 2 --no-color \
            --generation-database none \
            --report junit --report-junit-path "$report" \
            -H "Authorization: Bearer st-token" -H "x-secret: st-secret" \
            -H "Authorization-key: st-token" -H "API-CLIENT-KEY: st-key" \
            -H "x-connectfi-token: st-token" >"$WORK/$provider.log" 2>&1 || status=$?
        if [[ $status != 0 ]] && ! grep -q "^=* FAILURES =*$" "$WORK/$provider.log" \
            && grep -q "^=* ERRORS =*$" "$WORK/$provider.log" && [[ $attempt = 1 ]]; then
            echo "   schemathesis failed internally (no check failed); running it again"
            cp "$WORK/$provider.log" "$WORK/$provider.attempt1.log"
            continue
        fi
        break
    done
    # The closing summary line, e.g. "== 8 passed, 1 failed in 60.12s ==", and the test cases.
    { grep -A1 "^Test cases:" "$WORK/$provider.log" | tail -n 1
      grep -E "^ *❌ ST[0-9]+ " "$WORK/$provider.log"
      grep -E "^=+ .* in [0-9.]+s" "$WORK/$provider.log"; } | sed 's/^ */   /' || true
    case $status in
        0) echo "   passed" ;;
        1) echo "   FAILED (see $WORK/$provider.log)"; failed=1 ;;
        *) echo "   schemathesis exited $status (see $WORK/$provider.log)"; failed=1 ;;
    esac
done
if ! kill -0 $MOCK 2>/dev/null; then
    echo "the mock stopped during the run" >&2
    failed=1
fi
exit $failed
