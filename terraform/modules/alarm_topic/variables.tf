variable "name" {
  description = "Name of the topic (and of its key's alias when create_key): \"<prefix>-alarms\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,250}$", var.name))
    error_message = "name must be 1-250 letters, digits, hyphens or underscores."
  }
}

variable "create_key" {
  description = "Create a KMS key for the topic (whose policy lets CloudWatch use it); false: encrypt with kms_key_arn, whose policy must include the key_policy_for_cloudwatch output."
  type        = bool

  validation {
    condition     = var.create_key != null
    error_message = "create_key must be true or false."
  }
}

variable "kms_key_arn" {
  description = "The caller's KMS key for the topic when create_key is false (null otherwise)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:[^:]+:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags of the topic and its key."
  type        = map(string)
  default     = {}
}
