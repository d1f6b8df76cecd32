variable "name_prefix" {
  description = "Prefix of every name in this stack, e.g. \"accounts-prod\" or \"accounts-dev-alice\" (environment and developer). Lowercase letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "api_document_path" {
  description = "Path of the generated API Gateway import document (generated/apigateway.json), a templatefile template with $${lambda_invoke_arns.<key>} and $${cognito_user_pool_arn} placeholders."
  type        = string

  validation {
    condition     = fileexists(var.api_document_path)
    error_message = "api_document_path must name an existing file (run `cargo run -p codegen -- generate`)."
  }
}

variable "operations_manifest_path" {
  description = "Path of the generated operation manifest (generated/operations.json); one Lambda, role, log group, permission and alarm set is created per entry."
  type        = string

  validation {
    condition     = fileexists(var.operations_manifest_path) && can(jsondecode(file(var.operations_manifest_path)).operations)
    error_message = "operations_manifest_path must name an existing JSON file with an \"operations\" list."
  }
}

variable "lambda_package_dir" {
  description = "Directory holding <function>/bootstrap.zip for every manifest function (cargo lambda build --release --arm64 --output-format zip writes target/lambda)."
  type        = string

  validation {
    condition     = length(trimspace(var.lambda_package_dir)) > 0
    error_message = "lambda_package_dir must not be empty."
  }
}

variable "table_name" {
  description = "Name of the DynamoDB global table (created once by the global root); this region's replica is used."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)."
  }
}

variable "table_kms_key_arn" {
  description = "ARN of the customer managed KMS key encrypting this region's table replica, or null when the replica uses the AWS managed key."
  type        = string
  default     = null

  validation {
    condition     = var.table_kms_key_arn == null || can(regex("^arn:[^:]+:kms:", var.table_kms_key_arn))
    error_message = "table_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "cognito_user_pool_arn" {
  description = "ARN of the Cognito user pool whose ID tokens the API's authorizer accepts."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/.+$", var.cognito_user_pool_arn))
    error_message = "cognito_user_pool_arn must be a Cognito user pool ARN."
  }
}

variable "cursor_key_secret_arn" {
  description = "ARN of this region's copy of the cursor HMAC key secret; only operations with readsSecret get it (environment and IAM)."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.cursor_key_secret_arn))
    error_message = "cursor_key_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "cursor_key_kms_key_arn" {
  description = "ARN of the customer managed KMS key encrypting this region's copy of the cursor key secret, or null for the AWS managed key."
  type        = string
  default     = null

  validation {
    condition     = var.cursor_key_kms_key_arn == null || can(regex("^arn:[^:]+:kms:", var.cursor_key_kms_key_arn))
    error_message = "cursor_key_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "api_domain_name" {
  description = "The latency-routed API name (e.g. api.example.com); every region serves it through its own regional custom domain and certificate."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.api_domain_name))
    error_message = "api_domain_name must be a lowercase DNS name."
  }
}

variable "hosted_zone_id" {
  description = "Route53 public hosted zone that holds api_domain_name (certificate validation records go here)."
  type        = string

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route53 zone id (upper-case letters and digits)."
  }
}

variable "stage_name" {
  description = "API Gateway stage name."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 letters, digits or underscores."
  }
}

variable "memory_size" {
  description = "Memory (MB) of every Lambda; more memory also means more CPU and faster cold starts."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240."
  }
}

variable "memory_size_overrides" {
  description = "Per-operation memory (MB), keyed by manifest key (e.g. { getMyAccount = 1024 })."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.memory_size_overrides) : v >= 128 && v <= 10240])
    error_message = "Every memory_size_overrides value must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Lambda timeout in seconds; API Gateway gives up after 29 s anyway."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29
    error_message = "timeout_seconds must be between 1 and 29."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrency of every Lambda (caps cost and protects the table); -1 means unreserved."
  type        = number
  default     = 50

  validation {
    condition     = var.reserved_concurrency == -1 || var.reserved_concurrency >= 0
    error_message = "reserved_concurrency must be -1 (unreserved) or >= 0."
  }
}

variable "reserved_concurrency_overrides" {
  description = "Per-operation reserved concurrency, keyed by manifest key."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.reserved_concurrency_overrides) : v == -1 || v >= 0])
    error_message = "Every reserved_concurrency_overrides value must be -1 or >= 0."
  }
}

variable "rust_log" {
  description = "RUST_LOG filter for the handlers' tracing subscriber."
  type        = string
  default     = "info"

  validation {
    condition     = length(var.rust_log) > 0
    error_message = "rust_log must not be empty."
  }
}

variable "log_retention_days" {
  description = "Retention of the Lambda and access log groups (a CloudWatch Logs allowed value; checkov asks for at least a year)."
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
  description = "Steady-state requests per second allowed on every method of the stage."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed on every method of the stage."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_burst_limit > 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a positive whole number."
  }
}

variable "execution_logging_level" {
  description = "API Gateway execution logging level (OFF, ERROR or INFO); needs the account's CloudWatch role."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.execution_logging_level)
    error_message = "execution_logging_level must be OFF, ERROR or INFO."
  }
}

variable "manage_api_gateway_account" {
  description = "Whether this stack sets the account-and-region-wide API Gateway CloudWatch role (needed once per account and region for logging; turn off when another stack owns it)."
  type        = bool
  default     = true

  validation {
    condition     = var.manage_api_gateway_account != null
    error_message = "manage_api_gateway_account must be true or false."
  }
}


variable "web_acl_arn" {
  description = "Optional WAFv2 web ACL (REGIONAL scope, this region) to associate with the stage; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:[^:]+:wafv2:", var.web_acl_arn))
    error_message = "web_acl_arn must be a WAFv2 web ACL ARN or null."
  }
}

variable "alarm_actions" {
  description = "ARNs (e.g. SNS topics) notified when an alarm changes state."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:", a))])
    error_message = "Every alarm action must be an ARN."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive one-minute periods that must breach before an alarm fires."
  type        = number
  default     = 3

  validation {
    condition     = var.alarm_evaluation_periods >= 1
    error_message = "alarm_evaluation_periods must be at least 1."
  }
}

variable "alarm_5xx_threshold" {
  description = "API Gateway 5XX responses per minute that breach."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_threshold >= 1
    error_message = "alarm_5xx_threshold must be at least 1."
  }
}

variable "alarm_latency_p99_ms" {
  description = "API Gateway p99 latency (ms) above which the latency alarm breaches."
  type        = number
  default     = 1000

  validation {
    condition     = var.alarm_latency_p99_ms > 0
    error_message = "alarm_latency_p99_ms must be positive."
  }
}

variable "alarm_lambda_errors_threshold" {
  description = "Lambda errors per minute (per function) that breach."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_lambda_errors_threshold >= 1
    error_message = "alarm_lambda_errors_threshold must be at least 1."
  }
}

variable "alarm_lambda_throttles_threshold" {
  description = "Lambda throttles per minute (per function) that breach."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_lambda_throttles_threshold >= 1
    error_message = "alarm_lambda_throttles_threshold must be at least 1."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys must be at most 128 and values at most 256 characters."
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
