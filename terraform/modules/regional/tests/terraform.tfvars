# Inputs of every plan-level test in this directory (terraform test reads this
# file); runs set what they vary in their own variables blocks.

name_prefix            = "accounts-prod"
tag_namespace          = "accounts"
table_name             = "accounts-prod-table"
table_kms_key_arn      = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-0000000000w2"
cursor_key_kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/10000000-0000-0000-0000-0000000000w2"
cognito_user_pool_arn  = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI"
cursor_key_secret_arn  = "arn:aws:secretsmanager:us-west-2:123456789012:secret:accounts-prod/cursor-hmac-key-AbCdEf"
api_domain_name        = "api.example.com"
hosted_zone_id         = "Z0123456789ABCDEFGHIJ"
replica_regions        = ["us-east-1", "eu-west-1"]
alarm_subscriptions    = [{ protocol = "email", endpoint = "oncall@example.com" }]
