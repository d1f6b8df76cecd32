# Shared (through a symbolic link) by the roots that create KMS keys: keys,
# region and dns.

variable "kms_deletion_window_in_days" {
  description = "Waiting period (days) before this root's KMS keys are deleted after destroy (7 for copies that are torn down and recreated, 30 for shared environments)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}
