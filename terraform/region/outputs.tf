output "region" {
  description = "The region this state deployed."
  value       = var.region
}

output "rest_api_id" {
  description = "ID of the regional REST API."
  value       = module.regional.rest_api_id
}

output "invoke_url" {
  description = "This region's own execute-api stage URL."
  value       = module.regional.invoke_url
}

output "api_body" {
  description = "The rendered API Gateway document."
  value       = module.regional.api_body
}

output "functions" {
  description = "Per manifest key: Lambda name, ARNs, role and log group."
  value       = module.regional.functions
}

output "permission_source_arns" {
  description = "Per manifest key: the source ARN of its Lambda permission."
  value       = module.regional.permission_source_arns
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
