#!/usr/bin/env bash
# The test command (README: `./.ci/test.sh`): installs what the tests need,
# then runs every gate and test suite, starting and stopping the services each
# needs (moto, the local server, Chromium). Any failure fails the run; nothing
# is skipped, in CI or not.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only

passed=0
failed=0
failures=()
stage() {
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s: passed (%ss)\n' "$name" $((SECONDS - t0))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - t0))
  fi
}

stage "setup (venvs, chromium, arm64 target)" bash .ci/setup.sh
if [ "$failed" -gt 0 ]; then
  echo "ci: setup failed; nothing else can run"
  echo "ci: $passed passed, $failed failed"
  exit 1
fi
stage "codegen check (generated files match the spec)" cargo run -q -p codegen -- check
stage "codegen lint spec/accounts.yaml" cargo run -q -p codegen -- lint spec/accounts.yaml
stage "cargo fmt --check" cargo fmt --all -- --check
stage "cargo clippy -D warnings" cargo clippy -q --workspace --all-targets -- -D warnings
stage "cargo test --workspace (unit, conformance on moto, e2e, codegen suites)" cargo test --workspace
stage "schemathesis against the local server" bash .ci/schemathesis.sh
stage "headless chromium: /docs lists every operation" bash .ci/browser.sh
stage "terraform: fmt, validate, apply/destroy on moto, checkov" bash terraform/tests/run.sh
stage "benchmark smoke run" bash .ci/bench.sh --smoke

echo
if [ "$failed" -gt 0 ]; then
  printf 'ci: failed stage: %s\n' "${failures[@]}"
fi
echo "ci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
