# The customer managed KMS keys of one region, applied once per region (its own
# state) BEFORE the global root: a CMK-encrypted DynamoDB global table needs a key
# in every replica's own region, and so does a replicated secret. Provider 5.x
# cannot create a key in another region from the global root's single provider,
# so each region's keys live in this small per-region root, and the global root
# receives their ARNs (deploy.sh collects the `key_arns` outputs).

provider "aws" {
  region = var.region

  default_tags {
    tags = module.naming.tags
  }
}

module "naming" {
  source = "../modules/naming"

  service     = var.service
  environment = var.environment
  developer   = var.developer
  component   = "keys"
  tags        = var.tags
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name_prefix = module.naming.name_prefix

  # One key per kind of data, so that a key policy or a grant for one never opens
  # the other.
  keys = {
    table  = "DynamoDB global table replica"
    secret = "cursor HMAC key secret copy"
  }
}

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
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = local.keys

  description             = "${local.name_prefix} ${var.region}: ${each.value}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  for_each = local.keys

  name          = "alias/${local.name_prefix}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
