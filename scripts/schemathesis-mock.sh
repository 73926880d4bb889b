#!/usr/bin/env bash
# Schemathesis (PyPI, in a venv under target/) against `contract mock`, bounded to --seconds per
# provider: zero server errors that were not injected (none are injected here), zero documented
# responses that break their schema. The checks are `not_a_server_error` and
# `response_schema_conformance`: the mock's own refusals (422 `application/problem+json`, 404/405
# for undocumented routes) are deliberately not in the specs, so status-code conformance is not
# asked for. Exit 0 when every provider passes.
#
# Usage: scripts/schemathesis-mock.sh [--seconds 60] [--provider upmoney]...
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER=60
PROVIDERS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER=$2; shift 2 ;;
        --provider) PROVIDERS+=("$2"); shift 2 ;;
        -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ ${#PROVIDERS[@]} -gt 0 ]] || PROVIDERS=(connectfi nueve09 qitech undostres upmoney)
WORK="$REPO/target/schemathesis"
mkdir -p "$WORK"
[[ -x "$WORK/venv/bin/schemathesis" ]] || {
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q schemathesis
}
cargo build -q -p contract-mock --manifest-path "$REPO/Cargo.toml"
"$REPO/target/debug/contract-mock" --specs-dir "$REPO/specs" --listen 127.0.0.1:4720 \
    2>"$WORK/mock.log" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:4720/__mock/state && break; sleep 0.5; done

# Schemathesis keeps a cache in its working folder: keep it under target/, out of the tree.
cd "$WORK"
failed=0
for provider in "${PROVIDERS[@]}"; do
    echo "== $provider (${SECONDS_PER}s)"
    # Every credential header any spec names, so secured operations get past their 401.
    if ! timeout --signal=INT "$SECONDS_PER" "$WORK/venv/bin/schemathesis" run \
        "$REPO/specs/$provider.yaml" --url "http://127.0.0.1:4720/$provider" \
        --checks not_a_server_error,response_schema_conformance \
        -H "Authorization: Bearer st-token" -H "x-secret: st-secret" \
        -H "Authorization-key: st-token" -H "API-CLIENT-KEY: st-key" \
        -H "x-connectfi-token: st-token" >"$WORK/$provider.log" 2>&1; then
        status=$?
        # 124/130: the time bound ended the run; only the checks' verdict counts.
        if grep -qE "^(FAILURES|[0-9]+ failures?)|Failed checks|✘" "$WORK/$provider.log"; then
            echo "   FAILED (see $WORK/$provider.log)"
            failed=1
        elif [[ $status -ne 124 && $status -ne 130 ]]; then
            echo "   schemathesis exited $status (see $WORK/$provider.log)"
            failed=1
        else
            echo "   passed (stopped by the time bound)"
        fi
    else
        echo "   passed"
    fi
    tail -n 5 "$WORK/$provider.log" | sed 's/^/   /'
done
if ! kill -0 $MOCK 2>/dev/null; then
    echo "the mock stopped during the run" >&2
    failed=1
fi
exit $failed
