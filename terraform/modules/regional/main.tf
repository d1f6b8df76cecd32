# One region of the accounts service: a REST API imported from the generated
# API Gateway document, one Lambda per operation of the generated manifest, and
# everything those need (roles, log groups, permissions, custom domain, alarms).
#
# The operation manifest (generated/operations.json) is the only list of
# operations: adding an operation to the spec adds its Lambda, role, log group,
# permission and alarms here without any Terraform change.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  manifest   = jsondecode(file(var.operations_manifest_path))
  operations = { for op in local.manifest.operations : op.key => op }

  # AWS function names are "<prefix>-<function>"; the function is the kebab-case
  # cargo bin name from the manifest, so names line up with target/lambda/<function>.
  function_names = { for k, op in local.operations : k => "${var.name_prefix}-${op.function}" }

  # IAM is global: role names carry the region so two regional stacks of the
  # same environment never collide.
  role_names = { for k, op in local.operations : k => substr("${var.name_prefix}-${op.function}-${local.region}", 0, 64) }

  table_arn  = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${var.table_name}"
  table_arns = [local.table_arn, "${local.table_arn}/index/*"]

  # Path parameters become "*" in the execute-api ARN of a permission
  # (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html).
  permission_paths = { for k, op in local.operations : k => replace(op.path, "/\\{[^}/]+\\}/", "*") }

  # The API document is a templatefile template (see the team contract): every
  # operation's integration uri is a ${lambda_invoke_arns.<key>} placeholder.
  api_body = templatefile(var.api_document_path, {
    lambda_invoke_arns    = { for k, f in aws_lambda_function.op : k => f.invoke_arn }
    cognito_user_pool_arn = var.cognito_user_pool_arn
  })

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    ip                 = "$context.identity.sourceIp"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    protocol           = "$context.protocol"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationLatency = "$context.integrationLatency"
    integrationStatus  = "$context.integrationStatus"
    errorType          = "$context.error.responseType"
    errorMessage       = "$context.error.message"
    sub                = "$context.authorizer.claims.sub"
    xrayTraceId        = "$context.xrayTraceId"
  })

  tags = merge(var.tags, { "accounts:region" = local.region })
}

################################################################################
# KMS: one regional customer managed key for log groups and Lambda environments
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means "this key"; the account root statement is the AWS default that delegates to IAM.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means "this key"; write access is limited to the account (IAM-delegated).
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means "this key" (key policies cannot name other resources).
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsUsesKeyForThisAccountsLogGroups"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }
}

