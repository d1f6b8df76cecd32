variable "region" {
  description = "The region whose keys this state holds (one of regions); deploy.sh passes it with -var region=<region>."
  type        = string

  validation {
    condition     = contains(var.regions, var.region)
    error_message = "region must be one of regions."
  }
}
