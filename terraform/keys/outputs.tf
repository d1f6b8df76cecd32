output "region" {
  description = "The region these keys are in."
  value       = var.region
}

# deploy.sh merges every region's `key_arns` into the global and region roots'
# `table_kms_key_arns` and `cursor_key_kms_key_arns` (keyed by region).
output "key_arns" {
  description = "This region's key ARNs: table (the table replica here) and secret (the secret copy here)."
  value       = { for k, key in aws_kms_key.this : k => key.arn }
}
