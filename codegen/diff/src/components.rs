//! Component schemas by name. Each one is a type in the generated types
//! crate (typify names it after the component), so one that disappears or is
//! renamed breaks code that names the type, even when every operation sends
//! the same JSON. A schema removed on one side and added on the other with
//! the same content (prose aside) is a rename.

use crate::context::{Ctx, Located};
use crate::finding::Severity;
use crate::rules::Rule;
use crate::schemas::fingerprint;
use serde_json::Value;
use std::collections::BTreeMap;

fn schemas<'a>(root: &'a Value) -> BTreeMap<&'a str, Located<'a>> {
    Located::new(root, "")
        .member("components")
        .map(|c| c.entries("schemas").into_iter().collect())
        .unwrap_or_default()
}

/// The fingerprint of a component with references to itself written
/// alike, so that a recursive schema renamed still matches.
fn content(name: &str, schema: &Value) -> String {
    let own = format!(
        "\"#{}\"",
        openapi_document::pointer(["components", "schemas", name])
    );
    fingerprint(schema).replace(&own, "\"#self\"")
}

/// Finds renames (recorded in `ctx.renames`, used when pairing
/// alternatives) and reports added, removed and renamed schemas.
pub(crate) fn compare(ctx: &mut Ctx<'_>) {
    let old = schemas(ctx.old);
    let new = schemas(ctx.new);
    let removed: Vec<&str> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .copied()
        .collect();
    let mut added: Vec<&str> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .copied()
        .collect();
    let added_content: BTreeMap<&str, String> = added
        .iter()
        .map(|n| (*n, content(n, new[n].value)))
        .collect();
    for name in removed {
        let was = content(name, old[name].value);
        let renamed = added.iter().position(|n| added_content[n] == was);
        match renamed {
            Some(i) => {
                let to = added.remove(i);
                ctx.renames.insert(name.to_owned(), to.to_owned());
                ctx.emit(
                    Rule::SchemaRenamed,
                    Severity::RustApiBreaking,
                    &old[name].at,
                    &new[to].at,
                    None,
                    format!(
                        "schema `{}` renamed `{}` with the same content: the wire is unchanged, but the generated type is renamed",
                        name, to
                    ),
                );
            }
            None => {
                ctx.emit(
                    Rule::SchemaRemoved,
                    Severity::RustApiBreaking,
                    &old[name].at,
                    "/components/schemas",
                    None,
                    format!(
                        "schema `{}` removed: the generated type `{}` is gone (what operations send is compared on its own)",
                        name, name
                    ),
                );
            }
        }
    }
    for name in added {
        ctx.emit(
            Rule::SchemaAdded,
            Severity::Compatible,
            "/components/schemas",
            &new[name].at,
            None,
            format!("new schema `{}` (a new generated type)", name),
        );
    }
}
