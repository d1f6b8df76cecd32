# Every validated variable rejects a bad value: one plan per variable, each
# expecting exactly that variable's validation to fail (moto_check.py tftest-coverage
# fails when a validated variable has no such run). Same mocks (tests/mocks) and inputs
# (tests/terraform.tfvars) as regional.tftest.hcl.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "rejects_bad_name_prefix" {
  command = plan

  variables {
    name_prefix = "A"
  }

  expect_failures = [var.name_prefix]
}

run "rejects_bad_tag_namespace" {
  command = plan

  variables {
    tag_namespace = "x-y"
  }

  expect_failures = [var.tag_namespace]
}

run "rejects_bad_api_document_path" {
  command = plan

  variables {
    api_document_path = "/nonexistent/apigateway.json"
  }

  expect_failures = [var.api_document_path]
}

run "rejects_bad_operations_manifest_path" {
  command = plan

  variables {
    operations_manifest_path = "/nonexistent/operations.json"
  }

  expect_failures = [var.operations_manifest_path]
}

run "rejects_bad_reference_html_path" {
  command = plan

  variables {
    reference_html_path = "/nonexistent/reference.html"
  }

  expect_failures = [var.reference_html_path]
}

run "rejects_bad_docs_path" {
  command = plan

  variables {
    docs_path = "docs"
  }

  expect_failures = [var.docs_path]
}

run "rejects_bad_lambda_package_dir" {
  command = plan

  variables {
    lambda_package_dir = " "
  }

  expect_failures = [var.lambda_package_dir]
}

run "rejects_bad_table_name" {
  command = plan

  variables {
    table_name = "x"
  }

  expect_failures = [var.table_name]
}

run "rejects_bad_table_kms_key_arn" {
  command = plan

  variables {
    table_kms_key_arn = "key"
  }

  expect_failures = [var.table_kms_key_arn]
}

run "rejects_bad_cognito_user_pool_arn" {
  command = plan

  variables {
    cognito_user_pool_arn = "pool"
  }

  expect_failures = [var.cognito_user_pool_arn]
}

run "rejects_bad_custom_authorizer_function_arn" {
  command = plan

  variables {
    custom_authorizer_function_arn = "arn:aws:s3:::bucket"
  }

  expect_failures = [var.custom_authorizer_function_arn]
}

run "rejects_bad_cursor_key_secret_arn" {
  command = plan

  variables {
    cursor_key_secret_arn = "secret"
  }

  expect_failures = [var.cursor_key_secret_arn]
}

run "rejects_bad_cursor_key_kms_key_arn" {
  command = plan

  variables {
    cursor_key_kms_key_arn = "key"
  }

  expect_failures = [var.cursor_key_kms_key_arn]
}

run "rejects_bad_api_domain_name" {
  command = plan

  variables {
    api_domain_name = "bad_domain"
  }

  expect_failures = [var.api_domain_name]
}

run "rejects_bad_hosted_zone_id" {
  command = plan

  variables {
    hosted_zone_id = "z"
  }

  expect_failures = [var.hosted_zone_id]
}

run "rejects_bad_replica_regions" {
  command = plan

  variables {
    replica_regions = ["mars-1"]
  }

  expect_failures = [var.replica_regions]
}

run "rejects_bad_tags" {
  command = plan

  variables {
    tags = { "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" = "v" }
  }

  expect_failures = [var.tags]
}

run "rejects_bad_stage_name" {
  command = plan

  variables {
    stage_name = "v 1"
  }

  expect_failures = [var.stage_name]
}

run "rejects_bad_health_stage_name" {
  command = plan

  variables {
    health_stage_name = ""
  }

  expect_failures = [var.health_stage_name]
}

run "rejects_bad_health_check_path" {
  command = plan

  variables {
    health_check_path = "health"
  }

  expect_failures = [var.health_check_path]
}

run "rejects_bad_memory_size" {
  command = plan

  variables {
    memory_size = 64
  }

  expect_failures = [var.memory_size]
}

run "rejects_bad_memory_size_overrides" {
  command = plan

  variables {
    memory_size_overrides = { get-health = 64 }
  }

  expect_failures = [var.memory_size_overrides]
}

run "rejects_bad_timeout_seconds" {
  command = plan

  variables {
    timeout_seconds = 30
  }

  expect_failures = [var.timeout_seconds]
}

run "rejects_bad_health_timeout_seconds" {
  command = plan

  variables {
    health_timeout_seconds = 3
  }

  expect_failures = [var.health_timeout_seconds]
}

run "rejects_bad_reserved_concurrency" {
  command = plan

  variables {
    reserved_concurrency = -2
  }

  expect_failures = [var.reserved_concurrency]
}

run "rejects_bad_health_reserved_concurrency" {
  command = plan

  variables {
    health_reserved_concurrency = 0
  }

  expect_failures = [var.health_reserved_concurrency]
}

