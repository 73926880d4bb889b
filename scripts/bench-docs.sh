#!/usr/bin/env bash
# Docs bench (issue 12): `contract docs` (release) against Redocly's `build-docs` on each of the
# five specs and on specs/upmoney.yaml copied 100× (../shared/scale/make_scaled_spec.py), side by
# side in one run. Prints, per spec and tool: wall time (min / median / max of --runs, with
# hyperfine's standard deviation), peak memory (max RSS from /usr/bin/time -v), output size, and
# whether it finished (exit status, or "timeout" after --timeout seconds).
#
# Usage: scripts/bench-docs.sh [--runs 10] [--timeout 300] [--work DIR] [--redocly VERSION]
# Environment: SCALE_DIR (default ../shared/scale from the repository), CARGO_TARGET_DIR.
#
# It installs what it needs when missing: @redocly/cli from npm (into the work folder, default
# target/bench-docs/, never globally), PyYAML (pip) and hyperfine (apt-get; without it, a timing
# loop). A benchmark, not a CI step.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCALE_DIR=${SCALE_DIR:-$REPO/../shared/scale}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
RUNS=10
TIMEOUT=300
WORK="$TARGET/bench-docs"
REDOCLY_VERSION=2

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --redocly) REDOCLY_VERSION=$2; shift 2 ;;
        -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
mkdir -p "$WORK/out"

echo "== setup (not timed)" >&2
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
if ! command -v hyperfine >/dev/null; then
    (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine; }) >/dev/null 2>&1 || true
fi
if [[ ! -x "$WORK/redocly/node_modules/.bin/redocly" ]]; then
    npm install --silent --no-audit --no-fund --prefix "$WORK/redocly" "@redocly/cli@$REDOCLY_VERSION" >&2
fi
REDOCLY="$WORK/redocly/node_modules/.bin/redocly"
(cd "$REPO" && cargo build --quiet --release -p contract)
CONTRACT="$TARGET/release/contract"
# Redocly phones home (telemetry) unless told not to; the bench measures the build only.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

SCALED="$WORK/upmoney-x100.yaml"
python3 "$SCALE_DIR/make_scaled_spec.py" "$REPO/specs/upmoney.yaml" 100 "$SCALED"
SPECS=("$REPO"/specs/{connectfi,nueve09,qitech,undostres,upmoney}.yaml "$SCALED")
echo "contract: $("$CONTRACT" --version); redocly: $("$REDOCLY" --version 2>/dev/null); node $(node --version)" >&2
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; runs: $RUNS; timeout: ${TIMEOUT}s" >&2

# One measured run: exit status (or timeout), max RSS in MB, output bytes.
measure() {
    local name=$1 out=$2; shift 2
    local log="$WORK/$name.time"
    local status=0
    /usr/bin/time -v timeout "$TIMEOUT" "$@" > "$WORK/$name.stdout" 2> "$log" || status=$?
    local rss
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
    local size
    size=$(du -sb "$out" 2>/dev/null | cut -f1 || echo 0)
    local verdict=ok
    if [[ $status == 124 ]]; then verdict="timeout"; elif [[ $status != 0 ]]; then verdict="exit $status"; fi
    echo "$verdict|$rss|$size"
}

echo "| spec | tool | min | median | max | ± stddev | peak RSS | output | result |"
echo "|---|---|---|---|---|---|---|---|---|"
for spec in "${SPECS[@]}"; do
    name=$(basename "$spec" .yaml)
    cdir="$WORK/out/$name-contract"
    rfile="$WORK/out/$name-redoc.html"
    rm -rf "$cdir" "$rfile"
    contract_cmd="$CONTRACT docs $spec --out $cdir"
    redocly_cmd="timeout $TIMEOUT $REDOCLY build-docs $spec -o $rfile"
    IFS='|' read -r c_verdict c_rss c_size < <(measure "$name-contract" "$cdir" $contract_cmd)
    IFS='|' read -r r_verdict r_rss r_size < <(measure "$name-redocly" "$rfile" $REDOCLY build-docs "$spec" -o "$rfile")
    if [[ $r_verdict != ok ]]; then
        echo "redocly on $name: $r_verdict; its last lines:" >&2
        tail -5 "$WORK/$name-redocly.time" | sed 's/^/    /' >&2
    fi
    commands=(-n contract "$contract_cmd")
    # Redocly is timed only where it finished; a failing command would be timed as a failure.
    [[ $r_verdict == ok ]] && commands+=(-n redocly "$redocly_cmd")
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$WORK/$name.json" \
            "${commands[@]}" > /dev/null 2>&1
    else
        python3 - "$WORK/$name.json" "$RUNS" "${commands[@]}" <<'PY'
import json, statistics, subprocess, sys, time
out, runs, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
results = []
for i in range(0, len(args), 3):
    name, command = args[i + 1], args[i + 2]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    results.append({"command": name, "times": times, "median": statistics.median(times),
                    "stddev": statistics.stdev(times) if len(times) > 1 else 0.0})
json.dump({"results": results}, open(out, "w"))
PY
    fi
    python3 - "$WORK/$name.json" "$name" "$c_verdict|$c_rss|$c_size" "$r_verdict|$r_rss|$r_size" <<'PY'
import json, sys
path, spec, contract, redocly = sys.argv[1:5]
facts = {"contract": contract.split("|"), "redocly": redocly.split("|")}
timed = {r["command"]: r for r in json.load(open(path))["results"]}
for tool in ("contract", "redocly"):
    verdict, rss, size = facts[tool]
    kb = f"{int(size) / 1024:.0f} KB" if size and size != "0" else "-"
    if tool in timed:
        r = timed[tool]
        t = sorted(r["times"])
        print(f"| {spec} | {tool} | {t[0]:.3f} s | {r['median']:.3f} s | {t[-1]:.3f} s | {r['stddev']:.3f} s | {rss} MB | {kb} | {verdict} |")
    else:
        print(f"| {spec} | {tool} | - | - | - | - | {rss} MB | {kb} | {verdict} |")
if "redocly" in timed:
    print(f"|  | speed-up |  | {timed['redocly']['median'] / timed['contract']['median']:.0f}× |  |  |  |  |  |")
PY
done
