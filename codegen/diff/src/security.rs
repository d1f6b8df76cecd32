//! Security: the requirements in effect for each operation (its own
//! `security`, else the document's; <https://spec.openapis.org/oas/v3.0.3#fixed-fields-8>),
//! a list of alternatives each naming schemes and scopes; and the
//! definitions of the schemes operations use.

use crate::context::{Ctx, Located};
use crate::finding::Severity;
use crate::paths::Op;
use crate::rules::Rule;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One alternative: scheme name → scopes.
type Requirement = BTreeMap<String, BTreeSet<String>>;

/// The requirements in effect and where they are written.
struct Effective {
    alternatives: Vec<(Requirement, String)>,
    at: String,
}

impl Effective {
    /// An empty list, or an empty alternative (`- {}`), lets anyone call.
    fn is_public(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(|(r, _)| r.is_empty())
    }
}

fn effective<'a>(root: &'a Value, op: &Op<'a>) -> Effective {
    let holder = match op.at.member("security") {
        Some(own) => own,
        None => match root.get("security") {
            Some(global) => Located::new(global, "/security"),
            None => {
                return Effective {
                    alternatives: Vec::new(),
                    at: op.at.at.clone(),
                }
            }
        },
    };
    let alternatives = holder
        .value
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, alt)| {
            let map = alt.as_object()?;
            let requirement = map
                .iter()
                .map(|(scheme, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    (scheme.clone(), scopes)
                })
                .collect();
            Some((requirement, holder.child_at(&i.to_string())))
        })
        .collect();
    Effective {
        alternatives,
        at: holder.at,
    }
}

fn names(requirement: &Requirement) -> String {
    let names: Vec<String> = requirement.keys().map(|k| format!("`{k}`")).collect();
    names.join(" + ")
}

pub(crate) fn compare_operation<'a>(ctx: &mut Ctx<'a>, old_op: &Op<'a>, new_op: &Op<'a>) {
    let (old, new) = (effective(ctx.old, old_op), effective(ctx.new, new_op));
    match (old.is_public(), new.is_public()) {
        (true, true) => return,
        (true, false) => {
            ctx.emit(
                Rule::SecurityAdded,
                Severity::WireBreaking,
                &old.at,
                &new.at,
                None,
                "the operation now needs credentials: calls without them are refused with 401"
                    .into(),
            );
            return;
        }
        (false, true) => {
            ctx.emit(
                Rule::SecurityRemoved,
                Severity::Compatible,
                &old.at,
                &new.at,
                None,
                "the operation no longer needs credentials".into(),
            );
            return;
        }
        (false, false) => {}
    }
    let same_schemes = |a: &Requirement, b: &Requirement| a.keys().eq(b.keys());
    for (requirement, at) in &old.alternatives {
        match new
            .alternatives
            .iter()
            .find(|(r, _)| same_schemes(r, requirement))
        {
            None => {
                ctx.emit(
                    Rule::SecurityAlternativeRemoved,
                    Severity::WireBreaking,
                    at,
                    &new.at,
                    None,
                    format!(
                        "credentials {} are no longer accepted: callers using them get 401 or 403",
                        names(requirement)
                    ),
                );
            }
            Some((new_requirement, new_at)) => {
                for (scheme, scopes) in requirement {
                    let new_scopes = &new_requirement[scheme];
                    for scope in new_scopes.difference(scopes) {
                        ctx.emit(
                            Rule::SecurityScopeAdded,
                            Severity::WireBreaking,
                            at,
                            new_at,
                            None,
                            format!("`{scheme}` now needs scope `{scope}`: tokens without it are refused"),
                        );
                    }
                    for scope in scopes.difference(new_scopes) {
                        ctx.emit(
                            Rule::SecurityScopeRemoved,
                            Severity::Compatible,
                            at,
                            new_at,
                            None,
                            format!("`{scheme}` no longer needs scope `{scope}`"),
                        );
                    }
                }
            }
        }
    }
    for (requirement, at) in &new.alternatives {
        if !old
            .alternatives
            .iter()
            .any(|(r, _)| same_schemes(r, requirement))
        {
            ctx.emit(
                Rule::SecurityAlternativeAdded,
                Severity::Compatible,
                &old.at,
                at,
                None,
                format!("credentials {} are now accepted too", names(requirement)),
            );
        }
    }
    schemes(ctx, &new);
}

/// The definition members that decide how credentials travel.
const SCHEME_MEMBERS: &[&str] = &["type", "in", "name", "scheme", "openIdConnectUrl"];
const FLOW_URLS: &[&str] = &["authorizationUrl", "tokenUrl", "refreshUrl"];

/// The schemes `effective` uses, compared with their old definitions.
fn schemes(ctx: &mut Ctx<'_>, effective: &Effective) {
    let used: BTreeSet<&String> = effective
        .alternatives
        .iter()
        .flat_map(|(r, _)| r.keys())
        .collect();
    for scheme in used {
        let at = openapi_document::pointer(["components", "securitySchemes", scheme]);
        let (Some(old), Some(new)) = (ctx.old.pointer(&at), ctx.new.pointer(&at)) else {
            continue;
        };
        let (old, new) = (Located::new(old, at.clone()), Located::new(new, at));
        let mut changed = Vec::new();
        for member in SCHEME_MEMBERS {
            let norm = |v: &Located<'_>| {
                v.str_member(member).map(|s| {
                    // `scheme` (an HTTP auth scheme) is case-insensitive (RFC 9110 section 11.1).
                    if *member == "scheme" {
                        s.to_ascii_lowercase()
                    } else {
                        s.to_owned()
                    }
                })
            };
            if norm(&old) != norm(&new) {
                changed.push(format!("`{member}`"));
            }
        }
        let flows = |v: &Located<'_>| -> BTreeMap<String, Vec<Option<String>>> {
            v.entries("flows")
                .into_iter()
                .map(|(kind, flow)| {
                    let urls = FLOW_URLS
                        .iter()
                        .map(|u| flow.str_member(u).map(str::to_owned))
                        .collect();
                    (kind.to_owned(), urls)
                })
                .collect()
        };
        if flows(&old) != flows(&new) {
            changed.push("the OAuth flows".into());
        }
        if !changed.is_empty() {
            ctx.emit(
                Rule::SecuritySchemeChanged,
                Severity::WireBreaking,
                &old.at,
                &new.at,
                None,
                format!(
                    "security scheme `{scheme}` changed ({}): callers send credentials the server no longer takes",
                    changed.join(", ")
                ),
            );
        }
    }
}
