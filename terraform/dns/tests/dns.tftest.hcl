# Plan-level tests of the dns root with the AWS provider mocked (nothing is called).

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  environment          = "prod"
  regions              = ["us-east-1", "us-west-2"]
  api_domain_name      = "api.example.com"
  hosted_zone_id       = "Z0123456789ABCDEFGHIJ"
  cognito_user_pool_id = "us-east-1_AbCdEfGhI"
  alarm_subscriptions  = [{ protocol = "email", endpoint = "oncall@example.com" }]
  regional_endpoints = {
    "us-east-1" = {
      regional_domain_name = "d-aaaa.execute-api.us-east-1.amazonaws.com"
      regional_zone_id     = "Z1UJRXOUMOOFQ8"
      health_check_fqdn    = "aaaa111111.execute-api.us-east-1.amazonaws.com"
      health_check_path    = "/health/health"
    }
    "us-west-2" = {
      regional_domain_name = "d-bbbb.execute-api.us-west-2.amazonaws.com"
      regional_zone_id     = "Z2OJLYMUO9EFXC"
      health_check_fqdn    = "bbbb222222.execute-api.us-west-2.amazonaws.com"
      health_check_path    = "/health/health"
    }
  }
}

run "each_region_is_checked_on_its_own_endpoint" {
  command = plan

  assert {
    condition = alltrue([
      for r, e in var.regional_endpoints :
      aws_route53_health_check.region[r].fqdn == e.health_check_fqdn && aws_route53_health_check.region[r].resource_path == e.health_check_path && aws_route53_health_check.region[r].type == "HTTPS"
    ])
    error_message = "every region needs an HTTPS health check of its own execute-api host and health stage"
  }

  assert {
    condition     = alltrue([for r, rec in aws_route53_record.latency : rec.name == "api.example.com" && rec.set_identifier == r && rec.latency_routing_policy[0].region == r && rec.alias[0].name == var.regional_endpoints[r].regional_domain_name])
    error_message = "one latency alias record per region, to that region's custom domain"
  }
}

run "every_alarm_reaches_the_topic" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.health_check) == 3 && alltrue([for a in aws_cloudwatch_metric_alarm.health_check : contains(a.alarm_actions, module.alarm_topic.arn) && a.namespace == "AWS/Route53"])
    error_message = "every health check (both regions and the user pool) needs an alarm that notifies the topic"
  }

  assert {
    condition     = module.alarm_topic.subscriptions == ["email:oncall@example.com"] && module.alarm_topic.kms_key_arn != null
    error_message = "the topic must be encrypted and have the configured subscription"
  }
}

run "the_user_pool_is_watched" {
  command = plan

  assert {
    condition     = aws_route53_health_check.cognito[0].fqdn == "cognito-idp.us-east-1.amazonaws.com" && aws_route53_health_check.cognito[0].resource_path == "/us-east-1_AbCdEfGhI/.well-known/jwks.json"
    error_message = "the user pool's public keys endpoint must be health-checked"
  }
}

run "alice" {
  command = plan

  variables {
    developer = "alice"
  }

  assert {
    condition     = output.api_url == "https://alice.api.example.com" && alltrue([for r in aws_route53_record.latency : r.name == "alice.api.example.com"])
    error_message = "a developer's copy has records of its own name"
  }
}


run "long_names_hash_instead_of_colliding" {
  command = plan

  variables {
    service   = "averylongservice"
    developer = "abcdefghij"
    regions   = ["ap-southeast-1", "ap-southeast-2"]
    regional_endpoints = {
      "ap-southeast-1" = {
        regional_domain_name = "d-cccc.execute-api.ap-southeast-1.amazonaws.com"
        regional_zone_id     = "ZL327KTPIQFUL"
        health_check_fqdn    = "cccc333333.execute-api.ap-southeast-1.amazonaws.com"
        health_check_path    = "/health/health"
      }
      "ap-southeast-2" = {
        regional_domain_name = "d-dddd.execute-api.ap-southeast-2.amazonaws.com"
        regional_zone_id     = "Z2RPCDW04V8134"
        health_check_fqdn    = "dddd444444.execute-api.ap-southeast-2.amazonaws.com"
        health_check_path    = "/health/health"
      }
    }
  }

  assert {
    condition     = length(distinct(concat([for h in aws_route53_health_check.region : h.reference_name], aws_route53_health_check.cognito[*].reference_name))) == 3 && alltrue([for h in concat(values(aws_route53_health_check.region), aws_route53_health_check.cognito) : length(h.reference_name) <= 27])
    error_message = "health check reference names must stay within 27 characters and distinct"
  }
}

# Every validated variable of variables.tf rejects a bad value.

run "rejects_bad_api_domain_name" {
  command = plan

  variables {
    api_domain_name = "API.Example.com"
  }

  expect_failures = [var.api_domain_name]
}

run "rejects_bad_hosted_zone_id" {
  command = plan

  variables {
    hosted_zone_id = "z-lower"
  }

  expect_failures = [var.hosted_zone_id]
}

run "rejects_bad_regional_endpoints" {
  command = plan

  variables {
    regional_endpoints = {
      "eu-west-1" = {
        regional_domain_name = "d-x.execute-api.eu-west-1.amazonaws.com"
        regional_zone_id     = "ZLY8HYME6SFDD"
        health_check_fqdn    = "x.execute-api.eu-west-1.amazonaws.com"
        health_check_path    = "/health/health"
      }
    }
  }

  expect_failures = [var.regional_endpoints]
}

run "rejects_bad_health_check_request_interval" {
  command = plan

  variables {
    health_check_request_interval = 20
  }

  expect_failures = [var.health_check_request_interval]
}

run "rejects_bad_health_check_failure_threshold" {
  command = plan

  variables {
    health_check_failure_threshold = 11
  }

  expect_failures = [var.health_check_failure_threshold]
}

run "rejects_bad_health_check_measure_latency" {
  command = plan

  variables {
    health_check_measure_latency = null
  }

  expect_failures = [var.health_check_measure_latency]
}

run "rejects_bad_monitoring_region" {
  command = plan

  variables {
    monitoring_region = "mars"
  }

  expect_failures = [var.monitoring_region]
}

run "rejects_bad_cognito_user_pool_id" {
  command = plan

  variables {
    cognito_user_pool_id = "pool"
  }

  expect_failures = [var.cognito_user_pool_id]
}

run "rejects_bad_health_check_alarm_evaluation_periods" {
  command = plan

  variables {
    health_check_alarm_evaluation_periods = 0
  }

  expect_failures = [var.health_check_alarm_evaluation_periods]
}
