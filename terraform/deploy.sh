#!/usr/bin/env bash
# Deploys (or tears down) one copy of a service from the roots in this directory:
#   keys (every region, one state each) -> global -> every region (one state each) -> dns
# and destroys in the reverse order. See README.md.
#
# Usage: terraform/deploy.sh <env> apply|plan|destroy
#        terraform/deploy.sh <env> apply|plan --region <region>
#            one region's keys and stack, then dns, without the global step: for an
#            outage of the primary region (the global root applies there) or to
#            repair one region; the global outputs are read from its state only
#        terraform/deploy.sh <env> retire <region>
#            after removing <region> from the list: drops its dns record, destroys
#            its regional state, applies everything, then destroys its keys
#        plan exits 0 when nothing would change and 2 when something would.
#
# Environment variables:
#   DEVELOPER          owner of a private copy ("" = the shared environment); part of
#                      resource names, of the API domain and of state keys
#   TF_BACKEND         s3 (default) or local
#   TF_STATE_BUCKET    S3 bucket of the states (required with the s3 backend)
#   TF_STATE_REGION    region of that bucket (required with the s3 backend); it must not
#                      be one of the regions served, or an outage of that region would
#                      also lock the operators out of every state
#   TF_ALLOW_STATE_IN_SERVED_REGION=1  accept a state bucket in a served region anyway
#   TF_LOCAL_STATE_DIR state directory with the local backend (default terraform/.state)
#   TF_EXTRA_VARS      optional tfvars.json merged over the env file (e.g. per-developer
#                      settings, or the moto test's switches)
#   TF_STEP_TIMEOUT    seconds allowed for each terraform apply/destroy/plan (default 3600)
set -euo pipefail

usage() {
  echo "usage: $0 <env> apply|plan|destroy  |  $0 <env> apply|plan --region <region>  |  $0 <env> retire <region>" >&2
  exit 2
}
[ $# -ge 2 ] || usage
env_name=$1
action=$2
target_region=""
case "$action" in
  apply | plan)
    if [ $# -eq 4 ] && [ "$3" = --region ]; then target_region=$4; elif [ $# -ne 2 ]; then usage; fi
    ;;
  destroy) [ $# -eq 2 ] || usage ;;
  retire) [ $# -eq 3 ] || usage; target_region=$3 ;;
  *) usage ;;
esac

tf_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
roots=(keys global region dns)
env_file="$tf_dir/env/$env_name.tfvars.json"
[ -f "$env_file" ] || { echo "deploy.sh: no $env_file" >&2; exit 2; }
command -v jq >/dev/null || { echo "deploy.sh: jq is required" >&2; exit 2; }
command -v terraform >/dev/null || { echo "deploy.sh: terraform is required" >&2; exit 2; }

developer=${DEVELOPER:-}
backend=${TF_BACKEND:-s3}
step_timeout=${TF_STEP_TIMEOUT:-3600}
state_owner=${developer:-shared}

work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  if [ "$backend" = local ]; then
    for root in "${roots[@]}"; do rm -f "$tf_dir/$root/zz_local_backend_override.tf"; done
  fi
}
trap cleanup EXIT

# Env file + developer + optional extra file, merged once. The environment is the
# file's "environment", or else the file's name (env/<service>-dev.tfvars.json can
# say "environment": "dev").
extra=${TF_EXTRA_VARS:-}
jq -s --arg dev "$developer" --arg env "$env_name" \
  '{environment: $env} + (.[0] * (.[1] // {})) + {developer: $dev}' "$env_file" ${extra:+"$extra"} >"$work/merged.json"
# The state keys name the service and the environment, so two services' copies
# never share a state.
service=$(jq -r '.service // "accounts"' "$work/merged.json")
environment=$(jq -r '.environment' "$work/merged.json")

# The one list of regions; the first is the primary.
mapfile -t regions < <(jq -r '.regions[]' "$work/merged.json")
[ "${#regions[@]}" -ge 1 ] || { echo "deploy.sh: $env_file lists no regions" >&2; exit 2; }
is_listed() {
  local r
  for r in "${regions[@]}"; do [ "$r" != "$1" ] || return 0; done
  return 1
}
if [ -n "$target_region" ] && [ "$action" != retire ] && ! is_listed "$target_region"; then
  echo "deploy.sh: --region $target_region is not one of the regions of $env_file" >&2
  exit 2
fi

