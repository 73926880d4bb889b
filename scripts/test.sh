#!/usr/bin/env bash
# README's test command: every test of the workspace, then the project's own contract gate.
# Installs what the tests need that the Rust toolchain does not bring (see below), so it runs
# on a fresh machine. `.ci/run` calls it after fmt and clippy.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The docs site is tested in a real browser (generator/tests/docs_browser.rs fails without one):
# Debian's chromium, installed when missing (as root, as on CI; otherwise install it yourself).
if ! command -v chromium >/dev/null; then
    echo "== installing chromium (Debian package) for the docs browser test"
    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; })
fi

echo "== cargo test --workspace"
mkdir -p target
cargo test --workspace --locked 2>&1 | tee target/cargo-test.log

# The gate CI runs on every change: lint, freshness of generated/, sample verdicts, and breaking
# changes against a base: CONTRACT_BASE if set (a CI job sets its target branch), else the
# previous commit, so a spec change that breaks clients without a major bump of info.version
# fails here. A clone without history (shallow) has no base: said so, the rest still runs.
# JUnit and SARIF copies for CI tools to pick up.
echo "== contract check"
base=${CONTRACT_BASE:-}
if [ -z "$base" ] && git rev-parse -q --verify 'HEAD^{commit}' >/dev/null 2>&1 \
    && git rev-parse -q --verify 'HEAD^' >/dev/null 2>&1; then
    base='HEAD^'
fi
base_args=()
if [ -n "$base" ]; then
    base_args=(--base "$base")
    echo "breaking changes checked against $base ($(git rev-parse --short "$base"))"
else
    echo "note: no base commit (shallow clone?) and no CONTRACT_BASE: the diff part is not run"
fi
mkdir -p target/contract-check
cargo run -q --locked -p contract -- check "${base_args[@]}" --format junit > target/contract-check/junit.xml || true
cargo run -q --locked -p contract -- check "${base_args[@]}" --format sarif > target/contract-check/results.sarif || true
cargo run -q --locked -p contract -- check "${base_args[@]}"

# The mock fuzzed by Schemathesis (issue 11): bounded (20 s per provider, ~3 min with the venv),
# fixed seed, fails on any finding. Installs its own venv (PyPI) under target/schemathesis.
echo "== schemathesis against contract mock"
scripts/schemathesis-mock.sh --seconds 20

# Screenshots of the docs site (artifacts, not committed): ${CARGO_TARGET_DIR:-target}/docs-screenshots/

# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' \
    target/cargo-test.log
