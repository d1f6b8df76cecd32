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

variable "reference_html_path" {
  description = "Path of the generated API reference; null: reference.html beside the API document (generated/reference.html). Published at /docs on the API when publish_reference is true."
  type        = string
  default     = null

  validation {
    condition     = var.reference_html_path == null || try(fileexists(var.reference_html_path), false)
    error_message = "reference_html_path must be null or an existing file."
  }
}

variable "publish_reference" {
  description = "Publish the API reference (GET /docs on the API, from a private bucket of each region)."
  type        = bool
  default     = true

  validation {
    condition     = var.publish_reference != null
    error_message = "publish_reference must be true or false."
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
  description = "Per region: the customer managed KMS key of that region's table replica (the keys root's key_arns outputs, collected by deploy.sh)."
  type        = map(string)

  validation {
    condition     = can(regex("^arn:[^:]+:kms:${var.region}:[0-9]{12}:key/.+$", var.table_kms_key_arns[var.region]))
    error_message = "table_kms_key_arns must hold a KMS key ARN in this region for this region."
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

variable "custom_authorizer_function_arns" {
  description = "Per region: ARN of the Lambda REQUEST authorizer the document's custom authorizers call (schemes Cognito cannot check). Required for every deployed region when the API document has one; see modules/regional."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for a in values(var.custom_authorizer_function_arns) : can(regex("^arn:[^:]+:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", a))])
    error_message = "Every custom_authorizer_function_arns value must be a Lambda function ARN."
  }
}

variable "cursor_key_secret_arns" {
  description = "Per region: the ARN of that region's copy of the cursor HMAC key secret (output of the global root)."
  type        = map(string)

  validation {
    condition     = can(regex("^arn:[^:]+:secretsmanager:${var.region}:[0-9]{12}:secret:.+$", var.cursor_key_secret_arns[var.region]))
    error_message = "cursor_key_secret_arns must hold, for this region, the ARN of this region's copy of the secret."
  }
}

variable "cursor_key_kms_key_arns" {
  description = "Per region: the customer managed KMS key of that region's copy of the cursor key secret (the keys root's key_arns outputs, collected by deploy.sh)."
  type        = map(string)

  validation {
    condition     = can(regex("^arn:[^:]+:kms:${var.region}:[0-9]{12}:key/.+$", var.cursor_key_kms_key_arns[var.region]))
    error_message = "cursor_key_kms_key_arns must hold a KMS key ARN in this region for this region."
  }
}

variable "api_domain_name" {
  description = "The environment's latency-routed API name (e.g. accounts.example.com), served by a regional custom domain in every region; a developer's copy serves <developer>.<api_domain_name>."
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



variable "developer_reserved_concurrency" {
  description = "Reserved concurrency of every Lambda (the health check's included) in a developer's copy, in place of reserved_concurrency and health_reserved_concurrency: small, so that many copies fit one account's regional quota (see README.md)."
  type        = number
  default     = 2

  validation {
    condition     = var.developer_reserved_concurrency >= 1 && floor(var.developer_reserved_concurrency) == var.developer_reserved_concurrency
    error_message = "developer_reserved_concurrency must be a whole number >= 1."
  }
}
