#!/usr/bin/env bash
# Tests of terraform/: formatting, validation of every root and module, a full
# two-region apply and destroy through deploy.sh against moto (local state),
# assertions that the deployed chain matches the operation manifest, and checkov.
# Prints "N passed, M failed" last; exits non-zero if anything failed.
#
# Knobs (all optional):
#   TF_TEST_API_DOCUMENT / TF_TEST_OPERATIONS_MANIFEST  use other generated files
#                                   (default <repo>/generated/{apigateway,operations}.json)
#   TF_TEST_REGIONS                 space-separated regions (default "us-east-1 us-west-2")
#   TF_TEST_STEP_TIMEOUT            seconds per terraform apply/destroy (default 600)
#   TF_TEST_KEEP_WORK=1             keep the temporary work directory
set -uo pipefail

tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TF_SRC=$(dirname "$tests_dir")
REPO=$(dirname "$TF_SRC")
PY=$REPO/.venv/bin/python
MOTO=$REPO/.venv/bin/moto_server
CHECKOV=$REPO/.venv-checkov/bin/checkov
API_DOC=${TF_TEST_API_DOCUMENT:-$REPO/generated/apigateway.json}
MANIFEST=${TF_TEST_OPERATIONS_MANIFEST:-$REPO/generated/operations.json}
read -r -a REGIONS <<<"${TF_TEST_REGIONS:-us-east-1 us-west-2}"
STEP_TIMEOUT=${TF_TEST_STEP_TIMEOUT:-600}
ENV_NAME=moto
DEVELOPER=ci

passed=0
failed=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tf-tests.XXXXXX")
moto_pid=""

finish() {
  local rc=$?
  if [ -n "$moto_pid" ] && kill -0 "$moto_pid" 2>/dev/null; then
    kill "$moto_pid" 2>/dev/null
    wait "$moto_pid" 2>/dev/null
  fi
  if [ "${TF_TEST_KEEP_WORK:-0}" = 1 ]; then
    echo "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  echo "$passed passed, $failed failed"
  if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then exit 1; fi
  exit 0
}
trap finish EXIT
trap 'exit 130' INT TERM

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
# fatal: a precondition of everything that follows is missing.
fatal() { fail "$*"; exit 1; }

# check <name> <command...>: run, count, and show the log's tail on failure.
check() {
  local name=$1 log
  shift
  log="$WORK/logs/$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_').log"
  if "$@" >"$log" 2>&1; then
    pass "$name"
  else
    fail "$name (log: $log)"
    tail -n 40 "$log" | sed 's/^/    /'
    return 1
  fi
}
mkdir -p "$WORK/logs"

echo "== tools"
command -v terraform >/dev/null || fatal "terraform not found on PATH"
command -v jq >/dev/null || fatal "jq not found on PATH (deploy.sh needs it)"
command -v timeout >/dev/null || fatal "timeout (coreutils) not found"
[ -x "$PY" ] || fatal "$PY missing: run 'bash .ci/setup.sh' (it creates .venv with moto)"
[ -x "$MOTO" ] || fatal "$MOTO missing: run 'bash .ci/setup.sh' (moto[server] in .venv)"
[ -x "$CHECKOV" ] || fatal "$CHECKOV missing: run 'bash .ci/setup.sh' (checkov in .venv-checkov)"
[ -f "$API_DOC" ] || fatal "$API_DOC missing: run 'cargo run -p codegen -- generate'"
[ -f "$MANIFEST" ] || fatal "$MANIFEST missing: run 'cargo run -p codegen -- generate'"
pass "tools and generated files present"

# Terraform may only use the offline mirror of the machine image.
# Skip scratch and plugin-cache copies under /tmp (this run's own cache lives there).
mirror_dir=$(find / -maxdepth 4 -type d -name registry.terraform.io 2>/dev/null |
  grep -vE '^/(tmp|proc|sys)/' | while read -r d; do
    if [ -d "$d/hashicorp/aws" ]; then
      echo "$d"
      break
    fi
  done)
[ -n "$mirror_dir" ] || fatal "no registry.terraform.io provider mirror found (find / -maxdepth 4)"
mirror_root=$(dirname "$mirror_dir")
mkdir -p "$WORK/plugin-cache"
cat >"$WORK/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror_root"
    include = ["registry.terraform.io/hashicorp/*"]
  }
}
plugin_cache_dir = "$WORK/plugin-cache"
RC
export TF_CLI_CONFIG_FILE=$WORK/terraform.rc
export TF_IN_AUTOMATION=1 TF_INPUT=0 TF_CLI_ARGS="-no-color"
echo "provider mirror: $mirror_root"

echo "== fmt and validate"
check "terraform fmt -check -recursive" terraform -chdir="$TF_SRC" fmt -check -recursive -diff

