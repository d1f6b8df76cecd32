output "api_url" {
  description = "The latency-routed API URL of this copy."
  value       = "https://${local.api_domain_name}"
}

output "health_check_ids" {
  description = "Per region: the Route53 health check id."
  value       = { for r, h in aws_route53_health_check.region : r => h.id }
}

output "record_set_identifiers" {
  description = "Per region: the latency record's set identifier."
  value       = { for r, rec in aws_route53_record.latency : r => rec.set_identifier }
}

output "alarm_topic_arn" {
  description = "ARN of the topic the health check alarms notify (in monitoring_region)."
  value       = module.alarm_topic.arn
}

output "alarm_names" {
  description = "Names of the health check alarms."
  value       = sort([for a in aws_cloudwatch_metric_alarm.health_check : a.alarm_name])
}
