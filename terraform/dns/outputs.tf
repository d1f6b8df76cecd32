output "api_url" {
  description = "The latency-routed API URL."
  value       = "https://${var.api_domain_name}"
}

output "health_check_ids" {
  description = "Per region: the Route53 health check id."
  value       = { for r, h in aws_route53_health_check.region : r => h.id }
}

output "record_set_identifiers" {
  description = "Per region: the latency record's set identifier."
  value       = { for r, rec in aws_route53_record.latency : r => rec.set_identifier }
}
