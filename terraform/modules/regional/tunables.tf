# The settings an operator tunes per environment (env/<env>.tfvars.json). This
# file is linked into the region root as well, so the root and the module declare
# and validate them once; the root passes each through (reserved concurrency after
# choosing the developer copy's value).

variable "stage_name" {
  description = "The API stage every client request goes through (the custom domain maps to it)."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 letters, digits or underscores."
  }
}

variable "health_stage_name" {
  description = "The stage only Route53's health checkers call (on the execute-api host); it serves nothing but GET <health_check_path>."
  type        = string
  default     = "health"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.health_stage_name))
    error_message = "health_stage_name must be 1-128 letters, digits or underscores."
  }
}

variable "health_check_path" {
  description = "Path of the unauthenticated GET operation of the manifest that reads the table's replica in this region; Route53 checks /<health_stage_name><health_check_path>."
  type        = string
  default     = "/health"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9._-]+)+$", var.health_check_path))
    error_message = "health_check_path must be an absolute path without parameters, e.g. /health."
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
  description = "Per-function memory (MB), keyed by manifest function name (e.g. { get-my-account = 1024 })."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.memory_size_overrides) : v >= 128 && v <= 10240])
    error_message = "Every memory_size_overrides value must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Lambda timeout in seconds of every operation but the health check; API Gateway gives up after 29 s anyway."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29
    error_message = "timeout_seconds must be between 1 and 29."
  }
}

variable "health_timeout_seconds" {
  description = "Lambda timeout of the health check: Route53 counts a response later than 2 s after connecting as a failure, so a stuck read must end (as a 5XX) within that."
  type        = number
  default     = 2

  validation {
    condition     = var.health_timeout_seconds >= 1 && var.health_timeout_seconds <= 2 && floor(var.health_timeout_seconds) == var.health_timeout_seconds
    error_message = "health_timeout_seconds must be 1 or 2 (Route53 waits 2 s for the response)."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrency of every Lambda but the health check's (caps cost and protects the table); -1 means unreserved."
  type        = number
  default     = 50

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "reserved_concurrency must be -1 (unreserved) or a whole number >= 0."
  }
}

variable "health_reserved_concurrency" {
  description = "Reserved concurrency of the health check's Lambda: its own, so a flood of /health can neither starve the API nor be starved by it."
  type        = number
  default     = 5

  validation {
    condition     = var.health_reserved_concurrency >= 1 && floor(var.health_reserved_concurrency) == var.health_reserved_concurrency
    error_message = "health_reserved_concurrency must be a whole number >= 1."
  }
}

variable "reserved_concurrency_overrides" {
  description = "Per-function reserved concurrency, keyed by manifest function name (wins over the two above)."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.reserved_concurrency_overrides) : v == -1 || (v >= 0 && floor(v) == v)])
    error_message = "Every reserved_concurrency_overrides value must be -1 or a whole number >= 0."
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

variable "throttling_rate_limit" {
  description = "Steady-state requests per second allowed on each method of the API stage."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed on each method of the API stage."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_burst_limit > 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a positive whole number."
  }
}

variable "health_throttling_rate_limit" {
  description = "Requests per second allowed on the public GET <health_check_path> of the API stage: tight, it serves people checking by hand, not Route53."
  type        = number
  default     = 5

  validation {
    condition     = var.health_throttling_rate_limit > 0 && var.health_throttling_rate_limit <= var.throttling_rate_limit
    error_message = "health_throttling_rate_limit must be positive and at most throttling_rate_limit."
  }
}

variable "health_throttling_burst_limit" {
  description = "Burst allowed on the public GET <health_check_path> of the API stage."
  type        = number
  default     = 10

  validation {
    condition     = var.health_throttling_burst_limit > 0 && floor(var.health_throttling_burst_limit) == var.health_throttling_burst_limit && var.health_throttling_burst_limit <= var.throttling_burst_limit
    error_message = "health_throttling_burst_limit must be a positive whole number, at most throttling_burst_limit."
  }
}

