#!/usr/bin/env bash
# Tests of terraform/: formatting and validation of every root and module;
# Terraform's own tests (terraform test: plan-level, mock providers, with the
# table replicas and every CMK switched on); checkov; deploy.sh's guards; then two
# developers' copies of the dev environment applied side by side through deploy.sh
# against moto (local state), with assertions that the deployed chain matches the
# operation manifest and that the copies share no name, domain or record; a
# one-region apply while the primary region is "down"; a second plan with no
# changes; and a destroy without the Lambda zips that leaves moto empty.
# Prints "N passed, M failed" last; exits non-zero if anything failed.
#
# Knobs (all optional):
#   TF_TEST_API_DOCUMENT / TF_TEST_OPERATIONS_MANIFEST  use other generated files
#                                   (default <repo>/generated/{apigateway,operations}.json)
#   TF_TEST_REGIONS                 space-separated regions (default "us-east-1 us-west-2")
#   TF_TEST_STEP_TIMEOUT            seconds per terraform apply/destroy (default 900)
#   TF_TEST_KEEP_WORK=1             keep the temporary work directory
#   CODEGEN                         a built codegen binary (default: cargo run -p codegen)
set -uo pipefail

tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TF_SRC=$(dirname "$tests_dir")
REPO=$(dirname "$TF_SRC")
PY=$REPO/.venv/bin/python
MOTO=$REPO/.venv/bin/moto_server
CHECKOV=$REPO/.venv-checkov/bin/checkov
CHECK="$tests_dir/moto_check.py"
read -r -a REGIONS <<<"${TF_TEST_REGIONS:-us-east-1 us-west-2}"
STEP_TIMEOUT=${TF_TEST_STEP_TIMEOUT:-900}
ENV_NAME=dev
DEVELOPERS=(alice bob)
if [ -n "${CODEGEN:-}" ]; then CODEGEN=("$CODEGEN"); else
  CODEGEN=(cargo run -q --manifest-path "$REPO/Cargo.toml" -p codegen --)
fi
SERVICE=$(jq -r '.service // "accounts"' "$TF_SRC/env/$ENV_NAME.tfvars.json")

passed=0
failed=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tf-tests.XXXXXX")
moto_pid=""
started=$(date +%s)

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
  echo "took $(($(date +%s) - started)) s"
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

log_of() { echo "$WORK/logs/$(echo "$1" | tr -c 'A-Za-z0-9_.-' '_').log"; }

