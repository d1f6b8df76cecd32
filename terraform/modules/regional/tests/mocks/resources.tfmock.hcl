# Resource attributes the AWS provider computes, as every plan-level test here sees
# them: mock values are made at plan time (override_during = plan in the test files),
# and the provider still validates what it is given, so what must look like an ARN
# does. Linked into the mocks of every directory whose tests build these resources.

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-00000000mock", key_id = "00000000-0000-0000-0000-00000000mock" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-west-2:123456789012:mock-alarms" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-west-2:123456789012:log-group:mock" }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn        = "arn:aws:lambda:us-west-2:123456789012:function:mock"
    invoke_arn = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:mock/invocations"
  }
}

mock_resource "aws_api_gateway_rest_api" {
  defaults = {
    id            = "abcde12345"
    execution_arn = "arn:aws:execute-api:us-west-2:123456789012:abcde12345"
  }
}

mock_resource "aws_api_gateway_stage" {
  defaults = { arn = "arn:aws:apigateway:us-west-2::/restapis/abcde12345/stages/mock" }
}

mock_resource "aws_acm_certificate" {
  defaults = { arn = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000mock" }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = { arn = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:mock" }
}

mock_resource "aws_api_gateway_domain_name" {
  defaults = { regional_domain_name = "d-mock.execute-api.us-west-2.amazonaws.com", regional_zone_id = "Z2OJLYMUO9EFXC" }
}

# ACM answers with the validation record only after the request; the mock answers
# with one for whatever name the run requests.

mock_resource "aws_s3_bucket" {
  defaults = { id = "accounts-docs-mock", arn = "arn:aws:s3:::accounts-docs-mock" }
}
