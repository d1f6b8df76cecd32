variable "service" {
  description = "Service name, first part of every resource name."
  type        = string
  default     = "accounts"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.service))
    error_message = "service must be 2-16 lowercase letters or digits, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (dev, staging, prod...); part of names and of the state key."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters or digits, starting with a letter."
  }
}

variable "developer" {
  description = "Owner of a private copy of the environment (\"\" for the shared one); part of names and of the state key, so developers never collide."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([a-z][a-z0-9]{0,9})?$", var.developer))
    error_message = "developer must be empty or 1-10 lowercase letters or digits, starting with a letter."
  }
}

variable "regions" {
  description = "Every region the service runs in; the first is the primary (global table and user pool home). Adding a region is adding it here, in env/<env>.tfvars.json."
  type        = list(string)

  validation {
    condition     = length(var.regions) >= 1 && length(distinct(var.regions)) == length(var.regions) && alltrue([for r in var.regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "regions must be a non-empty list of distinct AWS region names."
  }
}

variable "tags" {
  description = "Tags added to every resource (through the provider's default_tags)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys must be at most 128 and values at most 256 characters."
  }
}

variable "api_domain_name" {
  description = "The latency-routed API name (same as the regional custom domains')."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.api_domain_name))
    error_message = "api_domain_name must be a lowercase DNS name."
  }
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone of api_domain_name."
  type        = string

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route53 zone id."
  }
}

variable "regional_endpoints" {
  description = "Per region (key = region): the region root's dns_endpoint output. deploy.sh collects it from every regional state."
  type = map(object({
    regional_domain_name = string
    regional_zone_id     = string
    health_check_fqdn    = string
    health_check_path    = string
  }))

  validation {
    condition     = alltrue([for r, e in var.regional_endpoints : contains(var.regions, r) && startswith(e.health_check_path, "/")])
    error_message = "Every regional_endpoints key must be one of regions and every health_check_path must start with /."
  }
}

variable "health_check_request_interval" {
  description = "Seconds between a Route53 checker's requests: 30 (standard) or 10 (fast, extra cost)."
  type        = number
  default     = 10

  validation {
    condition     = contains([10, 30], var.health_check_request_interval)
    error_message = "health_check_request_interval must be 10 or 30."
  }
}

variable "health_check_failure_threshold" {
  description = "Consecutive failed checks before a region is unhealthy (and leaves latency routing)."
  type        = number
  default     = 3

  validation {
    condition     = var.health_check_failure_threshold >= 1 && var.health_check_failure_threshold <= 10
    error_message = "health_check_failure_threshold must be between 1 and 10."
  }
}