# check <name> <command...>: run, count, and show the log's tail on failure.
check() {
  local name=$1 log
  shift
  log=$(log_of "$name")
  if "$@" >"$log" 2>&1; then
    pass "$name"
  else
    fail "$name (log: $log)"
    tail -n 40 "$log" | sed 's/^/    /'
    return 1
  fi
}
# spawn <name> <command...>: start a check in the background; reap waits for every
# spawned check and counts each (on 2 cores, what waits on moto or on files overlaps).
spawned=()
spawn() {
  local name=$1
  shift
  ("$@" >"$(log_of "$name")" 2>&1) &
  spawned+=("$!:$name")
}
reap() {
  local entry name
  for entry in "${spawned[@]}"; do
    name=${entry#*:}
    if wait "${entry%%:*}"; then pass "$name"; else
      fail "$name (log: $(log_of "$name"))"
      tail -n 30 "$(log_of "$name")" | sed 's/^/    /'
      all_ok=0
    fi
  done
  spawned=()
}
mkdir -p "$WORK/logs"

echo "== tools"
command -v terraform >/dev/null || fatal "terraform not found on PATH"
command -v jq >/dev/null || fatal "jq not found on PATH (deploy.sh needs it)"
command -v timeout >/dev/null || fatal "timeout (coreutils) not found"
[ -x "$PY" ] || fatal "$PY missing: run 'bash .ci/setup.sh' (it creates .venv with moto)"
[ -x "$MOTO" ] || fatal "$MOTO missing: run 'bash .ci/setup.sh' (moto[server] in .venv)"
[ -x "$CHECKOV" ] || fatal "$CHECKOV missing: run 'bash .ci/setup.sh' (checkov in .venv-checkov)"
# The generated files are copied once, so that a regeneration during the run cannot
# make the second plan differ from the apply.
mkdir -p "$WORK/generated"
cp "${TF_TEST_API_DOCUMENT:-$REPO/generated/apigateway.json}" "$WORK/generated/apigateway.json" ||
  fatal "no API document: run 'cargo run -p codegen -- generate'"
cp "${TF_TEST_OPERATIONS_MANIFEST:-$REPO/generated/operations.json}" "$WORK/generated/operations.json" ||
  fatal "no operation manifest: run 'cargo run -p codegen -- generate'"
cp "$(dirname "${TF_TEST_API_DOCUMENT:-$REPO/generated/apigateway.json}")/reference.html" "$WORK/generated/reference.html" ||
  fatal "no API reference beside the API document: run 'cargo run -p codegen -- generate'"
API_DOC=$WORK/generated/apigateway.json
MANIFEST=$WORK/generated/operations.json
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

# Everything else runs on copies, so the repository gets no .terraform, state,
# lock or override files from the tests.
copy_terraform() {
  mkdir -p "$1"
  tar -C "$REPO" -cf - --exclude=.terraform --exclude=.state --exclude='zz_*_override.tf' \
    --exclude='*.tfstate*' terraform | tar -C "$1" -xf -
}
copy_terraform "$WORK"
TF=$WORK/terraform
DIRS=(keys global region dns modules/regional modules/naming modules/secret_value modules/alarm_topic)
for dir in "${DIRS[@]}"; do
  check "validate $dir" bash -c "terraform -chdir='$TF/$dir' init -backend=false -input=false && terraform -chdir='$TF/$dir' validate"
done
check "deploy.sh syntax" bash -n "$TF/deploy.sh"

# Placeholder Lambda zips (moto never runs them; the plan-level tests only hash them),
# unless every target/lambda/<function>/bootstrap.zip exists.
# placeholder_zips <manifest> <dir>: one bootstrap.zip per manifest function.
placeholder_zips() {
  "$PY" - "$1" "$2" <<'PYEOF'
import json, os, sys, zipfile
for f in json.load(open(sys.argv[1]))["functions"]:
    d = os.path.join(sys.argv[2], f["name"])
    os.makedirs(d, exist_ok=True)
    with zipfile.ZipFile(os.path.join(d, "bootstrap.zip"), "w") as z:
        info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o755 << 16
        z.writestr(info, "#!/bin/sh\necho placeholder: moto never runs this\nexit 1\n")
PYEOF
}
lambda_dir=$REPO/target/lambda
if ! "$PY" - "$MANIFEST" "$lambda_dir" <<'PYEOF'; then
import json, os, sys
functions = json.load(open(sys.argv[1]))["functions"]
sys.exit(0 if all(os.path.isfile(os.path.join(sys.argv[2], f["name"], "bootstrap.zip")) for f in functions) else 1)
PYEOF
  lambda_dir=$WORK/lambda
  placeholder_zips "$MANIFEST" "$lambda_dir" || fatal "could not write placeholder zips"
  echo "lambda zips: placeholders in $lambda_dir (no complete build under target/lambda)"
else
  echo "lambda zips: $lambda_dir"
fi

# The inputs of modules/regional/tests/grouped.tftest.hcl: a service with grouped
# functions and a custom authorizer, generated by codegen from its fixture spec.
grouped=$TF/modules/regional/tests/fixtures/grouped
check "codegen generate: the grouped-functions fixture" \
  "${CODEGEN[@]}" generate \
  --spec "$TF/modules/regional/tests/fixtures/grouped.yaml" --out "$grouped" --no-lambdas &&
  placeholder_zips "$grouped/generated/operations.json" "$grouped/lambda"

# A second service (issue 12): what `codegen new` writes for a corpus document; the region
# root's plan-level tests run on its document, manifest and health path below.
second=$WORK/second-service
check "codegen new: a second service (corpus petstore)" \
  "${CODEGEN[@]}" new "$second" \
  --spec "$REPO/../shared/corpus/oai-examples/petstore.yaml" --service petstore &&
  placeholder_zips "$second/generated/operations.json" "$second/lambda"

check "generated API document is valid OpenAPI 3.0 (import uses fail_on_warnings)" \
  "$PY" "$CHECK" openapi --document "$API_DOC"

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

echo "== deploy.sh guards (nothing is deployed: each must stop before terraform runs)"
# refuses <name> <expected message> <env assignments...> -- <deploy.sh args...>
refuses() {
  local name=$1 message=$2 out rc=0
  shift 2
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  out=$(env "${envs[@]}" "$TF/deploy.sh" "$@" 2>&1) || rc=$?
  if [ "$rc" -eq 2 ] && grep -q "$message" <<<"$out"; then pass "$name"; else
    fail "$name (exit $rc)"
    echo "$out" | tail -n 5 | sed 's/^/    /'
  fi
}
refuses "deploy.sh refuses a state bucket in a served region" "is served by this environment" \
  TF_BACKEND=s3 TF_STATE_BUCKET=states TF_STATE_REGION="${REGIONS[0]}" -- "$ENV_NAME" plan
refuses "deploy.sh requires the state bucket's region" "TF_STATE_REGION" \
  TF_BACKEND=s3 TF_STATE_BUCKET=states TF_STATE_REGION= -- "$ENV_NAME" plan
refuses "deploy.sh --region needs a listed region" "is not one of the regions" \
  TF_BACKEND=local TF_LOCAL_STATE_DIR="$WORK/unused-state" -- "$ENV_NAME" apply --region eu-north-1

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

echo "== terraform test (plan-level; replicas and every CMK on)"
# The manifest with the health check's DynamoDB actions changed (GetItem <-> DescribeTable):
# the module must follow whatever the manifest says.
jq '(.operations[] | select(.method == "GET" and .path == "/health")) as $h
    | def flip: if index("GetItem") then ["DescribeTable"] else ["GetItem"] end;
    (.operations[] | select(.key == $h.key) | .dynamodbActions) |= flip
    | (.functions[] | select(.name == $h.function) | .dynamodbActions) |= flip' "$MANIFEST" >"$WORK/generated/operations-variant.json"
generated_vars=(-var "api_document_path=$API_DOC" -var "lambda_package_dir=$lambda_dir")
spawn "terraform test keys" terraform -chdir="$TF/keys" test
spawn "terraform test dns" terraform -chdir="$TF/dns" test
spawn "terraform test modules/alarm_topic" terraform -chdir="$TF/modules/alarm_topic" test
spawn "terraform test modules/regional" terraform -chdir="$TF/modules/regional" test \
  "${generated_vars[@]}" -var "operations_manifest_path=$MANIFEST"
spawn "terraform test region" terraform -chdir="$TF/region" test \
  "${generated_vars[@]}" -var "operations_manifest_path=$MANIFEST"
# The global root draws the cursor key as an ephemeral value, which mock providers do
# not serve: its runs are plans with the real provider against moto (nothing created).
spawn "terraform test global (plan-only, provider on moto)" env AWS_ENDPOINT_URL="$ENDPOINT" \
  terraform -chdir="$TF/global" test
spawn "terraform test modules/secret_value (plan-only, provider on moto)" env AWS_ENDPOINT_URL="$ENDPOINT" \
  terraform -chdir="$TF/modules/secret_value" test
reap
# The same directories again (not at the same time: one .terraform each), with the
# manifest variant, the behaviour files only.
variant=(-var "operations_manifest_path=$WORK/generated/operations-variant.json")
spawn "terraform test modules/regional (manifest variant)" terraform -chdir="$TF/modules/regional" test \
  -filter=tests/regional.tftest.hcl "${generated_vars[@]}" "${variant[@]}"
spawn "terraform test region (manifest variant)" terraform -chdir="$TF/region" test \
  -filter=tests/region.tftest.hcl "${generated_vars[@]}" "${variant[@]}"
reap
check "terraform test region (second service: petstore from codegen new)" terraform -chdir="$TF/region" test \
  -filter=tests/region.tftest.hcl -var "api_document_path=$second/generated/apigateway.json" \
  -var "operations_manifest_path=$second/generated/operations.json" -var "lambda_package_dir=$second/lambda" \
  -var "health_check_path=$(jq -r '.health_check_path // "/health"' "$second/deploy/env/dev.tfvars.json")"
check "every validated variable has a test run that expects it to fail" \
  "$PY" "$CHECK" tftest-coverage --terraform-dir "$TF_SRC"

echo "== two developers' copies of $ENV_NAME on moto (${REGIONS[*]})"
# The hosted zone is an input (it exists before the stack); the test creates it.
zone_id=$("$PY" "$CHECK" create-zone --endpoint "$ENDPOINT" --zone example.com) ||
  fatal "could not create the test hosted zone in moto"

# provider_override <root dir> <file name> <endpoint>: every service the stack uses
# goes to <endpoint>. Written into the copies only (override files merge into the
# committed provider blocks).
provider_override() {
  cat >"$1/$2" <<HCL
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = false
  max_retries                 = 2
  # moto serves S3 on its one endpoint, not on <bucket>.s3.amazonaws.com.
  s3_use_path_style = true

  endpoints {
    acm            = "$3"
    apigateway     = "$3"
    cloudwatch     = "$3"
    cognitoidp     = "$3"
    dynamodb       = "$3"
    iam            = "$3"
    kms            = "$3"
    lambda         = "$3"
    logs           = "$3"
    route53        = "$3"
    s3             = "$3"
    secretsmanager = "$3"
    sns            = "$3"
    sts            = "$3"
    wafv2          = "$3"
  }
}
HCL
}