variable "health_probe_rate_limit" {
  description = "Requests per second allowed on the health stage: room for Route53's checkers (about 1.5/s at the 10 s interval, in uncoordinated bursts), and no more."
  type        = number
  default     = 10

  validation {
    condition     = var.health_probe_rate_limit >= 2
    error_message = "health_probe_rate_limit must be at least 2 (Route53's checkers send about 1.5 requests per second at the fast interval)."
  }
}

variable "health_probe_burst_limit" {
  description = "Burst allowed on the health stage (checkers in different locations do not coordinate and sometimes arrive together)."
  type        = number
  default     = 20

  validation {
    condition     = var.health_probe_burst_limit >= 5 && floor(var.health_probe_burst_limit) == var.health_probe_burst_limit
    error_message = "health_probe_burst_limit must be a whole number >= 5."
  }
}

variable "restrict_health_stage_to_route53" {
  description = "Deny the health stage to every source outside Route53's published health-checker ranges (read at plan time from ip-ranges.amazonaws.com). Only the moto test turns it off: it runs offline."
  type        = bool
  default     = true

  validation {
    condition     = var.restrict_health_stage_to_route53 != null
    error_message = "restrict_health_stage_to_route53 must be true or false."
  }
}

variable "usage_plan" {
  description = "Optional usage plan on the API stage: per-API-key throttle (rate_limit, burst_limit) and quota (quota_limit per quota_period DAY, WEEK or MONTH; quota_limit null for none). It meters only methods that require an API key. null: no plan."
  type = object({
    rate_limit   = number
    burst_limit  = number
    quota_limit  = optional(number)
    quota_period = optional(string, "MONTH")
  })
  default = null

  validation {
    condition = var.usage_plan == null || try(
      var.usage_plan.rate_limit > 0 && var.usage_plan.burst_limit >= 1 &&
      (var.usage_plan.quota_limit == null || var.usage_plan.quota_limit >= 1) &&
      contains(["DAY", "WEEK", "MONTH"], var.usage_plan.quota_period),
      false,
    )
    error_message = "usage_plan needs rate_limit > 0, burst_limit >= 1, quota_limit null or >= 1, and quota_period DAY, WEEK or MONTH."
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
  description = "Optional WAFv2 web ACL (REGIONAL scope, this region) to associate with the API stage; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:[^:]+:wafv2:", var.web_acl_arn))
    error_message = "web_acl_arn must be a WAFv2 web ACL ARN or null."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive one-minute periods that must breach before an alarm fires."
  type        = number
  default     = 3

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number >= 1."
  }
}

variable "alarm_5xx_threshold" {
  description = "API Gateway 5XX responses per minute (API stage) that breach."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_threshold >= 1
    error_message = "alarm_5xx_threshold must be at least 1."
  }
}

variable "alarm_4xx_threshold" {
  description = "API Gateway 4XX responses per minute (API stage) that breach: high, since callers without a valid token get 401; throttling shows here as 429."
  type        = number
  default     = 100

  validation {
    condition     = var.alarm_4xx_threshold >= 1
    error_message = "alarm_4xx_threshold must be at least 1."
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

variable "alarm_lambda_duration_p99_ms" {
  description = "Lambda p99 duration (ms, per function) above which the duration alarm breaches."
  type        = number
  default     = 1000

  validation {
    condition     = var.alarm_lambda_duration_p99_ms > 0
    error_message = "alarm_lambda_duration_p99_ms must be positive."
  }
}

variable "alarm_dynamodb_throttles_threshold" {
  description = "Throttled read (or write) events per minute on this region's replica that breach."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_dynamodb_throttles_threshold >= 1
    error_message = "alarm_dynamodb_throttles_threshold must be at least 1."
  }
}

variable "alarm_replication_latency_ms" {
  description = "Average replication latency (ms) from this region to another above which the replication alarm breaches (typically well under a second)."
  type        = number
  default     = 10000

  validation {
    condition     = var.alarm_replication_latency_ms > 0
    error_message = "alarm_replication_latency_ms must be positive."
  }
}

variable "create_dashboard" {
  description = "Create the region's CloudWatch dashboard (priced per dashboard and month beyond the account's free ones; dev turns it off)."
  type        = bool
  default     = true

  validation {
    condition     = var.create_dashboard != null
    error_message = "create_dashboard must be true or false."
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