case "$backend" in
  s3)
    [ -n "${TF_STATE_BUCKET:-}" ] || { echo "deploy.sh: set TF_STATE_BUCKET to the state bucket (or TF_BACKEND=local)" >&2; exit 2; }
    [ -n "${TF_STATE_REGION:-}" ] || { echo "deploy.sh: set TF_STATE_REGION to the region of the state bucket, one that is not served (README.md)" >&2; exit 2; }
    state_region=$TF_STATE_REGION
    if is_listed "$state_region" && [ "${TF_ALLOW_STATE_IN_SERVED_REGION:-0}" != 1 ]; then
      echo "deploy.sh: the state bucket's region $state_region is served by this environment; an outage there would lock every state. Use a bucket in another region (or set TF_ALLOW_STATE_IN_SERVED_REGION=1)." >&2
      exit 2
    fi
    ;;
  local)
    state_dir=${TF_LOCAL_STATE_DIR:-$tf_dir/.state}
    mkdir -p "$state_dir"
    state_dir=$(cd "$state_dir" && pwd)
    for root in "${roots[@]}"; do
      printf '# Written by deploy.sh (TF_BACKEND=local); removed when it exits.\nterraform {\n  backend "local" {}\n}\n' \
        >"$tf_dir/$root/zz_local_backend_override.tf"
    done
    ;;
  *) echo "deploy.sh: TF_BACKEND must be s3 or local" >&2; exit 2 ;;
esac

log() { printf '\n== deploy.sh %s %s: %s\n' "$env_name" "$action" "$*" >&2; }

# init <root> <state name>: point the root at its own state (once: a root stays
# pointed at the state it was last initialised for).
declare -A initialised=()
init() {
  local root=$1 key="$service/$environment/$state_owner/$2.tfstate"
  [ "${initialised[$root]:-}" != "$key" ] || return 0
  if [ "$backend" = s3 ]; then
    terraform -chdir="$tf_dir/$root" init -input=false -reconfigure \
      -backend-config="bucket=$TF_STATE_BUCKET" \
      -backend-config="key=$key" \
      -backend-config="region=$state_region" \
      -backend-config="use_lockfile=true" \
      -backend-config="encrypt=true" >&2
  else
    mkdir -p "$(dirname "$state_dir/$key")"
    terraform -chdir="$tf_dir/$root" init -input=false -reconfigure \
      -backend-config="path=$state_dir/$key" >&2
  fi
  initialised[$root]=$key
}