regions_json=$(printf '%s\n' "${REGIONS[@]}" | jq -R . | jq -sc .)
domain_base=$(jq -r '.api_domain_name' "$TF_SRC/env/$ENV_NAME.tfvars.json")
for dev in "${DEVELOPERS[@]}"; do
  copy_terraform "$WORK/$dev"
  for root in keys global region dns; do
    provider_override "$WORK/$dev/terraform/$root" zz_moto_override.tf "$ENDPOINT"
    # The lock files of the validated copy: with them, init links the provider from
    # the plugin cache instead of installing it, which two copies must not do at once.
    cp "$TF/$root/.terraform.lock.hcl" "$WORK/$dev/terraform/$root/"
  done
  # The real env/dev.tfvars.json, plus what the test needs: the zone it created, the
  # snapshot of the generated files, and the switches moto requires (README.md).
  # alice also owns the account-wide API Gateway logging role; bob does not, as dev says.
  jq -n --arg zone "$zone_id" --arg doc "$API_DOC" --arg manifest "$MANIFEST" --arg lambda "$lambda_dir" \
    --argjson regions "$regions_json" --argjson account "$([ "$dev" = alice ] && echo true || echo false)" '{
      regions: $regions, hosted_zone_id: $zone,
      api_document_path: $doc, operations_manifest_path: $manifest, lambda_package_dir: $lambda,
      enable_table_replicas: false, enable_lambda_environment_cmk: false, enable_secret_replica_cmk: false,
      restrict_health_stage_to_route53: false,
      table_max_read_request_units: null, table_max_write_request_units: null,
      create_dashboard: true, manage_api_gateway_account: $account,
      alarm_subscriptions: [{protocol: "email", endpoint: "oncall@example.com"}]
    }' >"$WORK/$dev/extra.json"
