# One regional stack. Applied once per region listed in env/<env>.tfvars.json,
# each with `-var region=<region>` and its own state key (see ../deploy.sh):
# the AWS provider (5.x) has no per-resource region and providers cannot be
# iterated, so "one stack per region" is "one state per region".

provider "aws" {
  region = var.region

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
  component       = "region"
  tags            = var.tags
}

locals {
  api_document_path        = coalesce(var.api_document_path, "${path.module}/../../generated/apigateway.json")
  operations_manifest_path = coalesce(var.operations_manifest_path, "${path.module}/../../generated/operations.json")
  reference_html_path      = coalesce(var.reference_html_path, "${dirname(local.api_document_path)}/reference.html")
  lambda_package_dir       = coalesce(var.lambda_package_dir, "${path.module}/../../target/lambda")

  # A developer's copy reserves a small, equal share for every function, so that
  # ten copies fit one account's regional concurrency quota (README.md).
  is_developer_copy           = var.developer != ""
  reserved_concurrency        = local.is_developer_copy ? var.developer_reserved_concurrency : var.reserved_concurrency
  health_reserved_concurrency = local.is_developer_copy ? var.developer_reserved_concurrency : var.health_reserved_concurrency
}

module "regional" {
  source = "../modules/regional"

  name_prefix              = module.naming.name_prefix
  tag_namespace            = module.naming.tag_namespace
  api_document_path        = local.api_document_path
  operations_manifest_path = local.operations_manifest_path
  reference_html_path      = var.publish_reference ? local.reference_html_path : null
  lambda_package_dir       = local.lambda_package_dir

  table_name                     = var.table_name
  table_kms_key_arn              = var.table_kms_key_arns[var.region]
  cognito_user_pool_arn          = var.cognito_user_pool_arn
  custom_authorizer_function_arn = lookup(var.custom_authorizer_function_arns, var.region, null)
  cursor_key_secret_arn          = var.cursor_key_secret_arns[var.region]
  cursor_key_kms_key_arn         = var.cursor_key_kms_key_arns[var.region]
  replica_regions                = [for r in var.regions : r if r != var.region]

  api_domain_name = module.naming.api_domain_name
  hosted_zone_id  = var.hosted_zone_id

  stage_name                         = var.stage_name
  health_stage_name                  = var.health_stage_name
  health_check_path                  = var.health_check_path
  memory_size                        = var.memory_size
  memory_size_overrides              = var.memory_size_overrides
  timeout_seconds                    = var.timeout_seconds
  health_timeout_seconds             = var.health_timeout_seconds
  reserved_concurrency               = local.reserved_concurrency
  health_reserved_concurrency        = local.health_reserved_concurrency
  reserved_concurrency_overrides     = var.reserved_concurrency_overrides
  rust_log                           = var.rust_log
  log_retention_days                 = var.log_retention_days
  kms_deletion_window_in_days        = var.kms_deletion_window_in_days
  throttling_rate_limit              = var.throttling_rate_limit
  throttling_burst_limit             = var.throttling_burst_limit
  health_throttling_rate_limit       = var.health_throttling_rate_limit
  health_throttling_burst_limit      = var.health_throttling_burst_limit
  health_probe_rate_limit            = var.health_probe_rate_limit
  health_probe_burst_limit           = var.health_probe_burst_limit
  restrict_health_stage_to_route53   = var.restrict_health_stage_to_route53
  usage_plan                         = var.usage_plan
  execution_logging_level            = var.execution_logging_level
  manage_api_gateway_account         = var.manage_api_gateway_account
  web_acl_arn                        = var.web_acl_arn
  alarm_subscriptions                = var.alarm_subscriptions
  alarm_actions                      = var.alarm_actions
  alarm_evaluation_periods           = var.alarm_evaluation_periods
  alarm_5xx_threshold                = var.alarm_5xx_threshold
  alarm_4xx_threshold                = var.alarm_4xx_threshold
  alarm_latency_p99_ms               = var.alarm_latency_p99_ms
  alarm_lambda_errors_threshold      = var.alarm_lambda_errors_threshold
  alarm_lambda_throttles_threshold   = var.alarm_lambda_throttles_threshold
  alarm_lambda_duration_p99_ms       = var.alarm_lambda_duration_p99_ms
  alarm_dynamodb_throttles_threshold = var.alarm_dynamodb_throttles_threshold
  alarm_replication_latency_ms       = var.alarm_replication_latency_ms
  create_dashboard                   = var.create_dashboard
  enable_lambda_environment_cmk      = var.enable_lambda_environment_cmk

  tags = module.naming.tags
}
