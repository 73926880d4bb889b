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

# The gate CI runs on every change: lint, freshness of generated/, sample verdicts (and, with
# --base REF, breaking changes against REF). JUnit and SARIF copies for CI tools to pick up.
echo "== contract check"
mkdir -p target/contract-check
cargo run -q --locked -p contract -- check --format junit > target/contract-check/junit.xml || true
cargo run -q --locked -p contract -- check --format sarif > target/contract-check/results.sarif || true
cargo run -q --locked -p contract -- check

# The mock fuzzed by Schemathesis (issue 11): bounded (20 s per provider, ~3 min with the venv),
# fixed seed, fails on any finding. Installs its own venv (PyPI) under target/schemathesis.
echo "== schemathesis against contract mock"
scripts/schemathesis-mock.sh --seconds 20

# Screenshots of the docs site (artifacts, not committed): ${CARGO_TARGET_DIR:-target}/docs-screenshots/

# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' \
    target/cargo-test.log
