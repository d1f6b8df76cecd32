# Sourced by the scripts that test a running `accounts-local` (.ci/schemathesis.sh,
# .ci/browser.sh): builds it, starts it in memory on a free port, waits for its
# start-up lines, and stops it on exit. Sets: root, work (a temp dir removed on
# exit), url, server_out (the start-up output, with the tokens).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

cargo build -p accounts-local --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/debug/accounts-local"

work=$(mktemp -d)
server_pid=
stop_local_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_local_server EXIT

server_out="$work/server.out"
RUST_LOG=${RUST_LOG:-warn} "$bin" --in-memory --port 0 >"$server_out" 2>"$work/server.err" &
server_pid=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^accounts-local: serving \(http[^ ]*\).*/\1/p' "$server_out" | head -n1)
  # The tokens are the last start-up lines that matter.
  [ -n "$url" ] && grep -q 'export ADMIN_TOKEN=' "$server_out" && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "accounts-local exited early:" >&2
    cat "$server_out" "$work/server.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "accounts-local printed no URL within 30 s" >&2
  cat "$server_out" "$work/server.err" >&2
  exit 1
fi
