#!/usr/bin/env bash
# Times `contract diff` on the 100x spec (../shared/scale/make_scaled_spec.py from
# specs/upmoney.yaml) against a copy with 100 edits (property removed, made required, maxLength
# changed, enum value added, in turn). Target: under 0.5 s, worst of the timed runs.
# Usage: scripts/bench-diff.sh [RUNS] (default 10). Needs Python 3 with PyYAML.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE="${SCALE_DIR:-../shared/scale}"
[ -d "$SCALE" ] || SCALE=/work/shared/scale
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
RUNS=${1:-10}

cargo build --release -q -p contract
BIN=target/release/contract

python3 "$SCALE/make_scaled_spec.py" specs/upmoney.yaml 100 "$WORK/base.yaml"
python3 - "$WORK/base.yaml" "$WORK/revision.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
schemas = doc["components"]["schemas"]
edits = 0
for name in sorted(schemas):
    props = schemas[name].get("properties")
    if not props or edits >= 100:
        continue
    prop = sorted(props)[0]
    kind = edits % 4
    if kind == 0:
        del props[prop]
    elif kind == 1:
        schemas[name].setdefault("required", [])
        if prop in schemas[name]["required"]:
            continue
        schemas[name]["required"].append(prop)
    elif kind == 2:
        props[prop]["maxLength"] = 7
    else:
        props[prop]["enum"] = props[prop].get("enum", []) + ["bench-value"]
    edits += 1
yaml.safe_dump(doc, open(sys.argv[2], "w"), sort_keys=False)
print(f"{edits} edits", file=sys.stderr)
PY

echo "spec: $(du -h "$WORK/base.yaml" | cut -f1), $(grep -c '' "$WORK/base.yaml") lines"
# One warm-up run (page cache, binary), not timed; then RUNS timed runs, the worst decides.
"$BIN" diff "$WORK/base.yaml" "$WORK/revision.yaml" --format json > "$WORK/out.json" || true
times=()
for run in $(seq 1 "$RUNS"); do
    start=$(date +%s.%N)
    set +e
    "$BIN" diff "$WORK/base.yaml" "$WORK/revision.yaml" --format json > "$WORK/out.json"
    code=$?
    set -e
    end=$(date +%s.%N)
    elapsed=$(echo "$end - $start" | bc)
    times+=("$elapsed")
    echo "run $run: $elapsed s (exit $code)"
done
python3 - "${times[@]}" <<'PY'
import statistics, sys
times = sorted(float(t) for t in sys.argv[1:])
verdict = "met" if times[-1] < 0.5 else "NOT met"
print("| runs | min s | median s | max s | target (worst < 0.5 s) |")
print("|---|---|---|---|---|")
print(f"| {len(times)} | {times[0]:.3f} | {statistics.median(times):.3f} | {times[-1]:.3f} | {verdict} |")
PY
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(len(j['changes']), 'changes, semver', j['semver'])" "$WORK/out.json"
