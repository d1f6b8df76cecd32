# The API reference (codegen's generated/reference.html, the page `<service>-local` serves at
# /docs) published with the API: a private bucket of this region holds it, and `GET /docs` on
# the API stage reads it through an S3 integration
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-s3.html),
# so every team reads the reference of the version deployed, at the API's own address.
# Off when reference_html_path is null.

locals {
  publish_docs        = var.reference_html_path != null
  docs_role_full_name = "${var.name_prefix}-apigw-docs-${local.region}"

  # Merged into the imported document (main.tf): API Gateway REST takes its routes from the
  # body only (put_rest_api_mode = "overwrite" removes what the body lacks).
  docs_paths = local.publish_docs ? {
    (var.docs_path) = {
      get = {
        operationId = "getApiReference"
        summary     = "The API reference (HTML)."
        security    = []
        responses = {
          "200" = {
            description = "The reference page."
            headers     = { "Content-Type" = { schema = { type = "string" } } }
            content     = { "text/html" = { schema = { type = "string" } } }
          }
        }
        "x-amazon-apigateway-integration" = {
          type        = "aws"
          httpMethod  = "GET"
          uri         = "arn:${local.partition}:apigateway:${local.region}:s3:path/${aws_s3_bucket.docs[0].id}/${aws_s3_object.reference[0].key}"
          credentials = aws_iam_role.docs_reader[0].arn
          responses = {
            default = {
              statusCode         = "200"
              responseParameters = { "method.response.header.Content-Type" = "integration.response.header.Content-Type" }
            }
          }
        }
      }
    }
  } : {}
}

resource "aws_s3_bucket" "docs" {
  count = local.publish_docs ? 1 : 0
  #checkov:skip=CKV_AWS_18:The bucket holds one generated page read only by API Gateway through its role; API Gateway's access log (the API stage) records every read.
  #checkov:skip=CKV_AWS_144:Each region's stack has its own copy, written from the same generated file by its own apply; replication would add nothing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to the page changing; Terraform writes it.
  #checkov:skip=CKV2_AWS_61:One object, overwritten by each apply; versions expire by the lifecycle of the versioning configuration below.

  bucket_prefix = "${substr(var.name_prefix, 0, 30)}-docs-"
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "docs" {
  count = local.publish_docs ? 1 : 0

  bucket                  = aws_s3_bucket.docs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "docs" {
  count = local.publish_docs ? 1 : 0

  bucket = aws_s3_bucket.docs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "docs" {
  count = local.publish_docs ? 1 : 0

  bucket = aws_s3_bucket.docs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.regional.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_object" "reference" {
  count = local.publish_docs ? 1 : 0

  bucket       = aws_s3_bucket.docs[0].id
  key          = "reference.html"
  source       = var.reference_html_path
  source_hash  = filemd5(var.reference_html_path)
  content_type = "text/html; charset=utf-8"
  kms_key_id   = aws_kms_key.regional.arn
  tags         = local.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.docs]
}

# API Gateway reads the page with this role: the one object, and the key only through S3.
resource "aws_iam_role" "docs_reader" {
  count = local.publish_docs ? 1 : 0

  name               = length(local.docs_role_full_name) <= 64 ? local.docs_role_full_name : "${substr(local.docs_role_full_name, 0, 55)}-${substr(sha1(local.docs_role_full_name), 0, 8)}"
  description        = "API Gateway reads the API reference of ${var.name_prefix} in ${local.region}"
  assume_role_policy = data.aws_iam_policy_document.assume_apigateway.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "docs_reader" {
  count = local.publish_docs ? 1 : 0

  name = "read-reference"
  role = aws_iam_role.docs_reader[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadTheReference"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${aws_s3_bucket.docs[0].arn}/${aws_s3_object.reference[0].key}"
      },
      {
        Sid       = "KeyThroughS3Only"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = aws_kms_key.regional.arn
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
      },
    ]
  })
}