# vars <root> <json files...>: merge the files and keep only the root's variables,
# so one env file serves every root without "undeclared variable" warnings.
vars() {
  local root=$1 out="$work/$1.tfvars.json"
  shift
  local declared
  declared=$(grep -ho '^variable "[^"]*"' "$tf_dir/$root"/*.tf | cut -d'"' -f2 | jq -R . | jq -s .)
  jq -s --argjson keep "$declared" 'add | with_entries(select(.key as $k | $keep | index($k)))' "$@" >"$out"
  echo "$out"
}

run() { timeout "$step_timeout" terraform "$@"; }

# output <root> <state name> <output> <file>: one output of a state, read from the
# state only (no provider call: works while the state's region is down).
output() {
  init "$1" "$2"
  terraform -chdir="$tf_dir/$1" output -json "$3" >"$4"
}

# plan_or_apply <root> <args...>: apply, or plan (recording pending changes).
changes=0
plan_or_apply() {
  local root=$1 rc=0
  shift
  if [ "$action" = plan ]; then
    run -chdir="$tf_dir/$root" plan -input=false -detailed-exitcode "$@" || rc=$?
    case $rc in 0) ;; 2) changes=1 ;; *) exit "$rc" ;; esac
  else
    run -chdir="$tf_dir/$root" apply -input=false -auto-approve "$@"
  fi
}

keys_step() {
  local region=$1
  log "keys $region"
  init keys "keys/$region"
  plan_or_apply keys -var-file="$(vars keys "$work/merged.json")" -var "region=$region"
  [ "$action" = plan ] || terraform -chdir="$tf_dir/keys" output -json key_arns >"$work/key-$region.json"
}

# collect_keys [tolerant]: every region's key ARNs, from the keys states, as the
# global and region roots' table_kms_key_arns and cursor_key_kms_key_arns
# ("tolerant" skips regions whose keys were never applied, for destroy).
collect_keys() {
  local r
  echo '{"table_kms_key_arns": {}, "cursor_key_kms_key_arns": {}}' >"$work/keys.json"
  for r in "${regions[@]}"; do
    if [ -f "$work/key-$r.json" ]; then
      : # just applied
    elif [ "${1:-}" = tolerant ]; then
      output keys "keys/$r" key_arns "$work/key-$r.json" 2>/dev/null || continue
    else
      output keys "keys/$r" key_arns "$work/key-$r.json"
    fi
    jq --arg r "$r" --slurpfile k "$work/key-$r.json" \
      '.table_kms_key_arns[$r] = $k[0].table | .cursor_key_kms_key_arns[$r] = $k[0].secret' \
      "$work/keys.json" >"$work/keys.next"
    mv "$work/keys.next" "$work/keys.json"
  done
}

global_step() {
  log "global (primary region ${regions[0]})"
  init global global
  plan_or_apply global -var-file="$(vars global "$work/merged.json" "$work/keys.json")"
}

global_inputs() { output global global stack_inputs "$work/global-outputs.json"; }

region_step() {
  local region=$1
  log "region $region"
  init region "region/$region"
  plan_or_apply region -var-file="$(vars region "$work/merged.json" "$work/keys.json" "$work/global-outputs.json")" \
    -var "region=$region"
  [ "$action" = plan ] || terraform -chdir="$tf_dir/region" output -json dns_endpoint >"$work/endpoint-$region.json"
}

# dns_step: the latency records of every listed region (endpoints read from the
# regional states) and the health checks' alarms.
dns_step() {
  local r
  echo '{}' >"$work/endpoints.json"
  for r in "${regions[@]}"; do
    [ -f "$work/endpoint-$r.json" ] || output region "region/$r" dns_endpoint "$work/endpoint-$r.json"
    jq --arg r "$r" --slurpfile e "$work/endpoint-$r.json" '. + {($r): $e[0]}' "$work/endpoints.json" >"$work/endpoints.next"
    mv "$work/endpoints.next" "$work/endpoints.json"
  done
  log "dns"
  jq '{regional_endpoints: .}' "$work/endpoints.json" >"$work/dns-inputs.json"
  init dns dns
  plan_or_apply dns -var-file="$(vars dns "$work/merged.json" "$work/global-outputs.json" "$work/dns-inputs.json")"
}

apply_all() {
  local r
  for r in "${regions[@]}"; do keys_step "$r"; done
  collect_keys
  global_step
  global_inputs
  for r in "${regions[@]}"; do region_step "$r"; done
  dns_step
}

# apply_region <region>: the outage path. The global root is neither planned nor
# applied (its provider would call the primary region); its outputs come from
# its state, which lives in a region that is not served.
apply_region() {
  local region=$1
  keys_step "$region"
  collect_keys
  global_inputs
  region_step "$region"
  dns_step
}

# has_resources <root> <state name>: whether that state holds anything (a failed
# first apply leaves some states empty or absent; destroy skips them).
has_resources() {
  init "$1" "$2"
  [ -n "$(terraform -chdir="$tf_dir/$1" state list 2>/dev/null)" ]
}

destroy_all() {
  local i r
  if has_resources dns dns; then
    log "dns"
    echo '{"regional_endpoints": {}}' >"$work/dns-inputs.json"
    run -chdir="$tf_dir/dns" destroy -input=false -auto-approve -var-file="$(vars dns "$work/merged.json" "$work/dns-inputs.json")"
  fi

  collect_keys tolerant
  for ((i = ${#regions[@]} - 1; i >= 0; i--)); do
    r=${regions[$i]}
    has_resources region "region/$r" || continue
    log "region $r"
    # A regional stack exists only after the global apply produced its outputs.
    global_inputs
    init region "region/$r"
    run -chdir="$tf_dir/region" destroy -input=false -auto-approve \
      -var-file="$(vars region "$work/merged.json" "$work/keys.json" "$work/global-outputs.json")" -var "region=$r"
  done

  if has_resources global global; then
    log "global"
    run -chdir="$tf_dir/global" destroy -input=false -auto-approve -var-file="$(vars global "$work/merged.json" "$work/keys.json")"
  fi

  for ((i = ${#regions[@]} - 1; i >= 0; i--)); do destroy_keys "${regions[$i]}" "$work/merged.json"; done
}

destroy_keys() {
  has_resources keys "keys/$1" || return 0
  log "keys $1"
  run -chdir="$tf_dir/keys" destroy -input=false -auto-approve -var-file="$(vars keys "$2")" -var "region=$1"
}

# retire <region>: the region was removed from the list. Take it out of DNS first,
# destroy its stack (its state still believes in the old list), apply the rest (the
# global apply drops its table and secret replicas, the regional applies restore the
# ACM validation record the regions share), and only then destroy its keys, which
# the replicas used until the global apply.
retire() {
  local region=$1
  if is_listed "$region"; then
    echo "deploy.sh: remove $region from $env_file first" >&2
    exit 2
  fi
  jq --arg r "$region" '.regions += [$r]' "$work/merged.json" >"$work/retired.json"
  collect_keys
  output keys "keys/$region" key_arns "$work/key-$region.json"
  jq --slurpfile k "$work/key-$region.json" --arg r "$region" \
    '.table_kms_key_arns[$r] = $k[0].table | .cursor_key_kms_key_arns[$r] = $k[0].secret' \
    "$work/keys.json" >"$work/keys-retired.json"
  global_inputs
  dns_step

  log "destroy region $region"
  init region "region/$region"
  run -chdir="$tf_dir/region" destroy -input=false -auto-approve \
    -var-file="$(vars region "$work/retired.json" "$work/keys-retired.json" "$work/global-outputs.json")" -var "region=$region"

  apply_all
  destroy_keys "$region" "$work/retired.json"
}

case "$action" in
  apply | plan)
    if [ -n "$target_region" ]; then apply_region "$target_region"; else apply_all; fi
    if [ "$action" = plan ] && [ "$changes" = 1 ]; then
      log "changes pending"
      exit 2
    fi
    ;;
  destroy) destroy_all ;;
  retire) retire "$target_region" ;;
esac
log "done"
