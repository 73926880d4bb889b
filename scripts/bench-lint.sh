#!/usr/bin/env bash
# Lint bench (issue 10): `contract lint` against Spectral (`spectral:oas`) on specs/upmoney.yaml
# copied 100× (../shared/scale/make_scaled_spec.py), side by side in one run. Prints each tool's
# wall time (min / median / max of --runs), the speed-up against the 20× target, and the findings
# of both where the rule names overlap, with their counts per rule.
#
# Usage: scripts/bench-lint.sh [--scale 100] [--runs 10] [--work DIR] [--spectral VERSION]
# Environment: SCALE_DIR (default ../shared/scale from the repository); CONTRACT_BIN (a built
# contract binary to time instead of building one).
#
# It installs what it needs when missing: @stoplight/spectral-cli from npm (into the work folder,
# never globally), PyYAML (pip) and hyperfine (apt-get; without it, a timing loop). The release
# `contract` is built with `cargo build --release -p contract`. It is a benchmark, not a CI step.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCALE_DIR=${SCALE_DIR:-$REPO/../shared/scale}
SCALE=100
RUNS=10
WORK=""
SPECTRAL_VERSION=6

while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) SCALE=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --spectral) SPECTRAL_VERSION=$2; shift 2 ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

if [[ -z "$WORK" ]]; then
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

echo "== setup (not timed)" >&2
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
if ! command -v hyperfine >/dev/null; then
    (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine; }) >/dev/null 2>&1 || true
fi
if [[ ! -x "$WORK/spectral/node_modules/.bin/spectral" ]]; then
    npm install --silent --no-audit --no-fund --prefix "$WORK/spectral" "@stoplight/spectral-cli@$SPECTRAL_VERSION" >&2
fi
SPECTRAL="$WORK/spectral/node_modules/.bin/spectral"
# CONTRACT_BIN names an already built binary (to bench while another build holds target/).
if [[ -n "${CONTRACT_BIN:-}" ]]; then
    CONTRACT=$(realpath "$CONTRACT_BIN")
else
    (cd "$REPO" && cargo build --quiet --release -p contract)
    CONTRACT="$REPO/target/release/contract"
fi

# The scaled spec sits beside a copy of specs/README.md, whose extension table
# contract-known-extension reads; no contract.toml there, so both tools run their defaults.
mkdir -p "$WORK/specs"
SPEC="$WORK/specs/upmoney-x$SCALE.yaml"
python3 "$SCALE_DIR/make_scaled_spec.py" "$REPO/specs/upmoney.yaml" "$SCALE" "$SPEC"
cp "$REPO/specs/README.md" "$WORK/specs/README.md"
printf 'extends: ["spectral:oas"]\n' > "$WORK/.spectral.yaml"
echo "spec: $SPEC ($(wc -l < "$SPEC") lines, $(wc -c < "$SPEC") bytes)" >&2
echo "contract: $("$CONTRACT" --version); spectral: $("$SPECTRAL" --version)" >&2

cd "$WORK"
CONTRACT_CMD="$CONTRACT lint --format json $SPEC"
SPECTRAL_CMD="$SPECTRAL lint --quiet --format json --ruleset $WORK/.spectral.yaml $SPEC"

echo "== timing ($RUNS runs each)" >&2
if command -v hyperfine >/dev/null; then
    hyperfine --style basic --warmup 1 --runs "$RUNS" -i --export-json "$WORK/times.json" \
        -n contract "$CONTRACT_CMD" -n spectral "$SPECTRAL_CMD" >&2
    python3 - "$WORK/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name in ("contract", "spectral"):
    r = results[name]
    times = sorted(r["times"])
    print(f"| {name} | {min(times):.3f} s | {r['median']:.3f} s | {max(times):.3f} s | ±{r['stddev']:.3f} s |")
speedup = results["spectral"]["median"] / results["contract"]["median"]
print(f"\nspeed-up (median / median): {speedup:.1f}x; target >= 20x: {'met' if speedup >= 20 else 'NOT met'}")
PY
else
    for name in contract spectral; do
        cmd=CONTRACT_CMD; [[ $name == spectral ]] && cmd=SPECTRAL_CMD
        : > "$WORK/$name.times"
        for _ in $(seq "$RUNS"); do
            start=$(date +%s%N); ${!cmd} > /dev/null 2>&1 || true; end=$(date +%s%N)
            echo $(( (end - start) / 1000000 )) >> "$WORK/$name.times"
        done
    done
    python3 - "$WORK" <<'PY'
import statistics, sys
med = {}
for name in ("contract", "spectral"):
    times = sorted(int(t) / 1000 for t in open(f"{sys.argv[1]}/{name}.times"))
    med[name] = statistics.median(times)
    print(f"| {name} | {times[0]:.3f} s | {med[name]:.3f} s | {times[-1]:.3f} s | (timing loop) |")
print(f"\nspeed-up (median / median): {med['spectral'] / med['contract']:.1f}x; target >= 20x: {'met' if med['spectral'] / med['contract'] >= 20 else 'NOT met'}")
PY
fi

echo "== findings where the rules overlap" >&2
$CONTRACT_CMD > "$WORK/contract.json" || true
$SPECTRAL_CMD > "$WORK/spectral.json" || true
python3 - "$WORK/contract.json" "$WORK/spectral.json" "$REPO/generator/src/lint/rules.rs" <<'PY'
import collections, json, re, sys
contract = json.load(open(sys.argv[1]))
spectral = json.load(open(sys.argv[2]))
ours = {m for m in re.findall(r'rule!\(\s*"([^"]+)"', open(sys.argv[3]).read()) if not m.startswith("contract-")}
def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")
mine = collections.Counter()
mine_at = set()
for section in contract["sections"]:
    for f in section["findings"]:
        mine[f["rule"]] += 1
        mine_at.add((f["rule"], f["location"]["pointer"]))
theirs = collections.Counter()
theirs_at = set()
for f in spectral:
    theirs[f["code"]] += 1
    theirs_at.add((f["code"], "".join("/" + escape(p) for p in f["path"])))
rules = sorted((set(mine) | set(theirs)) & (ours | set(mine)))
print("| rule | contract | spectral | same pointers |")
print("|---|---|---|---|")
for rule in sorted(set(mine) | set(theirs)):
    if rule not in ours and rule in theirs:
        label = f"{rule} (Spectral only)"
    else:
        label = rule
    same = len({p for r, p in mine_at if r == rule} & {p for r, p in theirs_at if r == rule})
    print(f"| {label} | {mine[rule]} | {theirs[rule]} | {same} |")
only_mine = sorted(p for p in mine_at - theirs_at if p[0] in ours)[:10]
only_theirs = sorted(p for p in theirs_at - mine_at if p[0] in ours)[:10]
if only_mine:
    print("\nfirst findings only contract reports:", *only_mine, sep="\n  ")
if only_theirs:
    print("\nfirst findings only Spectral reports:", *only_theirs, sep="\n  ")
PY