run "rejects_bad_reserved_concurrency_overrides" {
  command = plan

  variables {
    reserved_concurrency_overrides = { get-health = -2 }
  }

  expect_failures = [var.reserved_concurrency_overrides]
}

run "rejects_bad_rust_log" {
  command = plan

  variables {
    rust_log = ""
  }

  expect_failures = [var.rust_log]
}

run "rejects_bad_log_retention_days" {
  command = plan

  variables {
    log_retention_days = 2
  }

  expect_failures = [var.log_retention_days]
}

run "rejects_bad_throttling_rate_limit" {
  command = plan

  variables {
    throttling_rate_limit = 0
  }

  expect_failures = [var.throttling_rate_limit]
}

run "rejects_bad_throttling_burst_limit" {
  command = plan

  variables {
    throttling_burst_limit = 1.5
  }

  expect_failures = [var.throttling_burst_limit]
}

run "rejects_bad_health_throttling_rate_limit" {
  command = plan

  variables {
    health_throttling_rate_limit = 1000
  }

  expect_failures = [var.health_throttling_rate_limit]
}

run "rejects_bad_health_throttling_burst_limit" {
  command = plan

  variables {
    health_throttling_burst_limit = 5000
  }

  expect_failures = [var.health_throttling_burst_limit]
}

run "rejects_bad_health_probe_rate_limit" {
  command = plan

  variables {
    health_probe_rate_limit = 1
  }

  expect_failures = [var.health_probe_rate_limit]
}

run "rejects_bad_health_probe_burst_limit" {
  command = plan

  variables {
    health_probe_burst_limit = 2
  }

  expect_failures = [var.health_probe_burst_limit]
}

run "rejects_bad_restrict_health_stage_to_route53" {
  command = plan

  variables {
    restrict_health_stage_to_route53 = null
  }

  expect_failures = [var.restrict_health_stage_to_route53]
}

run "rejects_bad_usage_plan" {
  command = plan

  variables {
    usage_plan = { rate_limit = 0, burst_limit = 1 }
  }

  expect_failures = [var.usage_plan]
}

run "rejects_bad_execution_logging_level" {
  command = plan

  variables {
    execution_logging_level = "DEBUG"
  }

  expect_failures = [var.execution_logging_level]
}

run "rejects_bad_manage_api_gateway_account" {
  command = plan

  variables {
    manage_api_gateway_account = null
  }

  expect_failures = [var.manage_api_gateway_account]
}

run "rejects_bad_web_acl_arn" {
  command = plan

  variables {
    web_acl_arn = "arn:aws:s3:::bucket"
  }

  expect_failures = [var.web_acl_arn]
}

run "rejects_bad_alarm_evaluation_periods" {
  command = plan

  variables {
    alarm_evaluation_periods = 0
  }

  expect_failures = [var.alarm_evaluation_periods]
}

run "rejects_bad_alarm_5xx_threshold" {
  command = plan

  variables {
    alarm_5xx_threshold = 0
  }

  expect_failures = [var.alarm_5xx_threshold]
}

run "rejects_bad_alarm_4xx_threshold" {
  command = plan

  variables {
    alarm_4xx_threshold = 0
  }

  expect_failures = [var.alarm_4xx_threshold]
}

run "rejects_bad_alarm_latency_p99_ms" {
  command = plan

  variables {
    alarm_latency_p99_ms = 0
  }

  expect_failures = [var.alarm_latency_p99_ms]
}

run "rejects_bad_alarm_lambda_errors_threshold" {
  command = plan

  variables {
    alarm_lambda_errors_threshold = 0
  }

  expect_failures = [var.alarm_lambda_errors_threshold]
}

run "rejects_bad_alarm_lambda_throttles_threshold" {
  command = plan

  variables {
    alarm_lambda_throttles_threshold = 0
  }

  expect_failures = [var.alarm_lambda_throttles_threshold]
}

run "rejects_bad_alarm_lambda_duration_p99_ms" {
  command = plan

  variables {
    alarm_lambda_duration_p99_ms = 0
  }

  expect_failures = [var.alarm_lambda_duration_p99_ms]
}

run "rejects_bad_alarm_dynamodb_throttles_threshold" {
  command = plan

  variables {
    alarm_dynamodb_throttles_threshold = 0
  }

  expect_failures = [var.alarm_dynamodb_throttles_threshold]
}

run "rejects_bad_alarm_replication_latency_ms" {
  command = plan

  variables {
    alarm_replication_latency_ms = 0
  }

  expect_failures = [var.alarm_replication_latency_ms]
}

run "rejects_bad_create_dashboard" {
  command = plan

  variables {
    create_dashboard = null
  }

  expect_failures = [var.create_dashboard]
}

run "rejects_bad_enable_lambda_environment_cmk" {
  command = plan

  variables {
    enable_lambda_environment_cmk = null
  }

  expect_failures = [var.enable_lambda_environment_cmk]
}
