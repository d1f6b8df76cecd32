# Alarms on the health checks, in monitoring_region (us-east-1), notifying this
# root's own topic there: a region that leaves DNS, or the user pool's endpoint
# going dark, reaches a person.

module "alarm_topic" {
  source = "../modules/alarm_topic"

  name                        = "${local.name_prefix}-dns-alarms"
  create_key                  = true
  kms_deletion_window_in_days = var.kms_deletion_window_in_days
  alarm_subscriptions         = var.alarm_subscriptions
}

locals {
  alarm_actions = concat([module.alarm_topic.arn], var.alarm_actions)

  # HealthCheckStatus is 1 (healthy) or 0; the minimum over a minute is 0 as soon
  # as Route53 saw the endpoint unhealthy.
  health_check_alarms = merge(
    { for r, hc in aws_route53_health_check.region : "health-${r}" => {
      id          = hc.id
      description = "Route53 health check of ${r} is failing: ${r} has left the latency record of ${local.api_domain_name}."
    } },
    { for hc in aws_route53_health_check.cognito : "cognito-jwks" => {
      id          = hc.id
      description = "The user pool's public keys endpoint (${local.cognito_region}) is failing: sign-in and refresh are down, token verification may follow."
    } },
  )
}

resource "aws_cloudwatch_metric_alarm" "health_check" {
  for_each = local.health_check_alarms

  alarm_name          = "${local.name_prefix}-dns-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = each.value.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = var.health_check_alarm_evaluation_periods
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
