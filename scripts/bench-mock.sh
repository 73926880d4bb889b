#!/usr/bin/env bash
# The mock against Prism, side by side in one run, on the same spec, machine and load tool:
# `contract mock` (release build) and `@stoplight/prism-cli` (npm, `-v warn`) each serve
# specs/upmoney.yaml on loopback; wrk (Debian) drives 32 connections for a bounded time per case.
# Cases: a valid activation (card 1002 is already active, so the mock walks its lifecycle and
# answers the documented 409 every time; Prism answers its static 200) and an invalid one
# (`activationCode` too long: the documented 400). Prints rps, p99 and each server's RSS as a
# Markdown table. Targets (issue 11): mock rps >= 10x Prism for both cases, p99 < 2 ms, RSS < 50 MB.
#
# Usage: scripts/bench-mock.sh [--duration 10] [--connections 32] [--threads 2]
# Installs what is missing: wrk (apt-get), Prism (npm, into target/bench-mock/prism).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=10
CONNECTIONS=32
THREADS=2
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
WORK="$REPO/target/bench-mock"
mkdir -p "$WORK"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
PRISM="$WORK/prism/node_modules/.bin/prism"
[[ -x "$PRISM" ]] || npm install --silent --prefix "$WORK/prism" @stoplight/prism-cli >/dev/null
cargo build --release -q -p contract -p contract-mock --manifest-path "$REPO/Cargo.toml"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$REPO/target/release/contract" mock --spec "$REPO/specs/upmoney.yaml" --listen 127.0.0.1:4710 \
    2>"$WORK/mock.log" &
PIDS+=($!)
MOCK_PID=$!
"$PRISM" mock "$REPO/specs/upmoney.yaml" -p 4711 -h 127.0.0.1 -v warn >"$WORK/prism.log" 2>&1 &
PIDS+=($!)
PRISM_PID=$!
for port in 4710 4711; do
    for _ in $(seq 1 120); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.5
    done
done

# One wrk script per case: method, headers and body.
write_lua() { # file body
    cat >"$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-secret"] = "bench-secret"
wrk.headers["Authorization-key"] = "bench-token"
wrk.body = '$2'
LUA
}
write_lua "$WORK/valid.lua" '{"activationCode": "123456"}'
write_lua "$WORK/invalid.lua" '{"activationCode": "1234567"}'

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# Prism runs node under the npm shim: the RSS that counts is its largest process.
prism_rss_mb() {
    local best=0 pid rss
    for pid in $PRISM_PID $(pgrep -P "$PRISM_PID" || true); do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        ((rss > best)) && best=$rss
    done
    awk -v kb="$best" 'BEGIN {printf "%.1f", kb / 1024}'
}

run() { # name url lua
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2")
    local rps p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$1|$rps|$p99|${non2xx:-0}"
}

echo "| case | server | requests/s | p99 | non-2xx responses | RSS after (MB) |"
echo "|---|---|---|---|---|---|"
for case in valid invalid; do
    IFS='|' read -r _ mock_rps mock_p99 mock_non <<<"$(run mock "http://127.0.0.1:4710/upmoney/cards/activate/1002" "$WORK/$case.lua")"
    echo "| $case | contract mock | $mock_rps | $mock_p99 | $mock_non | $(rss_mb $MOCK_PID) |"
    IFS='|' read -r _ prism_rps prism_p99 prism_non <<<"$(run prism "http://127.0.0.1:4711/cards/activate/1002" "$WORK/$case.lua")"
    echo "| $case | Prism | $prism_rps | $prism_p99 | $prism_non | $(prism_rss_mb) |"
    awk -v m="$mock_rps" -v p="$prism_rps" -v c="$case" \
        'BEGIN {printf "| %s | ratio | %.1fx | | | |\n", c, (p > 0 ? m / p : 0)}'
done
