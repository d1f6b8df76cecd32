output "primary_region" {
  description = "The primary region (regions[0]): home of the user pool and the table's original replica."
  value       = local.primary_region
}

output "table_name" {
  description = "Name of the DynamoDB global table."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table in the primary region."
  value       = aws_dynamodb_table.this.arn
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

# What the region and dns roots need, keyed exactly like their variables:
# deploy.sh writes `terraform output -json stack_inputs` as a tfvars file and
# keeps, for each root, the keys that root declares.
output "stack_inputs" {
  description = "Inputs of the region and dns roots (their variable names as keys): table, user pool, and per region the secret copy."
  value = {
    table_name            = aws_dynamodb_table.this.name
    cognito_user_pool_arn = aws_cognito_user_pool.this.arn
    cognito_user_pool_id  = aws_cognito_user_pool.this.id
    # A replica secret keeps the name and random suffix; only the region differs.
    cursor_key_secret_arns = {
      for r in var.regions : r => replace(aws_secretsmanager_secret.cursor_key.arn, ":${local.primary_region}:", ":${r}:")
    }
  }
}
