# Plan-level tests of the regional module with the AWS provider mocked (nothing is
# called): tests/run.sh passes api_document_path, operations_manifest_path and
# lambda_package_dir (placeholder zips) with -var, and runs this file once with
# the generated manifest and once with a variant, so nothing here may assume an
# operation's DynamoDB actions: they are read from the manifest.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "iam_follows_the_manifest" {
  command = plan

  assert {
    condition = alltrue([
      for fn in jsondecode(file(var.operations_manifest_path)).functions :
      sort(flatten([
        for s in jsondecode(aws_iam_role_policy.fn[fn.name].policy).Statement :
        s.Action if s.Sid == "TableAccessFromManifest"
      ])) == sort([for a in fn.dynamodbActions : "dynamodb:${a}"])
    ])
    error_message = "every role's DynamoDB actions must be exactly its manifest entry's"
  }

  assert {
    condition = alltrue([
      for fn in jsondecode(file(var.operations_manifest_path)).functions :
      length([for s in jsondecode(aws_iam_role_policy.fn[fn.name].policy).Statement : s if s.Sid == "CursorKeySecret"]) == (fn.readsSecret ? 1 : 0)
    ])
    error_message = "only functions with readsSecret may read the cursor key secret"
  }

  assert {
    condition = alltrue([
      for fn in jsondecode(file(var.operations_manifest_path)).functions :
      alltrue([
        for s in jsondecode(aws_iam_role_policy.fn[fn.name].policy).Statement :
        s.Resource == var.table_kms_key_arn if s.Sid == "TableKeyThroughDynamoDbOnly"
      ])
    ])
    error_message = "the table key the functions may use must be this region's replica key"
  }
}

run "health_check_has_its_own_stage_limits_and_concurrency" {
  command = plan

  assert {
    condition     = aws_api_gateway_method_settings.health_public.method_path == "health/GET" && aws_api_gateway_method_settings.health_public.settings[0].throttling_rate_limit == var.health_throttling_rate_limit
    error_message = "public GET /health must have its own, tight throttle on the API stage"
  }

  assert {
    condition     = aws_api_gateway_method_settings.health_public.settings[0].throttling_rate_limit < aws_api_gateway_method_settings.all.settings[0].throttling_rate_limit
    error_message = "the public /health limit must be below the stage's"
  }

  assert {
    condition     = aws_api_gateway_stage.health.stage_name == "health" && aws_api_gateway_method_settings.health_probe.stage_name == "health"
    error_message = "Route53 probes must have a stage (and throttle) of their own"
  }

  assert {
    condition     = output.health_check_path == "/health/health" && output.health_check_fqdn == "${aws_api_gateway_rest_api.this.id}.execute-api.us-west-2.amazonaws.com"
    error_message = "the health check must probe the health stage on this region's own execute-api host"
  }

  assert {
    condition     = [for k, f in aws_lambda_function.fn : f.reserved_concurrent_executions if k == "get-health"] == [var.health_reserved_concurrency] && [for k, f in aws_lambda_function.fn : f.timeout if k == "get-health"] == [2]
    error_message = "the health function must have its own reservation and a timeout within Route53's 2 s"
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_api_gateway_rest_api.this.body)["x-amazon-apigateway-policy"].Statement :
      s.Effect == "Deny" && try(s.Resource, "") == "execute-api:/health/*" && try(contains(s.Condition.NotIpAddress["aws:SourceIp"], "15.177.0.0/18"), false)
    ])
    error_message = "the health stage must be closed to everyone but Route53's health checkers"
  }
}

run "every_alarm_reaches_the_topic" {
  command = plan

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : contains(a.alarm_actions, module.alarm_topic.arn) && contains(a.ok_actions, module.alarm_topic.arn)])
    error_message = "every alarm must notify the region's topic"
  }

  assert {
    condition     = module.alarm_topic.subscriptions == ["email:oncall@example.com"] && module.alarm_topic.kms_key_arn == aws_kms_key.regional.arn
    error_message = "the topic must be encrypted and have the configured subscription"
  }

  assert {
    condition = alltrue(flatten([
      for fn in jsondecode(file(var.operations_manifest_path)).functions : [
        for kind in ["lambda-errors", "lambda-throttles", "lambda-duration-p99"] :
        contains(keys(aws_cloudwatch_metric_alarm.this), "${kind}-${fn.name}")
      ]
    ]))
    error_message = "every function needs errors, throttles and p99 duration alarms"
  }

  assert {
    condition = alltrue([
      for k in ["api-5xx", "api-4xx", "api-latency-p99", "dynamodb-read-throttles", "dynamodb-write-throttles", "replication-latency-us-east-1", "replication-latency-eu-west-1"] :
      contains(keys(aws_cloudwatch_metric_alarm.this), k)
    ]) && !contains(keys(aws_cloudwatch_metric_alarm.this), "replication-latency-us-west-2")
    error_message = "API, table throttle and replication alarms (to every other region) are missing"
  }

  assert {
    condition     = length(aws_cloudwatch_dashboard.this) == 1 && strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "ReplicationLatency")
    error_message = "the region needs its dashboard"
  }
}

run "optional_usage_plan" {
  command = plan

  variables {
    usage_plan = { rate_limit = 20, burst_limit = 40, quota_limit = 100000 }
  }

  assert {
    condition     = aws_api_gateway_usage_plan.this[0].throttle_settings[0].rate_limit == 20 && aws_api_gateway_usage_plan.this[0].quota_settings[0].period == "MONTH"
    error_message = "the usage plan must carry the throttle and quota"
  }
}

run "the_reference_is_published_at_docs" {
  command = plan

  variables {
    reference_html_path = "${dirname(var.api_document_path)}/reference.html"
  }

  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.this.body).paths["/docs"].get["x-amazon-apigateway-integration"].type == "aws" && strcontains(jsondecode(aws_api_gateway_rest_api.this.body).paths["/docs"].get["x-amazon-apigateway-integration"].uri, ":s3:path/")
    error_message = "GET /docs must read the reference from the region's bucket"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.docs[0].restrict_public_buckets && aws_s3_object.reference[0].content_type == "text/html; charset=utf-8"
    error_message = "the reference bucket must stay private and serve HTML"
  }

  assert {
    condition = alltrue([
      for op in jsondecode(file(var.operations_manifest_path)).operations :
      contains(keys(jsondecode(aws_api_gateway_rest_api.this.body).paths), op.route)
    ])
    error_message = "publishing the reference must keep every operation's route"
  }
}

