output "arn" {
  description = "ARN of the topic: put it in every alarm's alarm_actions and ok_actions."
  value       = aws_sns_topic.this.arn
}

output "kms_key_arn" {
  description = "ARN of the key that encrypts the topic."
  value       = local.kms_key_arn
}

output "subscriptions" {
  description = "Protocol and endpoint of every subscription."
  value       = [for s in aws_sns_topic_subscription.this : "${s.protocol}:${s.endpoint}"]
}

output "key_policy_for_cloudwatch" {
  description = "A policy document (JSON) with the statement a caller's key needs so that CloudWatch can publish to a topic encrypted with it."
  value       = data.aws_iam_policy_document.cloudwatch_uses_key.json
}
