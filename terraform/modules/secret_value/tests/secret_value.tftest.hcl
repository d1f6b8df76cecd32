# Plan-only runs with the real provider, pointed at the test's moto_server through
# AWS_ENDPOINT_URL (tests/run.sh sets it): mock providers serve no ephemeral
# resources. Nothing is created: every run is a plan.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
}

variables {
  secret_id     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:accounts-dev/cursor-hmac-key-AbCdEf"
  value_version = 1
}

run "the_value_is_written_write_only" {
  command = plan

  assert {
    condition     = aws_secretsmanager_secret_version.this.secret_string_wo_version == 1 && aws_secretsmanager_secret_version.this.secret_string == null
    error_message = "the value must go through the write-only argument, never secret_string"
  }
}

# Every validated variable rejects a bad value.

run "rejects_bad_secret_id" {
  command = plan

  variables {
    secret_id = "arn:aws:kms:us-east-1:123456789012:key/a"
  }

  expect_failures = [var.secret_id]
}

run "rejects_bad_value_version" {
  command = plan

  variables {
    value_version = 0
  }

  expect_failures = [var.value_version]
}

run "rejects_bad_length" {
  command = plan

  variables {
    length = 8
  }

  expect_failures = [var.length]
}
