# The variables that name one copy of a service, shared by every root (keys,
# global, region, dns) through a symbolic link, so that all four validate them
# alike. deploy.sh passes them from env/<env>.tfvars.json and DEVELOPER.

variable "service" {
  description = "Service name, first part of every resource name, state key and tag namespace (a second service deploys the same roots with its own name)."
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
  description = "Owner of a private copy of the environment (\"\" for the shared one); part of names, of the API domain (\"<developer>.<api_domain_name>\") and of the state key, so developers never collide."
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