done

# deploy <developer> <args...>
deploy() {
  local dev=$1
  shift
  DEVELOPER=$dev TF_BACKEND=local TF_LOCAL_STATE_DIR="$WORK/$dev/state" TF_STEP_TIMEOUT=$STEP_TIMEOUT \
    TF_EXTRA_VARS="${EXTRA_VARS:-$WORK/$dev/extra${EXTRA_VARS_SUFFIX:-}.json}" "$WORK/$dev/terraform/deploy.sh" "$ENV_NAME" "$@"
}
state_file() { echo "$WORK/$1/state/$SERVICE/$ENV_NAME/$1/$2.tfstate"; }
# show <developer> <state name> <root> <output file>
show() { terraform -chdir="$WORK/$1/terraform/$3" show -json "$(state_file "$1" "$2")" >"$4" 2>>"$WORK/logs/show.log"; }

# both <deploy args...>: the two copies at once (separate directories and states;
# one moto), each counted on its own.
both() {
  local dev
  for dev in "${DEVELOPERS[@]}"; do spawn "$dev: deploy.sh $ENV_NAME $*" deploy "$dev" "$@"; done
  reap
}

t0=$(date +%s)
all_ok=1
both apply
echo "apply of both copies took $(($(date +%s) - t0)) s"
applied=$all_ok

