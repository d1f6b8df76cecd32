# The latency-routed name: one alias A record per region (set_identifier =
# region) pointing at that region's regional custom domain, each guarded by an
# HTTPS health check of that region's OWN endpoint (its execute-api host and
# /<stage>/health), never the latency-routed name itself: a check of the shared
# name would follow routing to whichever region is healthy and never fail.

provider "aws" {
  # Route53 is global; the primary region only hosts the API calls.
  region = var.regions[0]

  default_tags {
    tags = local.tags
  }
}

locals {
  name_prefix = var.developer == "" ? "${var.service}-${var.environment}" : "${var.service}-${var.environment}-${var.developer}"

  tags = merge(var.tags, {
    "accounts:service"     = var.service
    "accounts:environment" = var.environment
    "accounts:developer"   = var.developer
    "accounts:managed-by"  = "terraform/dns"
  })
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
  measure_latency   = true
  reference_name    = substr("${local.name_prefix}-${each.key}", 0, 28)

  tags = { Name = "${local.name_prefix}-${each.key}-health" }
}

resource "aws_route53_record" "latency" {
  #checkov:skip=CKV2_AWS_23:The alias target is each region's API Gateway regional domain, passed in from the regional states (checkov cannot follow it across states).
  for_each = var.regional_endpoints

  zone_id        = var.hosted_zone_id
  name           = var.api_domain_name
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
