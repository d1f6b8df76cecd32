terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # Partial configuration: bucket, key ("<env>/<developer>/keys/<region>.tfstate"),
  # region and use_lockfile come from `-backend-config` (see ../deploy.sh and ../README.md).
  backend "s3" {}
}
