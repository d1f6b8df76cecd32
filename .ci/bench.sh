#!/usr/bin/env bash
# The one benchmark command (handlers/bench/README.md): builds what it needs,
# runs every benchmark and prints the tables.
#
#   bash .ci/bench.sh                 # full: release builds (Lambdas: lambda-release), arm64 zips, 30 cold starts per binary
#   bash .ci/bench.sh --smoke         # CI: 1 iteration of everything on dev builds, fails if the harness breaks
#   bash .ci/bench.sh --runs 50 --warm 30 --load-seconds 20 --codegen-runs 20
#   bash .ci/bench.sh --no-zips       # skip the arm64 `cargo lambda` build (sizes from the native binaries)
#   bash .ci/bench.sh --lambda-dir target/lambda   # use arm64 zips built earlier instead of building them
#   bash .ci/bench.sh --functions get-my-account,get-health
#   bash .ci/bench.sh -- --env SSL_CERT_DIR=/nonexistent   # after `--`: passed to the bench binary
#
# Needs: wrk (Debian), cargo-lambda in .venv (for the arm64 zips; .ci/setup.sh).
# CARGO_TARGET_DIR is honoured (default: ./target).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

smoke=0
zips=1
runs=30
warm=20
load_seconds=10
codegen_runs=10
functions=""
lambda_dir=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --no-zips) zips=0 ;;
    --runs) runs=$2; shift ;;
    --warm) warm=$2; shift ;;
    --load-seconds) load_seconds=$2; shift ;;
    --codegen-runs) codegen_runs=$2; shift ;;
    --functions) functions=$2; shift ;;
    --lambda-dir) lambda_dir=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

target_dir=${CARGO_TARGET_DIR:-$root/target}
if [ "$smoke" = 1 ]; then
  # Dev builds share their dependencies with the test suite's build, so the
  # smoke run costs little more than linking; timings are meaningless, only
  # that every path of the harness runs and succeeds.
  profile=dev lambda_profile=dev
  bin_dir=$target_dir/debug function_dir=$target_dir/debug
  runs=1 warm=1 load_seconds=1 codegen_runs=1 zips=0
else
  # The Lambdas (and the floor they are compared with) use the profile their
  # zips are built with; the local server, bench and codegen use release.
  profile=release lambda_profile=lambda-release
  bin_dir=$target_dir/release function_dir=$target_dir/lambda-release
fi

command -v wrk >/dev/null || { echo "bench.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }

log() { printf '== bench: %s\n' "$*" >&2; }

if [ "$smoke" = 1 ]; then
  log "building everything ($profile, one cargo invocation)"
  cargo build --profile "$profile" -p accounts-lambdas -p accounts-bench -p accounts-local -p codegen --bins
else
  # The Lambdas are built on their own so that their features are exactly
  # those of `cargo lambda build -p accounts-lambdas`; the rest shares a build.
  log "building the Lambdas and their floor ($lambda_profile)"
  cargo build --profile "$lambda_profile" -p accounts-lambdas --bins
  cargo build --profile "$lambda_profile" -p accounts-bench --bin floor
  log "building the bench, local server and codegen ($profile)"
  cargo build --profile "$profile" -p accounts-bench -p accounts-local -p codegen --bins
fi

lambda_args=()
if [ -n "$lambda_dir" ] && [ "$smoke" = 0 ]; then
  lambda_args=(--lambda-dir "$lambda_dir")
elif [ "$zips" = 1 ]; then
  log "building arm64 zips (cargo lambda)"
  cargo_lambda=${CARGO_LAMBDA:-$root/.venv/bin/cargo-lambda}
  [ -x "$cargo_lambda" ] || cargo_lambda=$(command -v cargo-lambda)
  PATH="$root/.venv/bin:$PATH" "$cargo_lambda" lambda build --profile "$lambda_profile" --arm64 --output-format zip -p accounts-lambdas
  lambda_args=(--lambda-dir "$target_dir/lambda")
fi

function_args=()
[ -n "$functions" ] && function_args=(--functions "$functions")
corpus_args=()
[ -d "$root/../shared/corpus" ] && corpus_args=(--corpus "$root/../shared/corpus")

log "running ($runs cold starts × $warm warm per binary)"
"$bin_dir/bench" \
  --bin-dir "$bin_dir" \
  --function-dir "$function_dir" \
  --profile "$profile (Lambdas and floor: $lambda_profile)" \
  --runs "$runs" \
  --warm "$warm" \
  --load-seconds "$load_seconds" \
  --codegen-runs "$codegen_runs" \
  --spec spec/accounts.yaml \
  "${corpus_args[@]}" "${lambda_args[@]}" "${function_args[@]}" \
  "${extra[@]}"

# `codegen diff` on the largest corpus document against a mutated copy
# (issue 13: under 1 s in release). The smoke run only proves the harness.
if [ -d "$root/../shared/corpus" ]; then
  budget_ms=1000
  [ "$smoke" = 1 ] && budget_ms=120000
  log "codegen diff on the largest corpus document (budget ${budget_ms} ms)"
  cargo run --profile "$profile" -q -p openapi-diff --example diff_bench -- \
    --codegen "$bin_dir/codegen" --corpus "$root/../shared/corpus" \
    --runs "$codegen_runs" --budget-ms "$budget_ms" --header
fi

# codegen on large real documents (issue 11): generate time and the generated
# crates' compile time against cargo progenitor's client.
if [ "$smoke" = 1 ]; then
  bash "$root/.ci/bench-codegen.sh" --smoke
else
  bash "$root/.ci/bench-codegen.sh"
fi
