# Names shared by every root: one place decides how a copy of the service is
# named, so that the keys, global, region and dns states of one copy agree and two
# copies (two developers, or two services) never share a name, a domain or a
# state key.

terraform {
  required_version = ">= 1.11.0"
}

locals {
  # "<service>-<environment>" for the shared copy, "<service>-<environment>-<developer>"
  # for a developer's private copy.
  name_prefix = join("-", compact([var.service, var.environment, var.developer]))

  # A developer's copy is served on "<developer>.<api_domain_name>", so its custom
  # domains, certificates and latency records never clash with the shared copy's.
  api_domain_name = var.api_domain_name == null ? null : (
    var.developer == "" ? var.api_domain_name : "${var.developer}.${var.api_domain_name}"
  )

  # Tag keys are namespaced by the service ("<service>:environment", ...), so two
  # services' tags never mix.
  tags = merge(var.tags, {
    "${var.service}:service"     = var.service
    "${var.service}:environment" = var.environment
    "${var.service}:developer"   = var.developer
    "${var.service}:managed-by"  = "terraform/${var.component}"
  })
}
