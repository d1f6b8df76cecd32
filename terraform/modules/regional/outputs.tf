output "rest_api_id" {
  description = "ID of the regional REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "execution_arn" {
  description = "Execution ARN of the REST API (prefix of the Lambda permissions' source ARNs)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the deployed stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "This region's own execute-api URL of the stage."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "api_body" {
  description = "The rendered API Gateway document (the template with every invoke ARN and the user pool ARN filled in)."
  value       = local.api_body
}

output "api_body_sha1" {
  description = "SHA-1 of the rendered document (the deployment's redeployment trigger)."
  value       = sha1(local.api_body)
}

output "functions" {
  description = "Per manifest function: the Lambda's name, ARN, invoke ARN, role ARN, log group and the operations it serves."
  value = {
    for k, f in aws_lambda_function.fn : k => {
      operations    = local.functions[k].operations
      function_name = f.function_name
      arn           = f.arn
      invoke_arn    = f.invoke_arn
      role_arn      = aws_iam_role.fn[k].arn
      log_group     = aws_cloudwatch_log_group.fn[k].name
    }
  }
}

output "permission_source_arns" {
  description = "Per manifest key: the execute-api source ARN its Lambda permission allows."
  value       = { for k, p in aws_lambda_permission.op : k => p.source_arn }
}

output "regional_domain_name" {
  description = "Target of the latency alias record: the regional custom domain's d-xxxx.execute-api.<region>.amazonaws.com name."
  value       = aws_api_gateway_domain_name.api.regional_domain_name
}

output "regional_zone_id" {
  description = "Hosted zone id of the regional custom domain (for the alias record)."
  value       = aws_api_gateway_domain_name.api.regional_zone_id
}

output "health_check_fqdn" {
  description = "Host name Route53 health-checks for this region: the REST API's own execute-api endpoint, never the latency-routed name."
  value       = "${aws_api_gateway_rest_api.this.id}.execute-api.${local.region}.amazonaws.com"
}

output "health_check_path" {
  description = "Path Route53 requests on health_check_fqdn: the health stage and the manifest's health operation."
  value       = "/${aws_api_gateway_stage.health.stage_name}${var.health_check_path}"
}

output "certificate_arn" {
  description = "ARN of this region's ACM certificate for api_domain_name."
  value       = aws_acm_certificate.api.arn
}

output "alarm_topic_arn" {
  description = "ARN of the region's alarm topic (every alarm of this stack notifies it)."
  value       = module.alarm_topic.arn
}

output "alarm_names" {
  description = "Names of every alarm of this stack."
  value       = sort([for a in aws_cloudwatch_metric_alarm.this : a.alarm_name])
}

output "dashboard_name" {
  description = "Name of the region's CloudWatch dashboard (null when create_dashboard is false)."
  value       = var.create_dashboard ? local.dashboard_name : null
}

output "reserved_concurrency_total" {
  description = "Sum of the functions' reserved concurrency in this region (what this stack takes from the account's regional concurrency quota)."
  value       = sum([for f in aws_lambda_function.fn : max(f.reserved_concurrent_executions, 0)])
}

output "kms_key_arn" {
  description = "ARN of the regional KMS key (log groups and Lambda environments)."
  value       = aws_kms_key.regional.arn
}

output "resource_names" {
  description = "Every name this stack gives (functions, roles, log groups, alarms, topic, key alias, dashboard, API, domain): two copies must share none."
  value = concat(
    values(local.function_names),
    values(local.role_names),
    [for g in aws_cloudwatch_log_group.fn : g.name],
    [aws_cloudwatch_log_group.access.name, aws_cloudwatch_log_group.health_access.name],
    [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name],
    ["${var.name_prefix}-alarms", aws_kms_alias.regional.name, local.dashboard_name, aws_api_gateway_rest_api.this.name],
    [aws_api_gateway_domain_name.api.domain_name],
    [for r in aws_iam_role.apigateway_logs : r.name],
    [for r in aws_iam_role.docs_reader : r.name],
    [for p in aws_api_gateway_usage_plan.this : p.name],
  )
}

output "docs_url_path" {
  description = "Path of the published API reference on the API stage (null when not published)."
  value       = local.publish_docs ? var.docs_path : null
}

