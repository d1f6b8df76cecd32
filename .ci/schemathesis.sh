#!/usr/bin/env bash
# Contract test: schemathesis (4.x) against the running local server.
#
# Starts `accounts-local --in-memory --port 0`, reads its URL and dev tokens from its
# output, runs every schemathesis check in positive and negative modes over every
# operation of spec/accounts.yaml, then stops the server. Exits non-zero on any failure.
#
#   bash .ci/schemathesis.sh                  # defaults below
#   ST_MAX_EXAMPLES=200 ST_SEED=7 bash .ci/schemathesis.sh
#
# Choices (the README copies these):
# - Two runs: first with the plain USER dev token (sub local-user), then with the ADMIN
#   token (sub local-admin, group admin). As a user every positive listAccounts request is
#   a documented 403 (schemathesis accepts a declared 403 for it), so only the admin run
#   can see its 200s and check their schema. Ownership rules (404 for others' accounts) are covered by
#   handlers/local/tests/e2e.
# - Fixed seed, no example database, one worker: a run is reproducible, and a failure
#   prints a curl line that replays it. Override with ST_SEED / ST_WORKERS.
# - Phases: examples, coverage, fuzzing, stateful (all of them).
# - Checks: all, none excluded. Eight narrow kinds of failure are dropped by the
#   `filter_failure` hook in .ci/schemathesis_hooks.py, each matched on the exact status
#   AND error code the spec documents for the situation, each with its argument there:
#   1. regex-dialect disagreements (Python `re` vs ECMA-262 vs Java) on the spec's
#      DisplayName pattern — a spec portability problem, reported to the lead;
#   2. listAccounts 400 `query.cursor`/`cursor`: a schema-valid cursor we did not sign;
#   3. updateAccount 412 PRECONDITION_FAILED: a schema-valid but stale If-Match;
#   4. createAccount 422 IDEMPOTENCY_KEY_REUSED: the example key reused with another body;
#   5. updateAccount 428 PRECONDITION_REQUIRED when If-Match is missing (declared, by design);
#   6. 403 MISSING_AUTHENTICATION_TOKEN for undeclared methods: API Gateway's behaviour;
#   7. createAccount/updateAccount 400 (`/email`, `verified`): a schema-valid email that is not
#      the caller's verified email (the email policy).
#   8. 431 DEFAULT_4XX for a request whose line and headers exceed API Gateway's 10,240-byte
#      quota (a huge query value): refused before any operation is chosen.
#   The summary line counts what was dropped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
st="$root/.venv/bin/schemathesis"
if [ ! -x "$st" ]; then
  echo "schemathesis is missing at $st: run \`bash .ci/setup.sh\`" >&2
  exit 1
fi

# shellcheck source=local-server.sh
source "$(dirname "$0")/local-server.sh"
user_token=$(sed -n 's/^ *export TOKEN=//p' "$server_out" | head -n1)
admin_token=$(sed -n 's/^ *export ADMIN_TOKEN=//p' "$server_out" | head -n1)
if [ -z "$user_token" ] || [ -z "$admin_token" ]; then
  echo "accounts-local printed no TOKEN / ADMIN_TOKEN" >&2
  exit 1
fi

status=0
# No per-project cache: it would write .schemathesis/ into the repo; the curl lines printed
# for each failure reproduce it.
printf '[cache]\nenabled = false\n' >"$work/schemathesis.toml"
: >"$work/dropped.tsv"
for role in user admin; do
  if [ "$role" = user ]; then token=$user_token; else token=$admin_token; fi
  echo "schemathesis against $url as the $role"
  PYTHONPATH="$root/.ci${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks \
  ST_HOOKS_LOG="$work/dropped.tsv" ST_CALLER_TOKEN="$token" \
  "$st" --config-file "$work/schemathesis.toml" run "$root/spec/accounts.yaml" \
    --url "$url" \
    --checks all \
    --mode all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "${ST_MAX_EXAMPLES:-50}" \
    --seed "${ST_SEED:-20261126}" \
    --generation-database none \
    --workers "${ST_WORKERS:-1}" \
    --no-color \
    -H "Authorization: $token" \
    "$@" || status=$?
done

if [ -s "$work/dropped.tsv" ]; then
  echo "failures dropped by .ci/schemathesis_hooks.py (rule, check, operation, status, code):"
  sort "$work/dropped.tsv" | uniq -c | sed 's/^/  /'
fi
if [ "$status" -ne 0 ]; then
  echo "schemathesis failed (exit $status); server log tail:" >&2
  tail -n 20 "$work/server.err" >&2 || true
fi
exit "$status"
