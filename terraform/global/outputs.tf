output "primary_region" {
  description = "The primary region (regions[0]): home of the user pool and the table's original replica."
  value       = local.primary_region
}

output "table_name" {
  description = "Name of the DynamoDB global table."
  value       = aws_dynamodb_table.accounts.name
}

output "table_arn" {
  description = "ARN of the table in the primary region."
  value       = aws_dynamodb_table.accounts.arn
}

output "cognito_user_pool_id" {
  description = "ID of the Cognito user pool."
  value       = aws_cognito_user_pool.this.id
}

output "cognito_user_pool_arn" {
  description = "ARN of the Cognito user pool."
  value       = aws_cognito_user_pool.this.arn
}

output "cognito_app_client_id" {
  description = "ID of the mobile app client (no secret)."
  value       = aws_cognito_user_pool_client.app.id
}

output "cursor_key_secret_arn" {
  description = "ARN of the cursor HMAC key secret in the primary region."
  value       = aws_secretsmanager_secret.cursor_key.arn
}

# Everything a regional stack needs, keyed exactly like the region root's
# variables: deploy.sh writes `terraform output -json region_stack_inputs`
# as that root's tfvars file.
output "region_stack_inputs" {
  description = "Inputs of the region root (its variable names as keys): table, user pool, and per region the secret copy and KMS keys."
  value = {
    table_name            = aws_dynamodb_table.accounts.name
    cognito_user_pool_arn = aws_cognito_user_pool.this.arn
    # A replica secret keeps the name and random suffix; only the region differs.
    cursor_key_secret_arns = {
      for r in var.regions : r => replace(aws_secretsmanager_secret.cursor_key.arn, ":${local.primary_region}:", ":${r}:")
    }
    table_kms_key_arns = merge(
      { for r, k in var.replica_kms_key_arns : r => k if contains(local.replica_regions, r) },
      { (local.primary_region) = aws_kms_key.table.arn },
    )
    cursor_key_kms_key_arns = merge(
      { for r, k in var.replica_kms_key_arns : r => k if contains(local.replica_regions, r) },
      { (local.primary_region) = aws_kms_key.secret.arn },
    )
  }
}
