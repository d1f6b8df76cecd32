#!/usr/bin/env bash
# Browser test of the offline API reference: headless Chromium renders
# `accounts-local`'s /docs, and every operationId of generated/operations.json must be on
# the rendered page as an element with id `op-<operationId>`. Exits non-zero if not.
#
#   bash .ci/browser.sh                                # needs chromium (bash .ci/setup.sh)
#   BROWSER_SCREENSHOT=/tmp/docs.png bash .ci/browser.sh   # also keep a screenshot
set -euo pipefail

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "chromium is missing: run \`bash .ci/setup.sh\`" >&2
  exit 1
fi

# shellcheck source=local-server.sh
source "$(dirname "$0")/local-server.sh"

# Flags: no sandbox (root in CI containers), no GPU, and nothing that phones home, so the
# run is offline and quiet.
browser() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.err"
}

browser --dump-dom "$url/docs" >"$work/dom.html" || {
  echo "chromium failed to render $url/docs:" >&2
  tail -n 20 "$work/chromium.err" >&2
  exit 1
}

missing=0
count=0
for op in $(python3 -c 'import json,sys; print("\n".join(o["operationId"] for o in json.load(open(sys.argv[1]))["operations"]))' generated/operations.json); do
  count=$((count + 1))
  if ! grep -q "id=\"op-$op\"" "$work/dom.html"; then
    echo "missing on the rendered /docs: operation $op (no element with id op-$op)" >&2
    missing=$((missing + 1))
  fi
done
if [ "$count" -eq 0 ]; then
  echo "no operations read from generated/operations.json" >&2
  exit 1
fi

shot="${BROWSER_SCREENSHOT:-$work/docs.png}"
browser --screenshot="$shot" --window-size=1280,2000 "$url/docs" >/dev/null || {
  echo "chromium could not take the screenshot" >&2
  exit 1
}
[ -s "$shot" ] || { echo "empty screenshot $shot" >&2; exit 1; }

if [ "$missing" -ne 0 ]; then
  echo "browser test FAILED: $missing of $count operations missing from $url/docs" >&2
  exit 1
fi
echo "browser test passed: all $count operations rendered at /docs (screenshot: $shot)"
