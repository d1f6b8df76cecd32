# One regional stack. Applied once per region listed in env/<env>.tfvars.json,
# each with `-var region=<region>` and its own state key (see ../deploy.sh):
# the AWS provider (5.x) has no per-resource region and providers cannot be
# iterated, so "one stack per region" is "one state per region".

provider "aws" {
  region = var.region

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
    "accounts:managed-by"  = "terraform/region"
  })

  api_document_path        = coalesce(var.api_document_path, "${path.module}/../../generated/apigateway.json")
  operations_manifest_path = coalesce(var.operations_manifest_path, "${path.module}/../../generated/operations.json")
  lambda_package_dir       = coalesce(var.lambda_package_dir, "${path.module}/../../target/lambda")
}

module "regional" {
  source = "../modules/regional"

  name_prefix              = local.name_prefix
  api_document_path        = local.api_document_path
  operations_manifest_path = local.operations_manifest_path
  lambda_package_dir       = local.lambda_package_dir

  table_name             = var.table_name
  table_kms_key_arn      = lookup(var.table_kms_key_arns, var.region, null)
  cognito_user_pool_arn  = var.cognito_user_pool_arn
  cursor_key_secret_arn  = var.cursor_key_secret_arns[var.region]
  cursor_key_kms_key_arn = lookup(var.cursor_key_kms_key_arns, var.region, null)

  api_domain_name = var.api_domain_name
  hosted_zone_id  = var.hosted_zone_id

  memory_size                    = var.memory_size
  memory_size_overrides          = var.memory_size_overrides
  reserved_concurrency           = var.reserved_concurrency
  reserved_concurrency_overrides = var.reserved_concurrency_overrides
  rust_log                       = var.rust_log
  log_retention_days             = var.log_retention_days
  kms_deletion_window_in_days    = var.kms_deletion_window_in_days
  throttling_rate_limit          = var.throttling_rate_limit
  throttling_burst_limit         = var.throttling_burst_limit
  manage_api_gateway_account     = var.manage_api_gateway_account
  enable_lambda_environment_cmk  = var.enable_lambda_environment_cmk
  web_acl_arn                    = var.web_acl_arn
  alarm_actions                  = var.alarm_actions

  tags = local.tags
}
