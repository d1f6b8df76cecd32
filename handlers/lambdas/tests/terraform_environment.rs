//! The functions and the Terraform that deploys them agree on the environment:
//! every variable a function reads is set by the regional module.

use std::path::Path;

#[test]
fn the_regional_module_sets_every_variable_the_functions_read() {
    let module =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../terraform/modules/regional/main.tf");
    let text = std::fs::read_to_string(&module).expect("terraform/modules/regional/main.tf");
    for name in accounts_lambdas::ENVIRONMENT.iter().copied() {
        // `NAME = value` as a map key (terraform fmt may pad before `=`).
        let set = text.match_indices(name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].trim_start_matches(' ');
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('=')
        });
        assert!(set, "{} does not set {name}", module.display());
    }
}
