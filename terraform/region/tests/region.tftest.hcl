# Plan-level tests of the region root (what it derives from the copy's names: the
# domain, every resource name, the reserved concurrency) with the AWS provider
# mocked; the regional module's own resources are tested in
# ../modules/regional/tests. tests/run.sh passes the generated files' paths and
# placeholder zips with -var.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "shared_copy" {
  command = plan

  assert {
    condition     = output.api_domain_name == "api.example.com" && contains(output.resource_names, "api.example.com")
    error_message = "the shared copy serves the environment's domain"
  }

  assert {
    condition     = output.reserved_concurrency_total == (length(jsondecode(file(var.operations_manifest_path)).operations) - 1) * var.reserved_concurrency + var.health_reserved_concurrency
    error_message = "the shared copy reserves reserved_concurrency per function and health_reserved_concurrency for the health check"
  }
}

run "alice" {
  command = plan

  override_resource {
    target          = module.regional.aws_acm_certificate.api
    override_during = plan
    values = {
      domain_validation_options = [{
        domain_name           = "alice.api.example.com"
        resource_record_name  = "_x1.alice.api.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_x2.acm-validations.aws."
      }]
    }
  }

  variables {
    developer = "alice"
  }

  assert {
    condition     = output.api_domain_name == "alice.api.example.com" && contains(output.resource_names, "alice.api.example.com")
    error_message = "a developer's copy serves <developer>.<api_domain_name>"
  }

  assert {
    condition     = output.reserved_concurrency_total == length(jsondecode(file(var.operations_manifest_path)).operations) * var.developer_reserved_concurrency
    error_message = "a developer's copy reserves developer_reserved_concurrency for every function"
  }
}

run "bob_collides_with_nobody" {
  command = plan

  override_resource {
    target          = module.regional.aws_acm_certificate.api
    override_during = plan
    values = {
      domain_validation_options = [{
        domain_name           = "bob.api.example.com"
        resource_record_name  = "_x1.bob.api.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_x2.acm-validations.aws."
      }]
    }
  }

  variables {
    developer = "bob"
  }

  assert {
    condition     = length(setintersection(toset(output.resource_names), toset(run.alice.resource_names))) == 0 && length(setintersection(toset(output.resource_names), toset(run.shared_copy.resource_names))) == 0
    error_message = "two copies of one environment must share no name, domain or record"
  }
}

run "ten_developer_copies_fit_an_account" {
  command = plan

  override_resource {
    target          = module.regional.aws_acm_certificate.api
    override_during = plan
    values = {
      domain_validation_options = [{
        domain_name           = "carol.api.example.com"
        resource_record_name  = "_x1.carol.api.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_x2.acm-validations.aws."
      }]
    }
  }

  # The dev environment's own settings (env/dev.tfvars.json).
  variables {
    environment                    = "dev"
    developer                      = "carol"
    reserved_concurrency           = jsondecode(file("../env/dev.tfvars.json")).reserved_concurrency
    health_reserved_concurrency    = jsondecode(file("../env/dev.tfvars.json")).health_reserved_concurrency
    developer_reserved_concurrency = jsondecode(file("../env/dev.tfvars.json")).developer_reserved_concurrency
  }

  # A default account has 1,000 concurrent executions per region, of which 100 must
  # stay unreserved (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html):
  # the shared dev copy and ten developers' copies must fit in 900.
  assert {
    condition     = 10 * output.reserved_concurrency_total + length(jsondecode(file(var.operations_manifest_path)).operations) * var.reserved_concurrency <= 900
    error_message = "ten developer copies and the shared dev copy must fit one account's regional concurrency"
  }
}
