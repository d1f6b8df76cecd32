# The AWS provider's answers the dns tests fix: the account and the alarm topic
# module's rendered policy documents (the mock would render noise that fails the
# policy arguments' JSON validation).

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
