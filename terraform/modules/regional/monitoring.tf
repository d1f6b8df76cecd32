# Alarms and the dashboard of one region. Every alarm notifies the region's alarm
# topic (and var.alarm_actions), on ALARM and on OK. The request path is
# API Gateway (API stage) -> one Lambda per manifest function -> the table's replica in
# this region, replicating to the other regions; the health stage is Route53's.

locals {
  api_dimensions = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }

  # One entry per alarm; the key becomes the end of the alarm's name.
  alarms = merge(
    { for k in keys(local.functions) : "lambda-errors-${k}" => {
      description = "Errors of ${k} in ${local.region}"
      function    = k
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = tomap({ FunctionName = local.function_names[k] })
      statistic   = "Sum"
      percentile  = null
      threshold   = var.alarm_lambda_errors_threshold
      comparison  = "GreaterThanOrEqualToThreshold"
    } },
    { for k in keys(local.functions) : "lambda-throttles-${k}" => {
      description = "Throttles of ${k} in ${local.region} (reserved concurrency reached)"
      function    = k
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = tomap({ FunctionName = local.function_names[k] })
      statistic   = "Sum"
      percentile  = null
      threshold   = var.alarm_lambda_throttles_threshold
      comparison  = "GreaterThanOrEqualToThreshold"
    } },
    { for k in keys(local.functions) : "lambda-duration-p99-${k}" => {
      description = "p99 duration of ${k} in ${local.region} above ${var.alarm_lambda_duration_p99_ms} ms"
      function    = k
      namespace   = "AWS/Lambda"
      metric      = "Duration"
      dimensions  = tomap({ FunctionName = local.function_names[k] })
      statistic   = null
      percentile  = "p99"
      threshold   = var.alarm_lambda_duration_p99_ms
      comparison  = "GreaterThanThreshold"
    } },
    {
      "api-5xx" = {
        description = "API Gateway 5XX responses of the API stage in ${local.region}"
        function    = null
        namespace   = "AWS/ApiGateway"
        metric      = "5XXError"
        dimensions  = tomap(local.api_dimensions)
        statistic   = "Sum"
        percentile  = null
        threshold   = var.alarm_5xx_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
      }
      "api-4xx" = {
        description = "API Gateway 4XX responses of the API stage in ${local.region} (throttling answers 429)"
        function    = null
        namespace   = "AWS/ApiGateway"
        metric      = "4XXError"
        dimensions  = tomap(local.api_dimensions)
        statistic   = "Sum"
        percentile  = null
        threshold   = var.alarm_4xx_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
      }
      "api-latency-p99" = {
        description = "API Gateway p99 latency of the API stage in ${local.region} above ${var.alarm_latency_p99_ms} ms"
        function    = null
        namespace   = "AWS/ApiGateway"
        metric      = "Latency"
        dimensions  = tomap(local.api_dimensions)
        statistic   = null
        percentile  = "p99"
        threshold   = var.alarm_latency_p99_ms
        comparison  = "GreaterThanThreshold"
      }
      "dynamodb-read-throttles" = {
        description = "Throttled reads on the table's replica in ${local.region} (on-demand maximum or account quota reached)"
        function    = null
        namespace   = "AWS/DynamoDB"
        metric      = "ReadThrottleEvents"
        dimensions  = tomap({ TableName = var.table_name })
        statistic   = "Sum"
        percentile  = null
        threshold   = var.alarm_dynamodb_throttles_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
      }
      "dynamodb-write-throttles" = {
        description = "Throttled writes on the table's replica in ${local.region} (on-demand maximum or account quota reached)"
        function    = null
        namespace   = "AWS/DynamoDB"
        metric      = "WriteThrottleEvents"
        dimensions  = tomap({ TableName = var.table_name })
        statistic   = "Sum"
        percentile  = null
        threshold   = var.alarm_dynamodb_throttles_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
      }
    },
    # Published in the region that sends the updates, one series per receiving region
    # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
    { for r in var.replica_regions : "replication-latency-${r}" => {
      description = "Average replication latency of the table from ${local.region} to ${r} above ${var.alarm_replication_latency_ms} ms"
      function    = null
      namespace   = "AWS/DynamoDB"
      metric      = "ReplicationLatency"
      dimensions  = tomap({ TableName = var.table_name, ReceivingRegion = r })
      statistic   = "Average"
      percentile  = null
      threshold   = var.alarm_replication_latency_ms
      comparison  = "GreaterThanThreshold"
    } },
  )

  alarm_actions = concat([module.alarm_topic.arn], var.alarm_actions)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${local.region}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.percentile
  period              = 60
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = each.value.function == null ? local.tags : merge(local.tags, { "${var.tag_namespace}:function" = each.value.function })
}

