# The module on a service whose manifest groups operations into functions and whose
# document has a custom (Lambda REQUEST) authorizer. tests/run.sh writes the inputs
# under tests/fixtures/grouped/ (codegen generate on tests/fixtures/grouped.yaml, and
# placeholder zips); run it the same way by hand.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  api_document_path        = "tests/fixtures/grouped/generated/apigateway.json"
  operations_manifest_path = "tests/fixtures/grouped/generated/operations.json"
  lambda_package_dir       = "tests/fixtures/grouped/lambda"
}

run "one_lambda_per_function_and_one_permission_per_operation" {
  command = plan

  variables {
    custom_authorizer_function_arn = "arn:aws:lambda:us-west-2:123456789012:function:partner-authorizer"
  }

  assert {
    condition     = sort(keys(aws_lambda_function.fn)) == tolist(["get-health", "notes"]) && sort(keys(aws_lambda_permission.op)) == tolist(["createNote", "getHealth", "listNotes"])
    error_message = "grouped operations must share one function and keep one permission each"
  }

  assert {
    condition     = aws_lambda_permission.op["listNotes"].function_name == aws_lambda_permission.op["createNote"].function_name
    error_message = "both grouped operations must allow API Gateway to invoke the same function"
  }

  assert {
    condition = sort(flatten([
      for s in jsondecode(aws_iam_role_policy.fn["notes"].policy).Statement : s.Action if s.Sid == "TableAccessFromManifest"
    ])) == tolist(["dynamodb:PutItem", "dynamodb:Query"])
    error_message = "a grouped function's role must hold the union of its operations' DynamoDB actions"
  }

  assert {
    condition     = length(aws_lambda_permission.authorizer) == 1 && aws_lambda_permission.authorizer[0].function_name == var.custom_authorizer_function_arn
    error_message = "API Gateway must be allowed to invoke the custom authorizer"
  }

  assert {
    condition = strcontains(
      jsondecode(aws_api_gateway_rest_api.this.body).components.securitySchemes.partnerKey["x-amazon-apigateway-authorizer"].authorizerUri,
      "/functions/${var.custom_authorizer_function_arn}/invocations",
    )
    error_message = "the document's custom authorizer must call the configured function"
  }
}

run "a_custom_authorizer_needs_its_function" {
  command = plan

  expect_failures = [aws_api_gateway_rest_api.this]
}
