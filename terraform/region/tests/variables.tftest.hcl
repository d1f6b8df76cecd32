# Every validated variable rejects a bad value: one plan per variable, each
# expecting exactly that variable's validation to fail (moto_check.py tftest-coverage
# fails when a validated variable has no such run). Same mocks (tests/mocks) and inputs
# (tests/terraform.tfvars) as region.tftest.hcl.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "rejects_bad_region" {
  command = plan

  variables {
    region = "eu-central-1"
  }

  expect_failures = [var.region]
}

run "rejects_bad_api_document_path" {
  command = plan

  variables {
    api_document_path = "/nonexistent/apigateway.json"
  }

  expect_failures = [var.api_document_path]
}

run "rejects_bad_operations_manifest_path" {
  command = plan

  variables {
    operations_manifest_path = "/nonexistent/operations.json"
  }

  expect_failures = [var.operations_manifest_path]
}

run "rejects_bad_reference_html_path" {
  command = plan

  variables {
    reference_html_path = "/nonexistent/reference.html"
  }

  expect_failures = [var.reference_html_path]
}

run "rejects_bad_publish_reference" {
  command = plan

  variables {
    publish_reference = null
  }

  expect_failures = [var.publish_reference]
}

run "rejects_bad_lambda_package_dir" {
  command = plan

  variables {
    lambda_package_dir = "  "
  }

  expect_failures = [var.lambda_package_dir]
}

run "rejects_bad_table_name" {
  command = plan

  variables {
    table_name = "x"
  }

  expect_failures = [var.table_name]
}

run "rejects_bad_table_kms_key_arns" {
  command = plan

  variables {
    table_kms_key_arns = {
      "us-west-2" = "arn:aws:kms:us-east-1:123456789012:key/a"
    }
  }

  expect_failures = [var.table_kms_key_arns]
}

run "rejects_bad_cognito_user_pool_arn" {
  command = plan

  variables {
    cognito_user_pool_arn = "arn:aws:s3:::bucket"
  }

  expect_failures = [var.cognito_user_pool_arn]
}

run "rejects_bad_custom_authorizer_function_arns" {
  command = plan

  variables {
    custom_authorizer_function_arns = { us-west-2 = "authorizer" }
  }

  expect_failures = [var.custom_authorizer_function_arns]
}

run "rejects_bad_cursor_key_secret_arns" {
  command = plan

  variables {
    cursor_key_secret_arns = {
      "us-west-2" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"
    }
  }

  expect_failures = [var.cursor_key_secret_arns]
}

run "rejects_bad_cursor_key_kms_key_arns" {
  command = plan

  variables {
    cursor_key_kms_key_arns = {
      "us-east-1" = "arn:aws:kms:us-east-1:123456789012:key/a"
    }
  }

  expect_failures = [var.cursor_key_kms_key_arns]
}

run "rejects_bad_api_domain_name" {
  command = plan

  variables {
    api_domain_name = "API.Example.com"
  }

  expect_failures = [var.api_domain_name]
}

run "rejects_bad_hosted_zone_id" {
  command = plan

  variables {
    hosted_zone_id = "z-lower"
  }

  expect_failures = [var.hosted_zone_id]
}

run "rejects_bad_developer_reserved_concurrency" {
  command = plan

  variables {
    developer_reserved_concurrency = 0
  }

  expect_failures = [var.developer_reserved_concurrency]
}

run "rejects_bad_alarm_subscriptions" {
  command = plan

  variables {
    alarm_subscriptions = [{ protocol = "pigeon", endpoint = "loft" }]
  }

  expect_failures = [var.alarm_subscriptions]
}

run "rejects_bad_alarm_actions" {
  command = plan

  variables {
    alarm_actions = ["not-an-arn"]
  }

  expect_failures = [var.alarm_actions]
}
