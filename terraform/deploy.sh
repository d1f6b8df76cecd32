#!/usr/bin/env bash
# Deploys (or tears down) one environment of the accounts service:
#   global  -> every region of env/<env>.tfvars.json "regions" (one state each) -> dns
# and destroys in the reverse order. See README.md.
#
# Usage: terraform/deploy.sh <env> apply|destroy|plan
#        (plan: every root against its current state; exit 0 = no changes, 2 = changes)
#        terraform/deploy.sh <env> retire <region>   (after removing <region> from the list:
#        drops its dns record, destroys its regional state, then applies everything)
#
# Environment variables:
#   DEVELOPER          owner of a private copy ("" = the shared environment); part of
#                      resource names and of state keys
#   TF_BACKEND         s3 (default) or local
#   TF_STATE_BUCKET    S3 bucket of the states (required with the s3 backend)
#   TF_STATE_REGION    region of that bucket (default: the first of "regions")
#   TF_LOCAL_STATE_DIR state directory with the local backend (default terraform/.state)
#   TF_EXTRA_VARS      optional tfvars.json merged over the env file (e.g. per-developer
#                      settings, or the moto test's switches)
#   TF_STEP_TIMEOUT    seconds allowed for each terraform apply/destroy (default 3600)
set -euo pipefail

usage() { echo "usage: $0 <env> apply|destroy|plan  |  $0 <env> retire <region>" >&2; exit 2; }
[ $# -ge 2 ] || usage
env_name=$1
action=$2
retired=""
case "$action" in
  apply | destroy | plan) [ $# -eq 2 ] || usage ;;
  retire) [ $# -eq 3 ] || usage; retired=$3 ;;
  *) usage ;;
esac

tf_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
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
    rm -f "$tf_dir"/{global,region,dns}/zz_local_backend_override.tf
  fi
}
trap cleanup EXIT

# The one list of regions; the first is the primary.
mapfile -t regions < <(jq -r '.regions[]' "$env_file")
[ "${#regions[@]}" -ge 1 ] || { echo "deploy.sh: $env_file lists no regions" >&2; exit 2; }

# Env file + developer + optional extra file, merged once.
extra=${TF_EXTRA_VARS:-}
if [ -n "$extra" ]; then
  jq -s --arg dev "$developer" --arg env "$env_name" '.[0] * .[1] + {developer: $dev, environment: $env}' "$env_file" "$extra" >"$work/merged.json"
else
  jq --arg dev "$developer" --arg env "$env_name" '. + {developer: $dev, environment: $env}' "$env_file" >"$work/merged.json"
fi

case "$backend" in
  s3)
    : "${TF_STATE_BUCKET:?set TF_STATE_BUCKET to the state bucket (or TF_BACKEND=local)}"
    state_region=${TF_STATE_REGION:-${regions[0]}}
    ;;
  local)
    state_dir=${TF_LOCAL_STATE_DIR:-$tf_dir/.state}
    mkdir -p "$state_dir"
    state_dir=$(cd "$state_dir" && pwd)
    for root in global region dns; do
      printf '# Written by deploy.sh (TF_BACKEND=local); removed when it exits.\nterraform {\n  backend "local" {}\n}\n' \
        >"$tf_dir/$root/zz_local_backend_override.tf"
    done
    ;;
  *) echo "deploy.sh: TF_BACKEND must be s3 or local" >&2; exit 2 ;;
esac

log() { printf '\n== deploy.sh %s %s: %s\n' "$env_name" "$action" "$*" >&2; }

