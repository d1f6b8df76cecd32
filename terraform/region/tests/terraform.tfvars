# Inputs of every plan-level test in this directory (terraform test reads this
# file); runs set what they vary in their own variables blocks.

environment     = "prod"
regions         = ["us-east-1", "us-west-2", "eu-west-1"]
region          = "us-west-2"
table_name      = "accounts-prod-table"
api_domain_name = "api.example.com"
hosted_zone_id  = "Z0123456789ABCDEFGHIJ"
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
cognito_user_pool_arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI"
cursor_key_secret_arns = {
  "us-east-1" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:accounts-prod/cursor-hmac-key-AbCdEf"
  "us-west-2" = "arn:aws:secretsmanager:us-west-2:123456789012:secret:accounts-prod/cursor-hmac-key-AbCdEf"
  "eu-west-1" = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:accounts-prod/cursor-hmac-key-AbCdEf"
}
alarm_subscriptions = [{ protocol = "email", endpoint = "oncall@example.com" }]
