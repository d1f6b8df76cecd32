#!/usr/bin/env bash
# Fuzzing stage (issue 15): builds the cargo-fuzz targets of handlers/fuzz (libFuzzer, address
# sanitizer), replays every input under handlers/fuzz/regressions/<target>/ (each once made a
# target crash; it must not any more), then runs each target for a short, fixed time from its
# seeds (handlers/fuzz/seeds/<target>/, written from the tests' requests, events, claims,
# tokens and bodies; codegen's from the spec and codegen's fixtures) and fails on any crash,
# leak, timeout or out-of-memory. The corpus grows in handlers/fuzz/corpus/ (git-ignored).
#
#   bash .ci/fuzz.sh                         # CI: 20 s per target
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh        # the long run: 10 minutes per target
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh http_front cursor   # some targets only
#
# Short runs (up to 60 s per target) build unoptimised (`cargo fuzz build --dev`: overflow
# checks and debug assertions on; on 2 cores it builds in about a third of the optimised
# build's time, which would be most of a short run); longer runs build optimised.
# FUZZ_PROFILE=dev|release chooses explicitly.
#
# A crash leaves its input in handlers/fuzz/artifacts/<target>/ and prints the command that
# replays it (`cargo +nightly fuzz run --fuzz-dir handlers/fuzz <target> <file>`). Fix it, add
# the input to handlers/fuzz/regressions/<target>/ and a regression test to the crate at fault.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=${FUZZ_SECONDS:-20}
fuzz_dir=handlers/fuzz
target_dir=${FUZZ_TARGET_DIR:-$root/target/fuzz}
all_targets=(proxy_request validators jwt_authorizer cursor http_front codegen_spec)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: run \`bash .ci/setup.sh\`" >&2
  exit 1
fi
# libFuzzer and the sanitizers need nightly flags: the nightly toolchain where there is one,
# else stable with RUSTC_BOOTSTRAP=1 (nothing else can be downloaded on these machines).
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi

extra_seeds() {
  case "$1" in
    codegen_spec) echo "spec codegen/tests/fixtures/valid codegen/tests/fixtures/invalid" ;;
    *) echo "" ;;
  esac
}
dictionary() {
  case "$1" in
    http_front) echo "-dict=$fuzz_dir/dict/http.dict" ;;
    codegen_spec) echo "-dict=$fuzz_dir/dict/openapi.dict" ;;
    *) echo "" ;;
  esac
}

profile=${FUZZ_PROFILE:-$([ "$seconds" -le 60 ] && echo dev || echo release)}
case "$profile" in
  dev) profile_flags=(--dev); per_input_timeout=60 ;;
  release) profile_flags=(); per_input_timeout=20 ;;
  *) echo "FUZZ_PROFILE must be dev or release, not $profile" >&2; exit 2 ;;
esac

echo "fuzz: building the targets ($profile, address sanitizer)"
"${fuzz[@]}" build "${profile_flags[@]}" --fuzz-dir "$fuzz_dir" --target-dir "$target_dir"

status=0
for t in "${targets[@]}"; do
  regressions=$(find "$fuzz_dir/regressions/$t" -type f 2>/dev/null | sort || true)
  if [ -n "$regressions" ]; then
    echo "fuzz: $t: replaying $(echo "$regressions" | wc -l) regression input(s)"
    # shellcheck disable=SC2086
    if ! "${fuzz[@]}" run "${profile_flags[@]}" --fuzz-dir "$fuzz_dir" --target-dir "$target_dir" "$t" $regressions -- -runs=1 >"$target_dir/$t.regressions.log" 2>&1; then
      tail -n 40 "$target_dir/$t.regressions.log" >&2
      echo "fuzz: $t: a regression input crashes again" >&2
      status=1
      continue
    fi
  fi
  mkdir -p "$fuzz_dir/corpus/$t"
  echo "fuzz: $t: ${seconds}s"
  log="$target_dir/$t.log"
  # shellcheck disable=SC2046
  if "${fuzz[@]}" run "${profile_flags[@]}" --fuzz-dir "$fuzz_dir" --target-dir "$target_dir" "$t" \
      "$fuzz_dir/corpus/$t" "$fuzz_dir/seeds/$t" $(extra_seeds "$t") -- \
      -max_total_time="$seconds" -timeout="$per_input_timeout" -rss_limit_mb=4096 -max_len=65536 \
      -print_final_stats=1 $(dictionary "$t") >"$log" 2>&1; then
    # libFuzzer's last status line (#runs, cov, ft, corp) and the execution count.
    grep -E '^#[0-9]+' "$log" | tail -n 1 | sed "s/^/fuzz: $t: /"
    grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/fuzz: $t: /"
  else
    tail -n 60 "$log" >&2
    echo "fuzz: $t: CRASH (input in $fuzz_dir/artifacts/$t/)" >&2
    status=1
  fi
done
exit "$status"
