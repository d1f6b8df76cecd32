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

variable "enable_secret_replica_cmk" {
  description = "Encrypt each replica of the cursor key secret with its region's customer managed key (cursor_key_kms_key_arns). Only the moto test turns this off: moto reports every replica under the AWS managed key, so the key would show as a change on every plan."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_secret_replica_cmk != null
    error_message = "enable_secret_replica_cmk must be true or false."
  }
}

variable "table_kms_key_arns" {
  description = "Per region (every one of regions): the customer managed KMS key of that region's table replica, created in that region by the keys root (deploy.sh passes its key_arns outputs). DynamoDB requires a key in each replica's own region for a CMK-encrypted global table."
  type        = map(string)

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^arn:[^:]+:kms:${r}:[0-9]{12}:key/.+$", var.table_kms_key_arns[r]))])
    error_message = "table_kms_key_arns must hold, for every region of regions, a KMS key ARN in that same region."
  }
}

variable "cursor_key_kms_key_arns" {
  description = "Per region (every one of regions): the customer managed KMS key of that region's copy of the cursor key secret, created there by the keys root."
  type        = map(string)

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^arn:[^:]+:kms:${r}:[0-9]{12}:key/.+$", var.cursor_key_kms_key_arns[r]))])
    error_message = "cursor_key_kms_key_arns must hold, for every region of regions, a KMS key ARN in that same region."
  }
}

variable "table_max_read_request_units" {
  description = "On-demand maximum read request units per second of the table and of its index (every replica inherits it); reads beyond are throttled. null: no cap below the account's table quota."
  type        = number
  default     = 4000

  validation {
    condition     = var.table_max_read_request_units == null || try(var.table_max_read_request_units >= 1 && floor(var.table_max_read_request_units) == var.table_max_read_request_units, false)
    error_message = "table_max_read_request_units must be null or a whole number >= 1."
  }
}

variable "table_max_write_request_units" {
  description = "On-demand maximum write request units per second of the table and of its index (replicated to every replica); writes beyond are throttled. null: no cap below the account's table quota."
  type        = number
  default     = 2000

  validation {
    condition     = var.table_max_write_request_units == null || try(var.table_max_write_request_units >= 1 && floor(var.table_max_write_request_units) == var.table_max_write_request_units, false)
    error_message = "table_max_write_request_units must be null or a whole number >= 1."
  }
}
