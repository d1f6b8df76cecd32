output "version_id" {
  description = "ID of the secret version that holds the value."
  value       = aws_secretsmanager_secret_version.this.version_id
}
