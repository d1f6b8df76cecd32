# Shared (through a symbolic link) by the roots and the module that own an alarm
# topic: region (and modules/regional) and dns.

variable "alarm_subscriptions" {
  description = "Who is told when an alarm changes state: subscriptions of the alarm topic (e.g. { protocol = \"email\", endpoint = \"oncall@example.com\" }). Email subscriptions must be confirmed by their recipient."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.alarm_subscriptions : contains(["email", "email-json", "https", "sms", "lambda", "sqs", "firehose"], s.protocol) && length(trimspace(s.endpoint)) > 0])
    error_message = "Every alarm subscription needs a protocol among email, email-json, https, sms, lambda, sqs, firehose and a non-empty endpoint."
  }
}

variable "alarm_actions" {
  description = "Further ARNs (e.g. an existing on-call SNS topic) notified, besides the alarm topic, when an alarm changes state."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:", a))])
    error_message = "Every alarm action must be an ARN."
  }
}
