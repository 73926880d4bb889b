#!/usr/bin/env bash
# Speed of `contract validate --har`: a HAR 1.2 archive of N entries (default 100,000) made by
# python from a few templates against specs/upmoney.yaml (conforming requests and responses,
# bodies that break the schema, a missing credential, a no-content status with an empty body,
# base64 bodies, other hosts), then the release binary timed on it, repeated. Prints each
# repetition's wall time, min / median / max, and whether the worst repetition meets the target
# (under 2 s for 100,000 entries). Exit 1 from the command is expected (some entries fail).
#
# Usage: scripts/bench-har.sh [--entries 100000] [--repetitions 5] [--out FILE]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENTRIES=100000
REPETITIONS=5
OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --entries) ENTRIES=$2; shift 2 ;;
        --repetitions) REPETITIONS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
WORK=$(mktemp -d /tmp/bench-har.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
HAR="$WORK/traffic.har"

cd "$REPO"
echo "== building contract (release)" >&2
cargo build --quiet --locked --release -p contract --bin contract
BIN="$REPO/target/release/contract"

echo "== writing $ENTRIES entries to $HAR" >&2
python3 - "$ENTRIES" "$HAR" <<'PY'
import base64, json, sys

count, path = int(sys.argv[1]), sys.argv[2]
card = open("specs/samples/upmoney/doc/response-200.json").read()
creds = [{"name": "x-secret", "value": "s"}, {"name": "Authorization-key", "value": "k"},
         {"name": "content-type", "value": "application/json"}]

def entry(url, body, status, text, headers=creds, encoding=None):
    content = {"mimeType": "application/json", "text": text, "size": len(text)}
    if encoding:
        content["encoding"] = encoding
    return {"startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
            "request": {"method": "POST", "url": url, "httpVersion": "HTTP/1.1",
                        "headers": headers, "queryString": [], "cookies": [],
                        "postData": {"mimeType": "application/json", "text": body},
                        "headersSize": -1, "bodySize": len(body)},
            "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                         "headers": [], "cookies": [], "content": content,
                         "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
            "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}

host = "https://api.up2.money"
templates = [
    entry(f"{host}/cards/activate/123", '{"activationCode": "918273"}', 200, card),
    entry(f"{host}/cards/activate/456", '{"activationCode": "123"}', 200,
          base64.b64encode(card.encode()).decode(), encoding="base64"),
    entry(f"{host}/cards/activate/789", '{"activationCode": "12345678"}', 401, ""),
    entry(f"{host}/cards/activate/1", '{"activationCode": 5}', 200, '{"id": 1}'),
    entry(f"{host}/cards/activate/2", '{"activationCode": "1"}', 403,
          '{"errorCode": "STEP_UP_REQUIRED"}', headers=creds[1:]),
    entry(f"{host}/auth/login", '{"email": "a@example.com", "password": {"value": "p"}}',
          200, '{"token": "t"}'),
    entry("https://elsewhere.example/x", "{}", 200, "{}"),
]
with open(path, "w") as out:
    out.write('{"log": {"version": "1.2", "creator": {"name": "bench-har", "version": "1"}, "entries": [')
    for index in range(count):
        if index:
            out.write(",")
        out.write(json.dumps(templates[index % len(templates)]))
    out.write("]}}")
PY
ls -l "$HAR" >&2
# The verdicts first: every template gives the expected result (a changed spec shows here).
"$BIN" validate --har "$HAR" --spec specs/upmoney.yaml | tail -1 >&2 || true

times=()
for repetition in $(seq 1 "$REPETITIONS"); do
    start=$(date +%s.%N)
    "$BIN" validate --har "$HAR" --spec specs/upmoney.yaml --format json > /dev/null || code=$?
    end=$(date +%s.%N)
    if [[ ${code:-1} -ne 1 ]]; then
        echo "error: exit ${code:-0}, expected 1 (some entries fail on purpose)" >&2
        exit 2
    fi
    unset code
    times+=("$(python3 -c "print(f'{$end - $start:.3f}')")")
    echo "repetition $repetition: ${times[-1]} s" >&2
done
python3 - "$ENTRIES" "${times[@]}" <<'PY' | tee "${OUT:-/dev/null}"
import statistics, sys
entries, times = int(sys.argv[1]), sorted(float(t) for t in sys.argv[2:])
print(f"| entries | repetitions | min s | median s | max s | target (worst < 2 s per 100k) |")
print(f"|---|---|---|---|---|---|")
target = 2.0 * entries / 100000
verdict = "met" if times[-1] < target else "NOT met"
print(f"| {entries} | {len(times)} | {times[0]:.3f} | {statistics.median(times):.3f} | {times[-1]:.3f} | {verdict} |")
PY