locals {
  dashboard_name = "${var.name_prefix}-${local.region}"

  # Widgets left to right along the request path, one row per hop.
  function_keys = sort(keys(local.functions))
  lambda_widget = { for m in ["Invocations", "Errors", "Throttles", "ConcurrentExecutions"] : m => {
    type   = "metric"
    width  = 6
    height = 6
    properties = {
      title   = "Lambda ${m}"
      region  = local.region
      stat    = m == "ConcurrentExecutions" ? "Maximum" : "Sum"
      period  = 60
      metrics = [for k in local.function_keys : ["AWS/Lambda", m, "FunctionName", local.function_names[k], { label = k }]]
    }
  } }

  dashboard_widgets = concat(
    [
      {
        type   = "text"
        width  = 24
        height = 2
        properties = {
          markdown = "## ${var.name_prefix} in ${local.region}\nRoute53 (latency record, health check on the `${var.health_stage_name}` stage) → API Gateway `${var.stage_name}` → one Lambda per manifest function → table `${var.table_name}` (this region's replica) → replication to ${length(var.replica_regions) == 0 ? "no other region" : join(", ", var.replica_regions)}."
        }
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title  = "API ${var.stage_name}: requests and errors"
          region = local.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Count", "ApiName", var.name_prefix, "Stage", var.stage_name],
            ["AWS/ApiGateway", "4XXError", "ApiName", var.name_prefix, "Stage", var.stage_name],
            ["AWS/ApiGateway", "5XXError", "ApiName", var.name_prefix, "Stage", var.stage_name],
          ]
        }
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title  = "API ${var.stage_name}: latency p50 / p99 (ms)"
          region = local.region
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiName", var.name_prefix, "Stage", var.stage_name, { stat = "p50" }],
            ["AWS/ApiGateway", "Latency", "ApiName", var.name_prefix, "Stage", var.stage_name, { stat = "p99" }],
            ["AWS/ApiGateway", "IntegrationLatency", "ApiName", var.name_prefix, "Stage", var.stage_name, { stat = "p99" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title  = "Health stage (Route53 probes)"
          region = local.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Count", "ApiName", var.name_prefix, "Stage", var.health_stage_name],
            ["AWS/ApiGateway", "5XXError", "ApiName", var.name_prefix, "Stage", var.health_stage_name],
            ["AWS/ApiGateway", "4XXError", "ApiName", var.name_prefix, "Stage", var.health_stage_name],
          ]
        }
      },
    ],
    [for m in ["Invocations", "Errors", "Throttles", "ConcurrentExecutions"] : local.lambda_widget[m]],
    [
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title   = "Lambda duration p99 (ms)"
          region  = local.region
          stat    = "p99"
          period  = 60
          metrics = [for k in local.function_keys : ["AWS/Lambda", "Duration", "FunctionName", local.function_names[k], { label = k }]]
        }
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title  = "Table ${var.table_name}: consumed units and throttles"
          region = local.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", var.table_name],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", var.table_name],
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.table_name],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.table_name],
          ]
        }
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title   = "Replication latency from ${local.region} (ms)"
          region  = local.region
          stat    = "Average"
          period  = 60
          metrics = length(var.replica_regions) == 0 ? [["AWS/DynamoDB", "ReplicationLatency", "TableName", var.table_name]] : [for r in var.replica_regions : ["AWS/DynamoDB", "ReplicationLatency", "TableName", var.table_name, "ReceivingRegion", r]]
        }
      },
      {
        type   = "alarm"
        width  = 24
        height = 4
        properties = {
          title  = "Alarms of ${var.name_prefix} in ${local.region}"
          alarms = sort([for a in aws_cloudwatch_metric_alarm.this : a.arn])
        }
      },
    ],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  # Dashboard names are global to the account: the region is part of the name.
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
