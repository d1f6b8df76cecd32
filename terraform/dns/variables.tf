variable "api_domain_name" {
  description = "The environment's latency-routed API name (the regional custom domains'); a developer's copy serves <developer>.<api_domain_name>."
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

variable "health_check_measure_latency" {
  description = "Have Route53 measure the latency from its checkers to each region (latency graphs; an optional feature priced per health check and month)."
  type        = bool
  default     = true

  validation {
    condition     = var.health_check_measure_latency != null
    error_message = "health_check_measure_latency must be true or false."
  }
}

variable "monitoring_region" {
  description = "Region of the health checks' alarms and their topic: Route53 publishes health check metrics in US East (N. Virginia) only."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.monitoring_region))
    error_message = "monitoring_region must be an AWS region name."
  }
}

variable "cognito_user_pool_id" {
  description = "ID of the user pool (global root output). When set, a Route53 health check watches the pool's public keys endpoint and alarms when it stops answering (sign-in, refresh and token verification depend on that region); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.cognito_user_pool_id == null || can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]_[0-9A-Za-z]+$", var.cognito_user_pool_id))
    error_message = "cognito_user_pool_id must be a user pool ID (<region>_<id>) or null."
  }
}

variable "health_check_alarm_evaluation_periods" {
  description = "Consecutive one-minute periods a health check must be unhealthy before its alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.health_check_alarm_evaluation_periods >= 1 && floor(var.health_check_alarm_evaluation_periods) == var.health_check_alarm_evaluation_periods
    error_message = "health_check_alarm_evaluation_periods must be a whole number >= 1."
  }
}
