# The latency-routed name: one alias A record per region (set_identifier =
# region) pointing at that region's regional custom domain, each guarded by an
# HTTPS health check of that region's OWN endpoint (its execute-api host, health
# stage, health path), never the latency-routed name itself: a check of the shared
# name would follow routing to whichever region is healthy and never fail.
# Alarms on the health checks (and on the user pool's endpoint) live in
# monitoring_region, where Route53 publishes its metrics.

provider "aws" {
  # Route53 is global; its health check metrics exist in us-east-1 only
  # (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
  region = var.monitoring_region

  default_tags {
    tags = module.naming.tags
  }
}

module "naming" {
  source = "../modules/naming"

  service         = var.service
  environment     = var.environment
  developer       = var.developer
  api_domain_name = var.api_domain_name
  component       = "dns"
  tags            = var.tags
}

locals {
  name_prefix     = module.naming.name_prefix
  api_domain_name = module.naming.api_domain_name

  # The user pool's region is the first part of its ID.
  cognito_region = var.cognito_user_pool_id == null ? null : split("_", var.cognito_user_pool_id)[0]

  # A reference name is at most 27 characters (the provider's limit); a longer one keeps its start and a
  # hash of the whole, so two never coincide.
  reference_full_names = merge(
    { for r in keys(var.regional_endpoints) : r => "${local.name_prefix}-${r}" },
    { cognito = "${local.name_prefix}-cognito" },
  )
  reference_names = {
    for k, n in local.reference_full_names : k => length(n) <= 27 ? n : "${substr(n, 0, 18)}-${substr(sha1(n), 0, 8)}"
  }
}

resource "aws_route53_health_check" "region" {
  for_each = var.regional_endpoints

  type              = "HTTPS"
  fqdn              = each.value.health_check_fqdn
  port              = 443
  resource_path     = each.value.health_check_path
  enable_sni        = true
  request_interval  = var.health_check_request_interval
  failure_threshold = var.health_check_failure_threshold
  measure_latency   = var.health_check_measure_latency
  reference_name    = local.reference_names[each.key]

  tags = { Name = "${local.name_prefix}-${each.key}-health" }
}

resource "aws_route53_record" "latency" {
  #checkov:skip=CKV2_AWS_23:The alias target is each region's API Gateway regional domain, passed in from the regional states (checkov cannot follow it across states).
  for_each = var.regional_endpoints

  zone_id        = var.hosted_zone_id
  name           = local.api_domain_name
  type           = "A"
  set_identifier = each.key

  latency_routing_policy {
    region = each.key
  }

  health_check_id = aws_route53_health_check.region[each.key].id

  alias {
    name                   = each.value.regional_domain_name
    zone_id                = each.value.regional_zone_id
    evaluate_target_health = true
  }
}

# The user pool lives in one region. This check is attached to no record: it only
# tells people (through its alarm) that the pool's public endpoint stopped
# answering, which the regional health checks cannot see (they never call Cognito).
resource "aws_route53_health_check" "cognito" {
  count = var.cognito_user_pool_id == null ? 0 : 1

  type              = "HTTPS"
  fqdn              = "cognito-idp.${local.cognito_region}.amazonaws.com"
  port              = 443
  resource_path     = "/${var.cognito_user_pool_id}/.well-known/jwks.json"
  enable_sni        = true
  request_interval  = 30
  failure_threshold = var.health_check_failure_threshold
  reference_name    = local.reference_names["cognito"]

  tags = { Name = "${local.name_prefix}-cognito-jwks" }
}