# Everything else runs on a copy, so the repository gets no .terraform, state,
# lock or override files from the tests.
tar -C "$REPO" -cf - --exclude=.terraform --exclude=.state --exclude='zz_*_override.tf' \
  --exclude='*.tfstate*' terraform | tar -C "$WORK" -xf -
TF=$WORK/terraform
for dir in modules/regional global region dns; do
  check "validate $dir" bash -c "terraform -chdir='$TF/$dir' init -backend=false -input=false && terraform -chdir='$TF/$dir' validate"
done
check "deploy.sh syntax" bash -n "$TF/deploy.sh"

check "generated API document is valid OpenAPI 3.0 (import uses fail_on_warnings)" \
  "$PY" "$tests_dir/moto_check.py" openapi --document "$API_DOC"

echo "== checkov"
checkov_log=$WORK/logs/checkov.log
"$CHECKOV" --skip-download -d "$TF_SRC" --framework terraform --quiet --compact >"$checkov_log" 2>&1
checkov_rc=$?
summary=$(grep -E 'Passed checks: [0-9]+, Failed checks: [0-9]+' "$checkov_log" | head -n 1)
echo "checkov: ${summary:-no summary} (exit $checkov_rc)"
if [ "$checkov_rc" -eq 0 ] && ! grep -q 'Failed checks: [1-9]' "$checkov_log"; then
  pass "checkov: 0 failed checks"
else
  fail "checkov failed checks (log: $checkov_log)"
  grep -E '^Check: |FAILED for resource|File: ' "$checkov_log" | head -n 60 | sed 's/^/    /'
fi
# Every inline suppression must carry a written reason.
bad_skips=$(grep -rnE '#checkov:skip=' "$TF_SRC" --include='*.tf' | grep -vE '#checkov:skip=CKV[A-Z0-9_]*:[^[:space:]].{9,}' || true)
if [ -z "$bad_skips" ]; then pass "every checkov suppression has a reason"; else
  fail "checkov suppressions without a reason:"
  echo "$bad_skips" | sed 's/^/    /'
fi

echo "== moto"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
ENDPOINT=http://127.0.0.1:$port
MOTO_ACM_VALIDATION_WAIT=0 MOTO_IAM_LOAD_MANAGED_POLICIES=true \
  "$MOTO" -H 127.0.0.1 -p "$port" >"$WORK/logs/moto_server.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  curl -fs "$ENDPOINT/moto-api/" >/dev/null 2>&1 && break
  kill -0 "$moto_pid" 2>/dev/null || break
  sleep 0.2
done
curl -fs "$ENDPOINT/moto-api/" >/dev/null 2>&1 || fatal "moto_server did not start on $ENDPOINT (log: $WORK/logs/moto_server.log)"
pass "moto_server listening on $ENDPOINT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${REGIONS[0]}
export MOTO_ENDPOINT=$ENDPOINT

# The hosted zone is an input (it exists before the stack); the test creates it.
zone_id=$("$PY" "$tests_dir/moto_check.py" create-zone --endpoint "$ENDPOINT" --zone example.com) ||
  fatal "could not create the test hosted zone in moto"

# Provider overrides: every service the stack uses goes to moto. Written into the
# copy only (override files merge into the committed provider blocks).
for root in global region dns; do
  cat >"$TF/$root/zz_moto_override.tf" <<HCL
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = false

  endpoints {
    acm            = "$ENDPOINT"
    apigateway     = "$ENDPOINT"
    cloudwatch     = "$ENDPOINT"
    cognitoidp     = "$ENDPOINT"
    dynamodb       = "$ENDPOINT"
    iam            = "$ENDPOINT"
    kms            = "$ENDPOINT"
    lambda         = "$ENDPOINT"
    logs           = "$ENDPOINT"
    route53        = "$ENDPOINT"
    secretsmanager = "$ENDPOINT"
    sts            = "$ENDPOINT"
    wafv2          = "$ENDPOINT"
  }
}
HCL
done

# Lambda zips: moto never runs them, so placeholders do unless real builds exist.
lambda_dir=$REPO/target/lambda
if ! "$PY" - "$MANIFEST" "$lambda_dir" <<'PYEOF'; then
import json, os, sys
ops = json.load(open(sys.argv[1]))["operations"]
sys.exit(0 if all(os.path.isfile(os.path.join(sys.argv[2], o["function"], "bootstrap.zip")) for o in ops) else 1)
PYEOF
  lambda_dir=$WORK/lambda
  "$PY" - "$MANIFEST" "$lambda_dir" <<'PYEOF' || fatal "could not write placeholder zips"
