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

variable "region" {
  description = "The region this state deploys (one of regions); deploy.sh passes it with -var region=<region>."
  type        = string

  validation {
    condition     = contains(var.regions, var.region)
    error_message = "region must be one of regions."
  }
}

variable "api_document_path" {
  description = "Path of generated/apigateway.json; null means <repo>/generated/apigateway.json relative to this root."
  type        = string
  default     = null

  validation {
    condition     = var.api_document_path == null || try(fileexists(var.api_document_path), false)
    error_message = "api_document_path must be null or an existing file."
  }
}

variable "operations_manifest_path" {
  description = "Path of generated/operations.json; null means <repo>/generated/operations.json relative to this root."
  type        = string
  default     = null

  validation {
    condition     = var.operations_manifest_path == null || try(fileexists(var.operations_manifest_path), false)
    error_message = "operations_manifest_path must be null or an existing file."
  }
}

variable "lambda_package_dir" {
  description = "Directory with <function>/bootstrap.zip per manifest function; null means <repo>/target/lambda (cargo lambda build output)."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_package_dir == null || length(trimspace(coalesce(var.lambda_package_dir, " "))) > 0
    error_message = "lambda_package_dir must be null or a non-empty path."
  }
}

variable "table_name" {
  description = "DynamoDB global table name (output of the global root)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be a valid DynamoDB table name."
  }
}

variable "table_kms_key_arns" {
  description = "Per region: the customer managed KMS key of that region's table replica (output of the global root); a region absent from the map uses the AWS managed key."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.table_kms_key_arns) : can(regex("^arn:[^:]+:kms:", v))])
    error_message = "Every table_kms_key_arns value must be a KMS key ARN."
  }
}

variable "cognito_user_pool_arn" {
  description = "ARN of the Cognito user pool (output of the global root)."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:cognito-idp:", var.cognito_user_pool_arn))
    error_message = "cognito_user_pool_arn must be a Cognito user pool ARN."
  }
}

variable "cursor_key_secret_arns" {
  description = "Per region: the ARN of that region's copy of the cursor HMAC key secret (output of the global root)."
  type        = map(string)

  validation {
    condition     = alltrue([for v in values(var.cursor_key_secret_arns) : can(regex("^arn:[^:]+:secretsmanager:", v))])
    error_message = "Every cursor_key_secret_arns value must be a Secrets Manager ARN."
  }
}

variable "cursor_key_kms_key_arns" {
  description = "Per region: the customer managed KMS key of that region's copy of the secret (output of the global root); absent means the AWS managed key."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.cursor_key_kms_key_arns) : can(regex("^arn:[^:]+:kms:", v))])
    error_message = "Every cursor_key_kms_key_arns value must be a KMS key ARN."
  }
}

variable "api_domain_name" {
  description = "Latency-routed API name (e.g. accounts.example.com), served by a regional custom domain in every region."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.api_domain_name))
    error_message = "api_domain_name must be a lowercase DNS name."
  }
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone of api_domain_name (certificate validation records)."
  type        = string

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route53 zone id."
  }
}

variable "memory_size" {
  description = "Memory (MB) of every Lambda."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240."
  }
}

variable "memory_size_overrides" {
  description = "Per-operation memory (MB) keyed by manifest key."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.memory_size_overrides) : v >= 128 && v <= 10240])
    error_message = "Every value must be between 128 and 10240."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrency of every Lambda (-1 for unreserved)."
  type        = number
  default     = 50

  validation {
    condition     = var.reserved_concurrency == -1 || var.reserved_concurrency >= 0
    error_message = "reserved_concurrency must be -1 or >= 0."
  }
}

variable "reserved_concurrency_overrides" {
  description = "Per-operation reserved concurrency keyed by manifest key."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.reserved_concurrency_overrides) : v == -1 || v >= 0])
    error_message = "Every value must be -1 or >= 0."
  }
}

variable "rust_log" {
  description = "RUST_LOG filter of the handlers."
  type        = string
  default     = "info"

  validation {
    condition     = length(var.rust_log) > 0
    error_message = "rust_log must not be empty."
  }
}

variable "log_retention_days" {
  description = "Retention (days) of the Lambda and access log groups."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the regional KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide steady-state requests per second per method."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Stage-wide request burst per method."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_burst_limit > 0
    error_message = "throttling_burst_limit must be positive."
  }
}

variable "manage_api_gateway_account" {
  description = "Whether this stack sets the account-and-region-wide API Gateway CloudWatch Logs role."
  type        = bool
  default     = true

  validation {
    condition     = var.manage_api_gateway_account != null
    error_message = "manage_api_gateway_account must be true or false."
  }
}


variable "web_acl_arn" {
  description = "Optional regional WAFv2 web ACL ARN for the stage (null for none)."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:[^:]+:wafv2:", var.web_acl_arn))
    error_message = "web_acl_arn must be a WAFv2 web ACL ARN or null."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm changes state."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:", a))])
    error_message = "Every alarm action must be an ARN."
  }
}

variable "enable_lambda_environment_cmk" {
  description = "Encrypt the Lambda environment variables with the regional customer managed key. Only the moto test turns this off: moto does not return a function's KMSKeyArn, so the key would show as a change on every plan."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_lambda_environment_cmk != null
    error_message = "enable_lambda_environment_cmk must be true or false."
  }
}
