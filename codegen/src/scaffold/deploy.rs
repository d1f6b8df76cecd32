//! The new workspace's `deploy/`: the service's settings for this repository's Terraform
//! roots (`deploy/env/dev.tfvars.json`, an env file as `terraform/README.md` documents
//! them for a second service) and `deploy/deploy.sh`, which runs those roots with them (see
//! the script's header).

use std::path::Path;

use serde_json::{json, Map, Value};

use super::crates::Names;
use super::templates::render;
use super::NewError;
use crate::output::OutputFile;

/// The deployment script, relative to the workspace.
pub(super) const SCRIPT: &str = "deploy/deploy.sh";

/// The environment `codegen new` writes settings for.
const ENVIRONMENT: &str = "dev";

/// `deploy/deploy.sh` and `deploy/env/dev.tfvars.json`.
pub(super) fn files(repo: &Path, names: &Names) -> Result<Vec<OutputFile>, NewError> {
    let template = repo.join(format!("terraform/env/{ENVIRONMENT}.tfvars.json"));
    let base = std::fs::read_to_string(&template)
        .map_err(|source| NewError::Read {
            path: template.clone(),
            source,
        })
        .and_then(|text| {
            serde_json::from_str::<Map<String, Value>>(&text)
                .map_err(|e| NewError::Template(format!("{}: {e}", template.display())))
        })?;
    let mut env = service_settings(base, &names.service, names.health_path.as_deref());
    env.push('\n');
    Ok(vec![
        OutputFile {
            path: SCRIPT.into(),
            contents: render("deploy.sh", &names.context())?,
        },
        OutputFile {
            path: format!("deploy/env/{ENVIRONMENT}.tfvars.json").into(),
            contents: env,
        },
    ])
}

/// The repository's settings for the environment with this service's own: its name
/// (which names every resource and state key), domain, cost tag and the path Route53's
/// health checks call (absent: the roots' default, `/health`).
fn service_settings(
    mut settings: Map<String, Value>,
    service: &str,
    health: Option<&str>,
) -> String {
    if let Some(path) = health {
        settings.insert("health_check_path".into(), json!(path));
    }
    settings.insert("service".into(), json!(service));
    settings.insert(
        "api_domain_name".into(),
        json!(format!("{service}-{ENVIRONMENT}.example.com")),
    );
    settings.insert("tags".into(), json!({ "cost-center": service }));
    serde_json::to_string_pretty(&Value::Object(settings)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_names_its_copy_and_keeps_the_environment_s_settings() {
        let base = json!({"regions": ["us-east-1"], "service": "accounts", "api_domain_name": "accounts-dev.example.com", "throttling_rate_limit": 50, "tags": {"cost-center": "accounts"}});
        let Value::Object(base) = base else {
            unreachable!()
        };
        let text = service_settings(base, "pets", Some("/pets"));
        let settings: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(settings["service"], "pets");
        assert_eq!(settings["api_domain_name"], "pets-dev.example.com");
        assert_eq!(settings["tags"], json!({"cost-center": "pets"}));
        assert_eq!(settings["throttling_rate_limit"], 50);
        assert_eq!(settings["regions"], json!(["us-east-1"]));
        assert_eq!(settings["health_check_path"], "/pets");
    }
}