import json, os, sys, zipfile
for o in json.load(open(sys.argv[1]))["operations"]:
    d = os.path.join(sys.argv[2], o["function"])
    os.makedirs(d, exist_ok=True)
    with zipfile.ZipFile(os.path.join(d, "bootstrap.zip"), "w") as z:
        info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o755 << 16
        z.writestr(info, "#!/bin/sh\necho placeholder: moto never runs this\nexit 1\n")
PYEOF
  echo "lambda zips: placeholders in $lambda_dir (no complete build under target/lambda)"
else
  echo "lambda zips: $lambda_dir"
fi

# The test environment: the regions, moto-only switches and generated paths.
regions_json=$(printf '%s\n' "${REGIONS[@]}" | jq -R . | jq -sc .)
cat >"$TF/env/$ENV_NAME.tfvars.json" <<JSON
{
  "regions": $regions_json,
  "api_domain_name": "accounts-moto.example.com",
  "hosted_zone_id": "$zone_id",
  "api_document_path": "$API_DOC",
  "operations_manifest_path": "$MANIFEST",
  "lambda_package_dir": "$lambda_dir",
  "table_deletion_protection": false,
  "user_pool_deletion_protection": false,
  "secret_recovery_window_in_days": 0,
  "kms_deletion_window_in_days": 7,
  "manage_api_gateway_account": true,
  "enable_table_replicas": false,
  "enable_lambda_environment_cmk": false
}
JSON

deploy() {
  DEVELOPER=$DEVELOPER TF_BACKEND=local TF_LOCAL_STATE_DIR="$WORK/state" TF_STEP_TIMEOUT=$STEP_TIMEOUT \
    "$TF/deploy.sh" "$ENV_NAME" "$1"
}

echo "== apply (${REGIONS[*]})"
t0=$(date +%s)
check "deploy.sh apply: global -> ${REGIONS[*]} -> dns" deploy apply
apply_rc=$?
t1=$(date +%s)
echo "apply took $((t1 - t0)) s"

state_file() { echo "$WORK/state/$ENV_NAME/$DEVELOPER/$1.tfstate"; }

if [ "$apply_rc" -eq 0 ]; then
  echo "== assertions"
  for region in "${REGIONS[@]}"; do
    st=$(state_file "region/$region")
    terraform -chdir="$TF/region" show -json "$st" >"$WORK/region-$region.json" 2>"$WORK/logs/show-$region.log" ||
      fail "terraform show of $region state"
    check "$region: rendered body routes every manifest operation to its Lambda" \
      "$PY" "$tests_dir/moto_check.py" body --manifest "$MANIFEST" --state "$WORK/region-$region.json"
    check "$region: state chain (functions, roles, policies, permissions, log groups, alarms) == manifest" \
      "$PY" "$tests_dir/moto_check.py" state-chain --manifest "$MANIFEST" --state "$WORK/region-$region.json"
    check "$region: moto chain (functions, roles, permissions, integrations) == manifest" \
      "$PY" "$tests_dir/moto_check.py" moto-chain --manifest "$MANIFEST" --state "$WORK/region-$region.json" \
      --endpoint "$ENDPOINT" --region "$region"
  done
  region_states=()
  for region in "${REGIONS[@]}"; do region_states+=("$WORK/region-$region.json"); done
  terraform -chdir="$TF/dns" show -json "$(state_file dns)" >"$WORK/dns.json" 2>/dev/null
  check "dns: a latency record and an HTTPS health check of its own endpoint per region" \
    "$PY" "$tests_dir/moto_check.py" dns --state "$WORK/dns.json" --regions "${REGIONS[@]}" \
    --region-states "${region_states[@]}"
  terraform -chdir="$TF/global" show -json "$(state_file global)" >"$WORK/global.json" 2>/dev/null
  check "global: table, user pool, client, admin group, replicated secret" \
    "$PY" "$tests_dir/moto_check.py" global --state "$WORK/global.json" --regions "${REGIONS[@]}"
fi

if [ "$apply_rc" -eq 0 ]; then
  check "a second plan of every root shows no changes (deploy.sh plan)" deploy plan
fi

echo "== destroy (reverse order)"
t0=$(date +%s)
check "deploy.sh destroy: dns -> reversed regions -> global" deploy destroy
t1=$(date +%s)
echo "destroy took $((t1 - t0)) s"

empty_states() {
  local s
  for s in global dns "${REGIONS[@]/#/region/}"; do
    [ -f "$(state_file "$s")" ] || { echo "no state $s"; return 1; }
    local left
    left=$(terraform state list -state="$(state_file "$s")")
    if [ -n "$left" ]; then
      echo "state $s still lists:"
      echo "$left"
      return 1
    fi
  done
}
check "every state is empty after destroy" empty_states
check "moto holds nothing of the stack after destroy" \
  "$PY" "$tests_dir/moto_check.py" empty --endpoint "$ENDPOINT" --zone-id "$zone_id" --regions "${REGIONS[@]}"
