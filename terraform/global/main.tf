# Global resources, created once, in the primary region (regions[0]):
# the DynamoDB global table (replicas in every other region), the Cognito user
# pool, and the cursor HMAC key secret (replicated to every other region).
# Regional stacks only reference these through this root's outputs.

provider "aws" {
  region = local.primary_region

  default_tags {
    tags = module.naming.tags
  }
}

module "naming" {
  source = "../modules/naming"

  service     = var.service
  environment = var.environment
  developer   = var.developer
  component   = "global"
  tags        = var.tags
}

locals {
  primary_region  = var.regions[0]
  replica_regions = slice(var.regions, 1, length(var.regions))
  name_prefix     = module.naming.name_prefix

  # On-demand maximum throughput: null leaves the table bounded only by the account's
  # table quota. Replicas inherit the table's settings (OnDemandThroughputOverride:
  # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughputOverride.html).
  on_demand_throughput = var.table_max_read_request_units == null && var.table_max_write_request_units == null ? [] : [{
    max_read_request_units  = var.table_max_read_request_units
    max_write_request_units = var.table_max_write_request_units
  }]
}

################################################################################
# DynamoDB global table (version 2019.11.21: replica blocks)
################################################################################

resource "aws_dynamodb_table" "this" {
  name                        = "${local.name_prefix}-table"
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

    # The index receives every table write that sets emailLower: the same caps, so
    # that the index never throttles writes the table itself would accept.
    dynamic "on_demand_throughput" {
      for_each = local.on_demand_throughput
      content {
        max_read_request_units  = on_demand_throughput.value.max_read_request_units
        max_write_request_units = on_demand_throughput.value.max_write_request_units
      }
    }
  }

  dynamic "on_demand_throughput" {
    for_each = local.on_demand_throughput
    content {
      max_read_request_units  = on_demand_throughput.value.max_read_request_units
      max_write_request_units = on_demand_throughput.value.max_write_request_units
    }
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
    kms_key_arn = var.table_kms_key_arns[local.primary_region]
  }

  # Replicas resolve concurrent writes last-writer-wins (MREC); see README.md.
  # A CMK-encrypted global table needs a key in each replica's own region; the keys
  # root created one per region (validated in variables.tf).
  dynamic "replica" {
    for_each = var.enable_table_replicas ? local.replica_regions : []
    content {
      region_name            = replica.value
      kms_key_arn            = var.table_kms_key_arns[replica.value]
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
  kms_key_id              = var.cursor_key_kms_key_arns[local.primary_region]
  recovery_window_in_days = var.secret_recovery_window_in_days

  dynamic "replica" {
    for_each = local.replica_regions
    content {
      region     = replica.value
      kms_key_id = var.enable_secret_replica_cmk ? var.cursor_key_kms_key_arns[replica.value] : null
    }
  }
}

# The key is drawn by Secrets Manager and written write-only: it never appears in
# plan, state or variables (see ../modules/secret_value).
module "cursor_key_value" {
  source = "../modules/secret_value"

  secret_id     = aws_secretsmanager_secret.cursor_key.arn
  value_version = var.cursor_key_version
}

# The secret version's address before it moved into ../modules/secret_value.
moved {
  from = aws_secretsmanager_secret_version.cursor_key
  to   = module.cursor_key_value.aws_secretsmanager_secret_version.this
}

# The table's address before the roots served more than one service.
moved {
  from = aws_dynamodb_table.accounts
  to   = aws_dynamodb_table.this
}