# init <root> <state name>: point the root at its own state.
init() {
  local root=$1 name=$2 key="$env_name/$state_owner/$2.tfstate"
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

global_inputs() {
  init global global
  terraform -chdir="$tf_dir/global" output -json region_stack_inputs >"$work/global-outputs.json"
}

apply_all() {
  log "global (primary region ${regions[0]})"
  init global global
  run -chdir="$tf_dir/global" apply -input=false -auto-approve -var-file="$(vars global "$work/merged.json")"
  terraform -chdir="$tf_dir/global" output -json region_stack_inputs >"$work/global-outputs.json"

  echo '{}' >"$work/endpoints.json"
  for region in "${regions[@]}"; do
    log "region $region"
    init region "region/$region"
    run -chdir="$tf_dir/region" apply -input=false -auto-approve \
      -var-file="$(vars region "$work/merged.json" "$work/global-outputs.json")" -var "region=$region"
    terraform -chdir="$tf_dir/region" output -json dns_endpoint >"$work/endpoint.json"
    jq --arg r "$region" --slurpfile e "$work/endpoint.json" '. + {($r): $e[0]}' "$work/endpoints.json" >"$work/endpoints.next"
    mv "$work/endpoints.next" "$work/endpoints.json"
  done

  log "dns"
  jq '{regional_endpoints: .}' "$work/endpoints.json" >"$work/dns-inputs.json"
  init dns dns
  run -chdir="$tf_dir/dns" apply -input=false -auto-approve -var-file="$(vars dns "$work/merged.json" "$work/dns-inputs.json")"
}

destroy_all() {
  log "dns"
  echo '{"regional_endpoints": {}}' >"$work/dns-inputs.json"
  init dns dns
  run -chdir="$tf_dir/dns" destroy -input=false -auto-approve -var-file="$(vars dns "$work/merged.json" "$work/dns-inputs.json")"

  local have_global=1
  global_inputs || have_global=0
  for ((i = ${#regions[@]} - 1; i >= 0; i--)); do
    region=${regions[$i]}
    log "region $region"
    init region "region/$region"
    if [ "$have_global" = 0 ]; then
      # The global root never produced its outputs (a failed first apply): then no
      # region can have been applied either; refuse if one was.
      if [ -n "$(terraform -chdir="$tf_dir/region" state list)" ]; then
        echo "deploy.sh: region $region has resources but the global outputs are missing" >&2
        exit 1
      fi
      continue
    fi
    run -chdir="$tf_dir/region" destroy -input=false -auto-approve \
      -var-file="$(vars region "$work/merged.json" "$work/global-outputs.json")" -var "region=$region"
  done

  log "global"
  init global global
  run -chdir="$tf_dir/global" destroy -input=false -auto-approve -var-file="$(vars global "$work/merged.json")"
}

# retire <region>: the region was removed from the list. Take it out of DNS first,
# destroy its stack (its state still believes in the old list), then apply the rest:
# the global apply drops its table and secret replicas, the regional applies restore
# the ACM validation record the regions share.
retire() {
  local region=$1 r
  for r in "${regions[@]}"; do
    [ "$r" != "$region" ] || { echo "deploy.sh: remove $region from $env_file first" >&2; exit 2; }
  done
  log "dns without $region"
  echo '{}' >"$work/endpoints.json"
  for r in "${regions[@]}"; do
    init region "region/$r"
    terraform -chdir="$tf_dir/region" output -json dns_endpoint >"$work/endpoint.json"
    jq --arg r "$r" --slurpfile e "$work/endpoint.json" '. + {($r): $e[0]}' "$work/endpoints.json" >"$work/endpoints.next"
    mv "$work/endpoints.next" "$work/endpoints.json"
  done
  jq '{regional_endpoints: .}' "$work/endpoints.json" >"$work/dns-inputs.json"
  init dns dns
  run -chdir="$tf_dir/dns" apply -input=false -auto-approve -var-file="$(vars dns "$work/merged.json" "$work/dns-inputs.json")"

  log "destroy region $region"
  global_inputs
  jq --arg r "$region" '.regions += [$r]' "$work/merged.json" >"$work/retired.json"
  init region "region/$region"
  run -chdir="$tf_dir/region" destroy -input=false -auto-approve \
    -var-file="$(vars region "$work/retired.json" "$work/global-outputs.json")" -var "region=$region"

  apply_all
}

# plan_all: plan every root against its state (regions and dns need the outputs
# of an earlier apply). Exit status 0 when nothing would change, 2 when something would.
plan_all() {
  local changes=0 rc r
  plan_root() {
    rc=0
    local chdir=$1
    shift
    run "$chdir" plan -input=false -detailed-exitcode "$@" || rc=$?
    case $rc in 0) ;; 2) changes=1 ;; *) exit "$rc" ;; esac
  }
  log "plan global"
  init global global
  plan_root -chdir="$tf_dir/global" -var-file="$(vars global "$work/merged.json")"
  global_inputs
  echo '{}' >"$work/endpoints.json"
  for r in "${regions[@]}"; do
    log "plan region $r"
    init region "region/$r"
    plan_root -chdir="$tf_dir/region" -var-file="$(vars region "$work/merged.json" "$work/global-outputs.json")" -var "region=$r"
    terraform -chdir="$tf_dir/region" output -json dns_endpoint >"$work/endpoint.json"
    jq --arg r "$r" --slurpfile e "$work/endpoint.json" '. + {($r): $e[0]}' "$work/endpoints.json" >"$work/endpoints.next"
    mv "$work/endpoints.next" "$work/endpoints.json"
  done
  log "plan dns"
  jq '{regional_endpoints: .}' "$work/endpoints.json" >"$work/dns-inputs.json"
  init dns dns
  plan_root -chdir="$tf_dir/dns" -var-file="$(vars dns "$work/merged.json" "$work/dns-inputs.json")"
  if [ "$changes" = 1 ]; then
    log "changes pending"
    exit 2
  fi
}

case "$action" in
  plan) plan_all ;;
  apply) apply_all ;;
  destroy) destroy_all ;;
  retire) retire "$retired" ;;
esac
log "done"
