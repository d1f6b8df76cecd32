# Plan-level tests of the keys root with the AWS provider mocked (nothing is called).

mock_provider "aws" {
  override_during = plan

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "123456789012" }
  }
  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }
  # The key policy is rendered by the provider; the mock would render noise that
  # fails the policy argument's JSON validation.
  override_data {
    target = data.aws_iam_policy_document.key
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  environment = "prod"
  regions     = ["us-east-1", "us-west-2"]
  region      = "us-west-2"
}

run "a_rotating_key_per_kind_of_data" {
  command = plan

  assert {
    condition     = toset(keys(aws_kms_key.this)) == toset(["table", "secret"]) && alltrue([for k in aws_kms_key.this : k.enable_key_rotation && strcontains(k.description, "us-west-2")])
    error_message = "the region needs a rotating key for the table replica and one for the secret copy"
  }

  assert {
    condition     = aws_kms_alias.this["table"].name == "alias/accounts-prod-table" && aws_kms_alias.this["secret"].name == "alias/accounts-prod-secret"
    error_message = "the aliases carry the copy's name"
  }
}

run "a_developer_copy_has_its_own_aliases" {
  command = plan

  variables {
    developer = "alice"
  }

  assert {
    condition     = aws_kms_alias.this["table"].name == "alias/accounts-prod-alice-table"
    error_message = "a developer's keys must not share aliases with the shared copy"
  }
}

# Every validated variable rejects a bad value (shared/copy_variables.tf, shared/kms_variables.tf, variables.tf).

run "rejects_bad_service" {
  command = plan

  variables {
    service = "Accounts"
  }

  expect_failures = [var.service]
}

run "rejects_bad_environment" {
  command = plan

  variables {
    environment = "x"
  }

  expect_failures = [var.environment]
}

run "rejects_bad_developer" {
  command = plan

  variables {
    developer = "Alice"
  }

  expect_failures = [var.developer]
}

run "rejects_bad_regions" {
  command = plan

  variables {
    regions = ["us-east-1", "us-east-1"]
  }

  expect_failures = [var.regions]
}

run "rejects_bad_tags" {
  command = plan

  variables {
    tags = { "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" = "v" }
  }

  expect_failures = [var.tags]
}

run "rejects_bad_kms_deletion_window_in_days" {
  command = plan

  variables {
    kms_deletion_window_in_days = 6
  }

  expect_failures = [var.kms_deletion_window_in_days]
}

run "rejects_bad_region" {
  command = plan

  variables {
    region = "eu-central-1"
  }

  expect_failures = [var.region]
}
