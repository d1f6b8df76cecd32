#!/usr/bin/env bash
# Installs everything the tests need, idempotently, from the package registries only.
# Python tools live in venvs under .venv* (git-ignored); nothing is installed by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf '\n== setup: %s\n' "$*"; }

if [ ! -x .venv/bin/moto_server ] || [ ! -x .venv/bin/schemathesis ] || [ ! -x .venv/bin/cargo-lambda ]; then
  log "python venv (moto, schemathesis, cargo-lambda)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet 'moto[server]==5.1.*' 'schemathesis==4.*' 'cargo-lambda==1.*'
fi

if [ ! -x .venv-checkov/bin/checkov ]; then
  log "checkov venv (kept apart: its HCL parser clashes with python-hcl2)"
  python3 -m venv .venv-checkov
  .venv-checkov/bin/pip install --quiet --upgrade pip
  .venv-checkov/bin/pip install --quiet 'checkov==3.*'
fi

if ! command -v chromium >/dev/null 2>&1; then
  log "chromium (Debian) for the /docs browser test"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! rustup target list --installed | grep -q aarch64-unknown-linux-gnu; then
  log "rust target aarch64-unknown-linux-gnu (Lambda arm64)"
  rustup target add aarch64-unknown-linux-gnu
fi

# --- bench (issue #6): the load tool of .ci/bench.sh (Debian package) ---
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk (Debian) for the local server load benchmark"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

# --- fuzz (issue #15): cargo-fuzz for .ci/fuzz.sh (crates.io); libFuzzer needs nightly flags,
# taken from the nightly toolchain where installed, else RUSTC_BOOTSTRAP=1 on stable ---
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  log "cargo-fuzz (crates.io) for the fuzzing stage"
  cargo install --locked cargo-fuzz
fi

log "done"
