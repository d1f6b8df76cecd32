# Inputs the region root computes or takes from the other roots' outputs. The
# settings an operator tunes are in tunables.tf (shared with the region root).

variable "name_prefix" {
  description = "Prefix of every name in this stack: \"<service>-<environment>[-<developer>]\" (see modules/naming). Lowercase letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tag_namespace" {
  description = "Namespace of the stack's own tag keys (\"<namespace>:operation\", \"<namespace>:region\"): the service name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.tag_namespace))
    error_message = "tag_namespace must be 2-16 lowercase letters or digits, starting with a letter (the service name)."
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
  description = "Path of the generated operation manifest (generated/operations.json); one Lambda, role, log group, permission, alarm set and dashboard line is created per entry."
  type        = string

  validation {
    condition     = fileexists(var.operations_manifest_path) && can(jsondecode(file(var.operations_manifest_path)).operations)
    error_message = "operations_manifest_path must name an existing JSON file with an \"operations\" list."
  }
}

variable "lambda_package_dir" {
  description = "Directory holding <function>/bootstrap.zip for every manifest function (cargo lambda build --arm64 --output-format zip writes target/lambda). Needed to create or update functions, not to destroy them."
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
  description = "ARN of the customer managed KMS key of this region's table replica (keys root); the functions may use it only through DynamoDB."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.table_kms_key_arn))
    error_message = "table_kms_key_arn must be a KMS key ARN."
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

variable "custom_authorizer_function_arn" {
  description = "ARN of the Lambda REQUEST authorizer for security schemes Cognito cannot check (apiKey, http basic, a foreign OpenID Connect issuer): the document's custom authorizers call it. Required when the API document has one; null otherwise. See ../../README.md (custom authorizer hook)."
  type        = string
  default     = null

  validation {
    condition     = var.custom_authorizer_function_arn == null || can(regex("^arn:[^:]+:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", var.custom_authorizer_function_arn))
    error_message = "custom_authorizer_function_arn must be a Lambda function ARN (optionally with a version or alias)."
  }
}

variable "reference_html_path" {
  description = "Path of the generated API reference (generated/reference.html): published in a private bucket of the region and served by GET docs_path on the API stage through an S3 integration (docs.tf). null: not published."
  type        = string
  default     = null

  validation {
    condition     = var.reference_html_path == null || try(fileexists(var.reference_html_path), false)
    error_message = "reference_html_path must be null or an existing file."
  }
}

variable "docs_path" {
  description = "The API path the reference is served at when reference_html_path is set; it must not be a path of the API document."
  type        = string
  default     = "/docs"

  validation {
    condition     = can(regex("^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$", var.docs_path))
    error_message = "docs_path must be an absolute path of literal segments, like /docs."
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
  description = "ARN of the customer managed KMS key of this region's copy of the cursor key secret (keys root); used only through Secrets Manager."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.cursor_key_kms_key_arn))
    error_message = "cursor_key_kms_key_arn must be a KMS key ARN."
  }
}

variable "api_domain_name" {
  description = "The latency-routed API name this copy serves (e.g. api.example.com, or alice.api.example.com for a developer's copy); every region serves it through its own regional custom domain and certificate."
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

variable "replica_regions" {
  description = "The other regions of the global table: one ReplicationLatency alarm and dashboard line per region this one replicates to."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.replica_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "replica_regions must be AWS region names."
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
