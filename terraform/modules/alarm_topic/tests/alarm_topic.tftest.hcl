# Plan-level tests of the alarm topic with the AWS provider mocked (nothing is called).

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  name                = "accounts-prod-dns-alarms"
  create_key          = true
  alarm_subscriptions = [{ protocol = "email", endpoint = "oncall@example.com" }]
}

run "own_key" {
  command = plan

  assert {
    condition     = length(aws_kms_key.topic) == 1 && aws_kms_key.topic[0].enable_key_rotation && aws_sns_topic.this.kms_master_key_id == aws_kms_key.topic[0].arn && aws_kms_alias.topic[0].name == "alias/accounts-prod-dns-alarms"
    error_message = "with create_key the topic is encrypted with a rotating key of its own"
  }

  assert {
    condition     = [for s in aws_sns_topic_subscription.this : s.endpoint] == ["oncall@example.com"] && aws_sns_topic_policy.this.arn == aws_sns_topic.this.arn
    error_message = "the topic needs its policy and the configured subscription"
  }
}

run "callers_key" {
  command = plan

  variables {
    create_key  = false
    kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-0000000000w2"
  }

  assert {
    condition     = length(aws_kms_key.topic) == 0 && aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "without create_key the topic uses the caller's key"
  }
}

# Every validated variable of variables.tf rejects a bad value (the linked shared ones
# are covered in the roots' tests).

run "rejects_bad_name" {
  command = plan

  variables {
    name = "has space"
  }

  expect_failures = [var.name]
}

run "rejects_bad_create_key" {
  command = plan

  variables {
    create_key = null
  }

  expect_failures = [var.create_key]
}

run "rejects_bad_kms_key_arn" {
  command = plan

  variables {
    kms_key_arn = "key"
  }

  expect_failures = [var.kms_key_arn]
}
