output "region" {
  description = "The region this state deployed."
  value       = var.region
}

output "api_domain_name" {
  description = "The domain this copy serves (a developer's copy: <developer>.<api_domain_name>)."
  value       = module.naming.api_domain_name
}

output "rest_api_id" {
  description = "ID of the regional REST API."
  value       = module.regional.rest_api_id
}

output "invoke_url" {
  description = "This region's own execute-api stage URL."
  value       = module.regional.invoke_url
}

output "functions" {
  description = "Per manifest key: Lambda name, ARNs, role and log group."
  value       = module.regional.functions
}

output "permission_source_arns" {
  description = "Per manifest key: the source ARN of its Lambda permission."
  value       = module.regional.permission_source_arns
}

output "alarm_topic_arn" {
  description = "ARN of this region's alarm topic."
  value       = module.regional.alarm_topic_arn
}

output "alarm_names" {
  description = "Names of every alarm of this region."
  value       = module.regional.alarm_names
}

output "dashboard_name" {
  description = "Name of this region's CloudWatch dashboard (null when create_dashboard is false)."
  value       = module.regional.dashboard_name
}

output "reserved_concurrency_total" {
  description = "Sum of this region's reserved Lambda concurrency (what this copy takes from the account's regional quota)."
  value       = module.regional.reserved_concurrency_total
}

output "resource_names" {
  description = "Every name this regional stack gives: two copies of an environment must share none (asserted by the tests)."
  value       = module.regional.resource_names
}

output "dns_endpoint" {
  description = "What the dns root needs for this region (deploy.sh collects it into regional_endpoints)."
  value = {
    regional_domain_name = module.regional.regional_domain_name
    regional_zone_id     = module.regional.regional_zone_id
    health_check_fqdn    = module.regional.health_check_fqdn
    health_check_path    = module.regional.health_check_path
  }
}
