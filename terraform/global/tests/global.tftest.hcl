# Plan-only runs with the real provider, pointed at the test's moto_server through
# AWS_ENDPOINT_URL (tests/run.sh sets it): Terraform's mock providers serve no
# ephemeral resources, and the cursor key is one. Nothing is created: every run
# is a plan.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
}

# The plan knows every configured value but not what AWS computes (ARNs, stream
# labels, replica status), which makes whole replica sets unknown; these overrides
# fill the computed attributes at plan time, the configured ones stay as planned.
override_resource {
  target          = aws_dynamodb_table.this
  override_during = plan
}

override_resource {
  target          = aws_secretsmanager_secret.cursor_key
  override_during = plan
  values = {
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:accounts-dev/cursor-hmac-key-AbCdEf"
  }
}

variables {
  environment = "dev"
  regions     = ["us-east-1", "us-west-2", "eu-west-1"]
  table_kms_key_arns = {
    "us-east-1" = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-0000000000e1"
    "us-west-2" = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-0000000000w2"
    "eu-west-1" = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-0000000000u1"
  }
  cursor_key_kms_key_arns = {
    "us-east-1" = "arn:aws:kms:us-east-1:123456789012:key/10000000-0000-0000-0000-0000000000e1"
    "us-west-2" = "arn:aws:kms:us-west-2:123456789012:key/10000000-0000-0000-0000-0000000000w2"
    "eu-west-1" = "arn:aws:kms:eu-west-1:123456789012:key/10000000-0000-0000-0000-0000000000u1"
  }
}

run "every_replica_has_a_key_in_its_own_region" {
  command = plan

  assert {
    condition     = length(aws_dynamodb_table.this.replica) == 2
    error_message = "expected one table replica per non-primary region"
  }

  assert {
    condition     = alltrue([for r in aws_dynamodb_table.this.replica : can(regex("^arn:aws:kms:${r.region_name}:", r.kms_key_arn))])
    error_message = "every table replica must be encrypted with a key in its own region"
  }

  assert {
    condition     = alltrue([for r in aws_secretsmanager_secret.cursor_key.replica : can(regex("^arn:aws:kms:${r.region}:", r.kms_key_id))]) && length(aws_secretsmanager_secret.cursor_key.replica) == 2
    error_message = "every secret replica must be encrypted with a key in its own region"
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == var.table_kms_key_arns["us-east-1"] && aws_secretsmanager_secret.cursor_key.kms_key_id == var.cursor_key_kms_key_arns["us-east-1"]
    error_message = "the primary table and secret must use the primary region's keys"
  }
}

run "two_regions_one_replica_with_its_own_key" {
  command = plan

  variables {
    regions = ["us-east-1", "us-west-2"]
  }

  assert {
    condition     = [for r in aws_dynamodb_table.this.replica : r.region_name] == ["us-west-2"] && [for r in aws_dynamodb_table.this.replica : r.kms_key_arn] == [var.table_kms_key_arns["us-west-2"]]
    error_message = "with two regions the table has one replica, in the second region, with that region's key"
  }

  assert {
    condition     = [for r in aws_secretsmanager_secret.cursor_key.replica : r.kms_key_id] == [var.cursor_key_kms_key_arns["us-west-2"]]
    error_message = "with two regions the secret has one replica, with the second region's key"
  }
}

run "on_demand_caps_on_table_and_index" {
  command = plan

  assert {
    condition = (
      aws_dynamodb_table.this.on_demand_throughput[0].max_read_request_units == var.table_max_read_request_units &&
      aws_dynamodb_table.this.on_demand_throughput[0].max_write_request_units == var.table_max_write_request_units &&
      alltrue([for g in aws_dynamodb_table.this.global_secondary_index : g.on_demand_throughput[0].max_write_request_units == var.table_max_write_request_units])
    )
    error_message = "the table and its index must carry the on-demand maximum throughput"
  }
}

run "no_cap_when_null" {
  command = plan

  variables {
    table_max_read_request_units  = null
    table_max_write_request_units = null
  }

  assert {
    condition     = length(aws_dynamodb_table.this.on_demand_throughput) == 0
    error_message = "null caps leave the table uncapped"
  }
}

run "a_developer_copy_names_everything_after_itself" {
  command = plan

  variables {
    developer = "alice"
  }

  assert {
    condition     = aws_dynamodb_table.this.name == "accounts-dev-alice-table" && aws_cognito_user_pool.this.name == "accounts-dev-alice" && aws_secretsmanager_secret.cursor_key.name == "accounts-dev-alice/cursor-hmac-key"
    error_message = "a developer's copy must carry the developer in every global name"
  }
}

# Every validated variable of variables.tf rejects a bad value (the shared ones are covered in ../../keys/tests).

run "rejects_bad_table_deletion_protection" {
  command = plan

  variables {
    table_deletion_protection = null
  }

  expect_failures = [var.table_deletion_protection]
}

run "rejects_bad_user_pool_deletion_protection" {
  command = plan

  variables {
    user_pool_deletion_protection = null
  }

  expect_failures = [var.user_pool_deletion_protection]
}

run "rejects_bad_enable_table_replicas" {
  command = plan

  variables {
    enable_table_replicas = null
  }

  expect_failures = [var.enable_table_replicas]
}

run "rejects_bad_enable_secret_replica_cmk" {
  command = plan

  variables {
    enable_secret_replica_cmk = null
  }

  expect_failures = [var.enable_secret_replica_cmk]
}

run "rejects_bad_table_kms_key_arns" {
  command = plan

  variables {
    table_kms_key_arns = {
      "us-east-1" = "arn:aws:kms:us-east-1:123456789012:key/a"
      "us-west-2" = "arn:aws:kms:us-east-1:123456789012:key/b"
      "eu-west-1" = "arn:aws:kms:eu-west-1:123456789012:key/c"
    }
  }

  expect_failures = [var.table_kms_key_arns]
}

run "rejects_bad_cursor_key_kms_key_arns" {
  command = plan

  variables {
    cursor_key_kms_key_arns = {
      "us-east-1" = "arn:aws:kms:us-east-1:123456789012:key/a"
      "us-west-2" = "arn:aws:kms:us-west-2:123456789012:key/b"
    }
  }

  expect_failures = [var.cursor_key_kms_key_arns]
}

run "rejects_bad_table_max_read_request_units" {
  command = plan

  variables {
    table_max_read_request_units = 0
  }

  expect_failures = [var.table_max_read_request_units]
}

run "rejects_bad_table_max_write_request_units" {
  command = plan

  variables {
    table_max_write_request_units = 1.5
  }

  expect_failures = [var.table_max_write_request_units]
}

run "rejects_bad_secret_recovery_window_in_days" {
  command = plan

  variables {
    secret_recovery_window_in_days = 3
  }

  expect_failures = [var.secret_recovery_window_in_days]
}

run "rejects_bad_cursor_key_version" {
  command = plan

  variables {
    cursor_key_version = 0
  }

  expect_failures = [var.cursor_key_version]
}

run "rejects_bad_id_token_validity_minutes" {
  command = plan

  variables {
    id_token_validity_minutes = 61
  }

  expect_failures = [var.id_token_validity_minutes]
}

run "rejects_bad_refresh_token_validity_days" {
  command = plan

  variables {
    refresh_token_validity_days = 0
  }

  expect_failures = [var.refresh_token_validity_days]
}
