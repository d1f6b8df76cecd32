variable "secret_id" {
  description = "ARN of the secret that receives the value."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.secret_id))
    error_message = "secret_id must be a Secrets Manager secret ARN."
  }
}

variable "value_version" {
  description = "Version of the value; bump it to draw and store a new random value."
  type        = number

  validation {
    condition     = var.value_version >= 1 && floor(var.value_version) == var.value_version
    error_message = "value_version must be a whole number >= 1."
  }
}

variable "length" {
  description = "Length of the value (letters and digits)."
  type        = number
  default     = 64

  validation {
    condition     = var.length >= 32 && var.length <= 4096 && floor(var.length) == var.length
    error_message = "length must be a whole number between 32 and 4096."
  }
}
