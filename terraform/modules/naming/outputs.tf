output "name_prefix" {
  description = "Prefix of every resource name of this copy: \"<service>-<environment>[-<developer>]\"."
  value       = local.name_prefix
}

output "api_domain_name" {
  description = "The domain this copy serves: the environment's api_domain_name, prefixed with \"<developer>.\" for a developer's copy."
  value       = local.api_domain_name
}

output "tags" {
  description = "Tags of every resource of this copy."
  value       = local.tags
}

output "tag_namespace" {
  description = "Namespace of this copy's own tag keys (the service name), for resources that add their own tags."
  value       = var.service
}
