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
stage "codegen check, the constructs fixture (codegen/roundtrip)" cargo run -q -p codegen -- check --spec codegen/roundtrip/constructs.yaml --out codegen/roundtrip --no-lambdas
stage "codegen lint spec/accounts.yaml" cargo run -q -p codegen -- lint spec/accounts.yaml

# The Terraform tests mostly wait on moto and terraform: they run beside the cargo stages
# (with the codegen just built), and their result is counted at the end.
tf_log=$(mktemp "${TMPDIR:-/tmp}/ci-terraform.XXXXXX")
printf '\n=== terraform: fmt, validate, apply/destroy on moto, checkov (started in the background, log %s)\n' "$tf_log"
tf_started=$SECONDS
# A copy: the cargo stages may relink target/debug/codegen meanwhile.
cp "$root/target/debug/codegen" "$tf_log.codegen"
CODEGEN="$tf_log.codegen" bash terraform/tests/run.sh >"$tf_log" 2>&1 &
tf_pid=$!
terraform_stage() {
  local rc=0
  wait "$tf_pid" || rc=$?
  cat "$tf_log"
  echo "(terraform tests ran for $((SECONDS - tf_started)) s beside the other stages)"
  return "$rc"
}
stage "cargo fmt --check" cargo fmt --all -- --check
stage "cargo clippy -D warnings" cargo clippy -q --workspace --all-targets -- -D warnings
stage "cargo test --workspace (unit, conformance on moto, e2e, codegen suites)" cargo test --workspace --no-fail-fast
stage "schemathesis against the local server" bash .ci/schemathesis.sh
stage "headless chromium: /docs lists every operation" bash .ci/browser.sh
stage "fuzz: every cargo-fuzz target for 20 s, regressions replayed" bash .ci/fuzz.sh
stage "terraform: fmt, validate, apply/destroy on moto, checkov" terraform_stage
stage "benchmark smoke run" bash .ci/bench.sh --smoke

echo
if [ "$failed" -gt 0 ]; then
  printf 'ci: failed stage: %s\n' "${failures[@]}"
fi
echo "ci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
