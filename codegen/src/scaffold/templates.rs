//! The written-once files' templates (`templates/*.hbs`), rendered with handlebars in
//! strict mode (a missing value is an error, not an empty string) and without HTML
//! escaping (they are Rust, TOML, Markdown and shell).

use handlebars::Handlebars;
use serde_json::Value;

use super::NewError;

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("README.md", include_str!("templates/README.md.hbs")),
    ("test.sh", include_str!("templates/test.sh.hbs")),
    ("gitignore", include_str!("templates/gitignore.hbs")),
    ("client_lib.rs", include_str!("templates/client_lib.rs.hbs")),
    (
        "service_Cargo.toml",
        include_str!("templates/service_Cargo.toml.hbs"),
    ),
    (
        "service_lib.rs",
        include_str!("templates/service_lib.rs.hbs"),
    ),
    ("operations.rs", include_str!("templates/operations.rs.hbs")),
    ("operation.rs", include_str!("templates/operation.rs.hbs")),
    (
        "lambdas_Cargo.toml",
        include_str!("templates/lambdas_Cargo.toml.hbs"),
    ),
    (
        "lambdas_lib.rs",
        include_str!("templates/lambdas_lib.rs.hbs"),
    ),
    (
        "local_Cargo.toml",
        include_str!("templates/local_Cargo.toml.hbs"),
    ),
    ("local_lib.rs", include_str!("templates/local_lib.rs.hbs")),
    ("local_main.rs", include_str!("templates/local_main.rs.hbs")),
    ("local_test.rs", include_str!("templates/local_test.rs.hbs")),
    ("deploy.sh", include_str!("templates/deploy.sh.hbs")),
];

/// Renders template `name` with `context`.
pub(super) fn render(name: &str, context: &Value) -> Result<String, NewError> {
    let mut hbs = Handlebars::new();
    hbs.set_strict_mode(true);
    hbs.register_escape_fn(handlebars::no_escape);
    let (_, text) = TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| NewError::Template(format!("no template {name}")))?;
    hbs.register_template_string(name, *text)
        .map_err(|e| NewError::Template(format!("{name}: {e}")))?;
    hbs.render(name, context)
        .map_err(|e| NewError::Template(format!("{name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        for (name, text) in TEMPLATES {
            let mut hbs = Handlebars::new();
            assert!(hbs.register_template_string(name, *text).is_ok(), "{name}");
        }
    }
}