if [ "$applied" = 1 ]; then
  echo "== assertions"
  reserved=$(jq -r '.developer_reserved_concurrency' "$TF_SRC/env/$ENV_NAME.tfvars.json")
  for dev in "${DEVELOPERS[@]}"; do
    prefix="$SERVICE-$ENV_NAME-$dev"
    show "$dev" global global "$WORK/$dev/global.json"
    show "$dev" dns dns "$WORK/$dev/dns.json"
    copy_states=("$WORK/$dev/dns.json")
    for region in "${REGIONS[@]}"; do
      show "$dev" "region/$region" region "$WORK/$dev/region-$region.json"
      show "$dev" "keys/$region" keys "$WORK/$dev/keys-$region.json"
      copy_states+=("$WORK/$dev/region-$region.json" "$WORK/$dev/keys-$region.json")
      table_key=$(jq -r '.values.root_module.resources[] | select(.type == "aws_kms_key" and .index == "table") | .values.arn' \
        "$WORK/$dev/keys-$region.json")
      check "$dev $region: the deployed body routes every manifest operation to its Lambda, the health stage only to /health" \
        "$PY" "$CHECK" body --manifest "$MANIFEST" --state "$WORK/$dev/region-$region.json" \
        --global-state "$WORK/$dev/global.json" --prefix "$prefix"
      check "$dev $region: state chain (functions, roles, policies, keys, permissions, log groups, alarms) == manifest" \
        "$PY" "$CHECK" state-chain --manifest "$MANIFEST" --state "$WORK/$dev/region-$region.json" --prefix "$prefix" \
        --region "$region" --regions "${REGIONS[@]}" --table-name "$prefix-table" --table-key "$table_key" \
        --reserved "$reserved" --health-reserved "$reserved"
      check "$dev $region: moto chain (functions, roles, integrations, permissions, stages, throttles, alarms, topic, dashboard)" \
        "$PY" "$CHECK" moto-chain --manifest "$MANIFEST" --endpoint "$ENDPOINT" --prefix "$prefix" --region "$region" \
        --regions "${REGIONS[@]}" --min-subscriptions 1 --dashboard
    done
    copy_states+=("$WORK/$dev/global.json")
    echo "${copy_states[*]}" >"$WORK/$dev/states.txt"
    pool_id=$(jq -r '.values.root_module.resources[] | select(.type == "aws_cognito_user_pool") | .values.id' "$WORK/$dev/global.json")
    check "$dev: dns (a latency record and an HTTPS health check of each region's own API, alarms on every check)" \
      "$PY" "$CHECK" dns --endpoint "$ENDPOINT" --zone-id "$zone_id" --domain "$dev.$domain_base" --prefix "$prefix" \
      --regions "${REGIONS[@]}" --user-pool-id "$pool_id"
    check "$dev: global (table encrypted with the keys root's key, user pool, client, group, replicated secret)" \
      "$PY" "$CHECK" global --state "$WORK/$dev/global.json" --keys-state "$WORK/$dev/keys-${REGIONS[0]}.json" \
      --endpoint "$ENDPOINT" --prefix "$prefix" --regions "${REGIONS[@]}"
  done
  read -r -a alice_states <"$WORK/alice/states.txt"
  read -r -a bob_states <"$WORK/bob/states.txt"
  check "alice's and bob's copies share no name, domain or record" \
    "$PY" "$CHECK" collisions --first "${alice_states[@]}" --second "${bob_states[@]}"

  echo "== one region while the primary region is down (no global step)"
  # The global root's provider now points at a closed port: any plan or apply of it
  # would fail. Its state stays readable (it lives elsewhere), as the S3 bucket does
  # in a region that is not served.
  outage_region=${REGIONS[${#REGIONS[@]} - 1]}
  cat >"$WORK/alice/terraform/global/zz_outage_override.tf" <<'HCL'
provider "aws" {
  max_retries = 1
  endpoints {
    cognitoidp     = "http://127.0.0.1:9"
    dynamodb       = "http://127.0.0.1:9"
    secretsmanager = "http://127.0.0.1:9"
    sts            = "http://127.0.0.1:9"
  }
}
HCL
  jq '. + {rust_log: "debug"}' "$WORK/alice/extra.json" >"$WORK/alice/extra-debug.json"
  global_before=$(sha256sum "$(state_file alice global)" | cut -d' ' -f1)
  outage_step="deploy.sh $ENV_NAME apply --region $outage_region (rust_log changed) without the global root"
  t0=$(date +%s)
  EXTRA_VARS="$WORK/alice/extra-debug.json" check "$outage_step" deploy alice apply --region "$outage_region"
  echo "one-region apply took $(($(date +%s) - t0)) s"
  only_that_region() {
    local global_after
    global_after=$(sha256sum "$(state_file alice global)" | cut -d' ' -f1)
    [ "$global_after" = "$global_before" ] || { echo "the global state changed"; return 1; }
    if grep -E '^== deploy.sh .*: global' "$(log_of "$outage_step")"; then echo "the global step ran"; return 1; fi
    "$PY" - "$ENDPOINT" "$SERVICE-$ENV_NAME-alice-" "$outage_region" "${REGIONS[@]}" <<'PYEOF'
import sys, boto3
endpoint, prefix, changed, regions = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
bad, seen = [], 0
for region in regions:
    lam = boto3.client("lambda", endpoint_url=endpoint, region_name=region, aws_access_key_id="t", aws_secret_access_key="t")
    for f in lam.list_functions()["Functions"]:
        if not f["FunctionName"].startswith(prefix):
            continue
        seen += 1
        want = "debug" if region == changed else "info"
        got = f["Environment"]["Variables"].get("RUST_LOG")
        if got != want:
            bad.append(f"{region} {f['FunctionName']}: RUST_LOG {got} != {want}")
if seen == 0:
    bad.append(f"no functions named {prefix}*")
sys.exit("\n".join(bad) if bad else 0)
PYEOF
  }
  check "only $outage_region changed; the global state is untouched" only_that_region
  rm -f "$WORK/alice/terraform/global/zz_outage_override.tf"
fi

echo "== destroy (reverse order; from a package directory without zips: destroy must not need them)"
for dev in "${DEVELOPERS[@]}"; do
  jq --arg none "$WORK/no-lambda-packages" '. + {lambda_package_dir: $none}' "$WORK/$dev/extra.json" >"$WORK/$dev/extra-destroy.json"
done
t0=$(date +%s)
EXTRA_VARS_SUFFIX=-destroy both destroy
echo "destroy of both copies took $(($(date +%s) - t0)) s"

empty_states() {
  local dev s left
  for dev in "${DEVELOPERS[@]}"; do
    for s in global dns "${REGIONS[@]/#/region/}" "${REGIONS[@]/#/keys/}"; do
      [ -f "$(state_file "$dev" "$s")" ] || { echo "no state $dev $s"; return 1; }
      left=$(terraform state list -state="$(state_file "$dev" "$s")")
      if [ -n "$left" ]; then
        echo "state $dev $s still lists:"
        echo "$left"
        return 1
      fi
    done
  done
}
check "every state of both copies is empty after destroy" empty_states
check "moto holds nothing of either copy after destroy" \
  "$PY" "$CHECK" empty --endpoint "$ENDPOINT" --zone-id "$zone_id" --regions "${REGIONS[@]}" \
  --prefixes "${DEVELOPERS[@]/#/$SERVICE-$ENV_NAME-}"
