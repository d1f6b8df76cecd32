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

variable "table_deletion_protection" {
  description = "DynamoDB deletion protection; keep true in shared environments, false for private or test copies that are torn down."
  type        = bool
  default     = true

  validation {
    condition     = var.table_deletion_protection != null
    error_message = "table_deletion_protection must be true or false."
  }
}

variable "user_pool_deletion_protection" {
  description = "Cognito user pool deletion protection; false for private or test copies."
  type        = bool
  default     = true

  validation {
    condition     = var.user_pool_deletion_protection != null
    error_message = "user_pool_deletion_protection must be true or false."
  }
}

variable "enable_table_replicas" {
  description = "Create the table's replica blocks (one per non-primary region). Only the moto test turns this off: moto never finishes a replica and apply hangs."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_table_replicas != null
    error_message = "enable_table_replicas must be true or false."
  }
}


variable "replica_kms_key_arns" {
  description = "Per non-primary region: a customer managed KMS key for that region's table replica and secret copy; a region absent from the map uses the AWS managed keys there."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.replica_kms_key_arns) : can(regex("^arn:[^:]+:kms:", v))])
    error_message = "Every replica_kms_key_arns value must be a KMS key ARN."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the table and secret keys are deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted cursor key secret can be restored; 0 deletes at once (private/test copies, so the name can be reused)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "cursor_key_version" {
  description = "Version of the cursor HMAC key; bump it to draw and store a new random key (rotation: outstanding cursors become invalid)."
  type        = number
  default     = 1

  validation {
    condition     = var.cursor_key_version >= 1 && floor(var.cursor_key_version) == var.cursor_key_version
    error_message = "cursor_key_version must be a whole number >= 1."
  }
}

variable "id_token_validity_minutes" {
  description = "Lifetime of ID (and access) tokens in minutes; short, the app refreshes."
  type        = number
  default     = 15

  validation {
    condition     = var.id_token_validity_minutes >= 5 && var.id_token_validity_minutes <= 60
    error_message = "id_token_validity_minutes must be between 5 and 60."
  }
}

variable "refresh_token_validity_days" {
  description = "Lifetime of refresh tokens in days."
  type        = number
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650
    error_message = "refresh_token_validity_days must be between 1 and 3650."
  }
}
