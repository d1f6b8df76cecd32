variable "service" {
  description = "Service name, first part of every name (validated by the calling root)."
  type        = string
}

variable "environment" {
  description = "Environment name (validated by the calling root)."
  type        = string
}

variable "developer" {
  description = "Owner of a private copy, or \"\" for the shared copy (validated by the calling root)."
  type        = string
  default     = ""
}

variable "api_domain_name" {
  description = "The environment's API domain name; a developer's copy gets \"<developer>.<api_domain_name>\". null when the root serves no domain."
  type        = string
  default     = null
}

variable "component" {
  description = "The root that manages the tagged resources (keys, global, region, dns)."
  type        = string
}

variable "tags" {
  description = "Extra tags merged under the copy's own tags."
  type        = map(string)
  default     = {}
}