resource "aws_kms_key" "regional" {
  description             = "${var.name_prefix} ${local.region}: log groups and Lambda environment variables"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "regional" {
  name          = "alias/${var.name_prefix}-${local.region}"
  target_key_id = aws_kms_key.regional.key_id
}

################################################################################
# Lambda: one function, role, log group and permission per manifest operation
################################################################################

resource "aws_cloudwatch_log_group" "op" {
  for_each = local.operations

  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.regional.arn
  tags              = merge(local.tags, { "accounts:operation" = each.key })
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "op" {
  for_each = local.operations

  name               = local.role_names[each.key]
  description        = "Execution role of ${local.function_names[each.key]} (${each.key}) in ${local.region}"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = merge(local.tags, { "accounts:operation" = each.key })
}

data "aws_iam_policy_document" "op" {
  for_each = local.operations

  # Only the DynamoDB actions the manifest lists (copied from the spec's x-aws-access).
  dynamic "statement" {
    for_each = length(each.value.dynamodbActions) > 0 ? [1] : []
    content {
      sid       = "TableAccessFromManifest"
      actions   = sort([for a in each.value.dynamodbActions : "dynamodb:${a}"])
      resources = local.table_arns
    }
  }

  # The table's customer managed key (if this region's replica has one) is used
  # by DynamoDB on the caller's behalf.
  dynamic "statement" {
    for_each = length(each.value.dynamodbActions) > 0 && var.table_kms_key_arn != null ? [1] : []
    content {
      sid       = "TableKeyThroughDynamoDbOnly"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
      resources = [var.table_kms_key_arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.readsSecret ? [1] : []
    content {
      sid       = "CursorKeySecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.cursor_key_secret_arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.readsSecret && var.cursor_key_kms_key_arn != null ? [1] : []
    content {
      sid       = "CursorKeyDecryptThroughSecretsManagerOnly"
      actions   = ["kms:Decrypt"]
      resources = [var.cursor_key_kms_key_arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "OwnLogGroupOnly"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.op[each.key].arn}:*"]
  }

  statement {
    sid       = "EnvironmentKey"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.regional.arn]
  }

  # X-Ray trace segments cannot be scoped to a resource
  # (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).
  statement {
    #checkov:skip=CKV_AWS_356:xray:PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
    sid       = "XRayWrite"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "op" {
  for_each = local.operations

  name   = "least-privilege"
  role   = aws_iam_role.op[each.key].id
  policy = data.aws_iam_policy_document.op[each.key].json
}

resource "aws_lambda_function" "op" {
  for_each = local.operations
  #checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway only; a DLQ applies to asynchronous invocations and would never receive anything.
  #checkov:skip=CKV_AWS_117:The functions call only AWS public endpoints (DynamoDB, Secrets Manager, X-Ray); a VPC would add NAT/endpoint cost and cold-start latency to the hot path for no isolation gain.
  #checkov:skip=CKV_AWS_272:Zips are built by CI from this repository (cargo lambda); code signing needs a Signer profile per account, tracked as a follow-up.

  function_name                  = local.function_names[each.key]
  description                    = "${each.value.method} ${each.value.path} (${each.value.operationId})"
  role                           = aws_iam_role.op[each.key].arn
  filename                       = "${var.lambda_package_dir}/${each.value.function}/bootstrap.zip"
  source_code_hash               = filebase64sha256("${var.lambda_package_dir}/${each.value.function}/bootstrap.zip")
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = ["arm64"]
  memory_size                    = lookup(var.memory_size_overrides, each.key, var.memory_size)
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = lookup(var.reserved_concurrency_overrides, each.key, var.reserved_concurrency)
  kms_key_arn                    = var.enable_lambda_environment_cmk ? aws_kms_key.regional.arn : null

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = merge(
      {
        TABLE_NAME = var.table_name
        RUST_LOG   = var.rust_log
      },
      each.value.readsSecret ? { CURSOR_SECRET_ID = var.cursor_key_secret_arn } : {},
    )
  }

  tags = merge(local.tags, { "accounts:operation" = each.key })

  # Lambda logs to /aws/lambda/<function name>: the log group above, created first so
  # that Lambda never creates it without retention and KMS.
  depends_on = [aws_iam_role_policy.op, aws_cloudwatch_log_group.op]
}

resource "aws_lambda_permission" "op" {
  for_each = local.operations

  statement_id  = "AllowApiGateway-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.op[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/${upper(each.value.method)}${local.permission_paths[each.key]}"
}

################################################################################
# API Gateway REST API from the generated document
################################################################################

resource "aws_api_gateway_rest_api" "this" {
  name              = var.name_prefix
  description       = "${local.manifest.service} API ${local.manifest.apiVersion} (generated from spec/accounts.yaml)"
  body              = local.api_body
  put_rest_api_mode = "overwrite"
  fail_on_warnings  = true

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(local.api_body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name_prefix}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.regional.arn
  tags              = local.tags
}

# API Gateway writes access logs through an account-level role (one per
# account and region). Shared accounts may manage it elsewhere.
data "aws_iam_policy_document" "assume_apigateway" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apigateway_logs" {
  count = var.manage_api_gateway_account ? 1 : 0

  name               = substr("${var.name_prefix}-apigw-logs-${local.region}", 0, 64)
  assume_role_policy = data.aws_iam_policy_document.assume_apigateway.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "apigateway_logs" {
  count = var.manage_api_gateway_account ? 1 : 0

  role       = aws_iam_role.apigateway_logs[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_api_gateway_account ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.apigateway_logs[0].arn

  depends_on = [aws_iam_role_policy_attachment.apigateway_logs]
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Responses are per caller (GET /accounts/me) and must never be served from a shared cache.
  #checkov:skip=CKV2_AWS_51:Clients are mobile apps authenticated by Cognito tokens; the Lambda proxy backends do not verify API Gateway client certificates.
  #checkov:skip=CKV2_AWS_29:A WAF web ACL is attached by the organisation's Firewall Manager policy; set var.web_acl_arn to attach one here.
  #checkov:skip=CKV2_AWS_77:The WAF web ACL (and its managed rule groups, Log4j AMR included) is owned by Firewall Manager, not this stack.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  tags = local.tags

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:Responses are per caller (GET /accounts/me) and must never be served from a shared cache.
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.execution_logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    caching_enabled        = false
    cache_data_encrypted   = true
  }
}

resource "aws_wafv2_web_acl_association" "stage" {
  count = var.web_acl_arn == null ? 0 : 1

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = var.web_acl_arn
}

################################################################################
# Regional custom domain: ACM certificate in this region, DNS-validated
################################################################################

resource "aws_acm_certificate" "api" {
  domain_name       = var.api_domain_name
  validation_method = "DNS"
  tags              = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cert_validation" {
  for_each = {
    for o in aws_acm_certificate.api.domain_validation_options : o.domain_name => o
  }

  # Every region's certificate for the same name asks for the same CNAME.
  allow_overwrite = true
  zone_id         = var.hosted_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
}

resource "aws_acm_certificate_validation" "api" {
  certificate_arn         = aws_acm_certificate.api.arn
  validation_record_fqdns = [for r in aws_route53_record.cert_validation : r.fqdn]
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = var.api_domain_name
  regional_certificate_arn = aws_acm_certificate_validation.api.certificate_arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_base_path_mapping" "api" {
  api_id      = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  domain_name = aws_api_gateway_domain_name.api.domain_name
}

################################################################################
# Alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name_prefix}-${local.region}-api-5xx"
  alarm_description   = "API Gateway 5XX responses in ${local.region}"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.alarm_5xx_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "${var.name_prefix}-${local.region}-api-latency-p99"
  alarm_description   = "API Gateway p99 latency in ${local.region} above ${var.alarm_latency_p99_ms} ms"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.alarm_latency_p99_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = local.operations

  alarm_name          = "${local.function_names[each.key]}-${local.region}-errors"
  alarm_description   = "Errors of ${each.key} in ${local.region}"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.op[each.key].function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.alarm_lambda_errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = merge(local.tags, { "accounts:operation" = each.key })
}

resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  for_each = local.operations

  alarm_name          = "${local.function_names[each.key]}-${local.region}-throttles"
  alarm_description   = "Throttles of ${each.key} in ${local.region} (reserved concurrency reached)"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.op[each.key].function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.alarm_lambda_throttles_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = merge(local.tags, { "accounts:operation" = each.key })
}
