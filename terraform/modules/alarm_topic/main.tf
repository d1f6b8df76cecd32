# An encrypted SNS topic that CloudWatch alarms of this account may publish to, with
# the subscriptions of var.alarm_subscriptions: how an alarm reaches a person. Used
# by every region (encrypted with the region's key) and by the dns root (with a key
# of its own, create_key).

terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  kms_key_arn = var.create_key ? aws_kms_key.topic[0].arn : var.kms_key_arn
}

# What a key's policy must allow for CloudWatch alarms to publish to a topic encrypted
# with it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html);
# a caller that brings its own key includes this (output key_policy_for_cloudwatch).
data "aws_iam_policy_document" "cloudwatch_uses_key" {
  statement {
    sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:In a key policy Resource "*" means "this key"; the account root statement is AWS's default, delegating to IAM.
  #checkov:skip=CKV_AWS_111:In a key policy Resource "*" means "this key"; write access stays within the account.
  #checkov:skip=CKV_AWS_356:Key policies cannot name other resources; "*" means this key.
  source_policy_documents = [data.aws_iam_policy_document.cloudwatch_uses_key.json]

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "topic" {
  count = var.create_key ? 1 : 0

  description             = "${var.name}: alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "topic" {
  count = var.create_key ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.topic[0].key_id
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccountPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "this" {
  for_each = { for s in var.alarm_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.this.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
