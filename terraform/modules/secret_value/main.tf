# A random value drawn by Secrets Manager (GetRandomPassword) as an ephemeral
# value and written to a secret through a write-only argument: the value never
# enters plan, state or variables (Terraform >= 1.11, provider 5.100).
#
# A module of its own so that plan-level tests can replace it (override_module):
# Terraform's mock providers do not serve ephemeral resources.

terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

ephemeral "aws_secretsmanager_random_password" "this" {
  password_length     = var.length
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id                = var.secret_id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.this.random_password
  secret_string_wo_version = var.value_version
}
