# The AWS provider's answers this directory's plan-level tests fix: data sources (the
# region, the account, rendered policy documents, Route53's ranges) and ACM's
# validation record. Policy documents are rendered by the provider; the mock would
# render noise that fails the policy arguments' JSON validation.

override_resource {
  target          = aws_acm_certificate.api
  override_during = plan
  values = {
    domain_validation_options = [{
      domain_name           = "api.example.com"
      resource_record_name  = "_x1.api.example.com."
      resource_record_type  = "CNAME"
      resource_record_value = "_x2.acm-validations.aws."
    }]
  }
}

override_data {
  target = data.aws_region.current
  values = { name = "us-west-2" }
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

# Policy documents are rendered by the provider; the mock would render noise that
# fails the policy arguments' JSON validation.
override_data {
  target = data.aws_iam_policy_document.assume_lambda
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

override_data {
  target = data.aws_iam_policy_document.assume_apigateway
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

override_data {
  target = data.aws_iam_policy_document.kms
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

override_data {
  target = data.aws_ip_ranges.route53_health_checkers
  values = {
    cidr_blocks      = ["15.177.0.0/18", "54.243.31.192/26"]
    ipv6_cidr_blocks = ["2600:1f14:7ff:f800::/56"]
  }
}

override_data {
  target = module.alarm_topic.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.alarm_topic.data.aws_partition.current
  values = { partition = "aws" }
}

override_data {
  target = module.alarm_topic.data.aws_iam_policy_document.key
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

override_data {
  target = module.alarm_topic.data.aws_iam_policy_document.topic
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

override_data {
  target = module.alarm_topic.data.aws_iam_policy_document.cloudwatch_uses_key
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
