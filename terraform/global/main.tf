# Global resources, created once, in the primary region (regions[0]):
# the DynamoDB global table (replicas in every other region), the Cognito user
# pool, and the cursor HMAC key secret (replicated to every other region).
# Regional stacks only reference these through this root's outputs.

provider "aws" {
  region = local.primary_region

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  primary_region  = var.regions[0]
  replica_regions = slice(var.regions, 1, length(var.regions))
  account_id      = data.aws_caller_identity.current.account_id
  partition       = data.aws_partition.current.partition

  name_prefix = var.developer == "" ? "${var.service}-${var.environment}" : "${var.service}-${var.environment}-${var.developer}"

  tags = merge(var.tags, {
    "accounts:service"     = var.service
    "accounts:environment" = var.environment
    "accounts:developer"   = var.developer
    "accounts:managed-by"  = "terraform/global"
  })
}

################################################################################
# KMS customer managed keys (primary region) for the table and the secret
################################################################################

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:In a key policy Resource "*" means "this key"; the account root statement is AWS's default, delegating to IAM.
  #checkov:skip=CKV_AWS_111:In a key policy Resource "*" means "this key"; write access stays within the account.
  #checkov:skip=CKV_AWS_356:Key policies cannot name other resources; "*" means this key.
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "table" {
  description             = "${local.name_prefix}: DynamoDB accounts table (primary replica)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "table" {
  name          = "alias/${local.name_prefix}-table"
  target_key_id = aws_kms_key.table.key_id
}

resource "aws_kms_key" "secret" {
  description             = "${local.name_prefix}: cursor HMAC key secret (primary copy)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "secret" {
  name          = "alias/${local.name_prefix}-cursor-key"
  target_key_id = aws_kms_key.secret.key_id
}

################################################################################
# DynamoDB global table (version 2019.11.21: replica blocks)
################################################################################

resource "aws_dynamodb_table" "accounts" {
  name                        = "${local.name_prefix}-accounts"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.table_deletion_protection

  # Global tables replicate through streams; NEW_AND_OLD_IMAGES is required.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "emailLower"
    type = "S"
  }

  global_secondary_index {
    name            = "by-email"
    hash_key        = "emailLower"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.table.arn
  }

  # Replicas resolve concurrent writes last-writer-wins (MREC); see README.md.
  dynamic "replica" {
    for_each = var.enable_table_replicas ? local.replica_regions : []
    content {
      region_name            = replica.value
      kms_key_arn            = lookup(var.replica_kms_key_arns, replica.value, null)
      point_in_time_recovery = true
      propagate_tags         = true
    }
  }

  timeouts {
    create = "30m"
    update = "60m"
    delete = "30m"
  }
}

################################################################################
# Cognito user pool, app client and the admin group
################################################################################

resource "aws_cognito_user_pool" "this" {
  name                     = local.name_prefix
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "OPTIONAL"
  deletion_protection      = var.user_pool_deletion_protection ? "ACTIVE" : "INACTIVE"
  # Threat protection ("advanced security") needs the Plus feature plan.
  user_pool_tier = "PLUS"

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool_client" "app" {
  name         = "${local.name_prefix}-mobile"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret = false
  explicit_auth_flows = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]

  id_token_validity      = var.id_token_validity_minutes
  access_token_validity  = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days
  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "days"
  }

  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
}

resource "aws_cognito_user_group" "admin" {
  name         = "admin"
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "May read, change and list every account."
}

################################################################################
# Cursor HMAC key: Secrets Manager secret, replicated to every other region
################################################################################

resource "aws_secretsmanager_secret" "cursor_key" {
  #checkov:skip=CKV2_AWS_57:Rotating the HMAC key invalidates every outstanding list cursor; it is rotated deliberately by bumping var.cursor_key_version (see README.md).
  name                    = "${local.name_prefix}/cursor-hmac-key"
  description             = "HMAC key that signs GET /accounts pagination cursors."
  kms_key_id              = aws_kms_key.secret.arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  dynamic "replica" {
    for_each = local.replica_regions
    content {
      region     = replica.value
      kms_key_id = lookup(var.replica_kms_key_arns, replica.value, null)
    }
  }
}

# The key is drawn by Secrets Manager (GetRandomPassword) as an ephemeral value
# and written through a write-only argument: it never enters plan or state.
ephemeral "aws_secretsmanager_random_password" "cursor_key" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "cursor_key" {
  secret_id                = aws_secretsmanager_secret.cursor_key.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.cursor_key.random_password
  secret_string_wo_version = var.cursor_key_version
}
