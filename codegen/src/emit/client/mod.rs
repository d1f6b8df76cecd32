//! The client: progenitor on a copy of the spec, with every component schema
//! replaced by the shared types crate's type (one set of types for server and
//! client). progenitor refuses `+json` request media types, so they are given to
//! it as `application/json`; the crate's hand-written hooks set the real
//! Content-Type from [`MERGE_PATCH`-style] tables this emitter writes.

mod progenitor_input;

use crate::diagnostics::InternalError;
use crate::model::Api;
use crate::source::Spec;
use crate::types::{guarded, Library};
use crate::Refusal;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

/// Renders the client's generated module.
pub fn emit(spec: &Spec, api: &Api, spec_file: &str) -> Result<String, Refusal> {
    let mut raw = spec.raw.clone();
    let media_types = progenitor_input::prepare(&mut raw);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(raw)
        .map_err(|e| internal(spec, "preparing the spec for progenitor", e))?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(Auth))
        .with_hooks(HooksMode::Expected);
    for (schema, rust) in api.types.component_names() {
        settings.with_replacement(
            progenitor_name(schema),
            format!("::{}::{rust}", api.types.crate_ident()),
            std::iter::empty(),
        );
    }
    let tokens = guarded(spec, "", Library::Progenitor, || {
        let mut generator = Generator::new(&settings);
        generator
            .generate_tokens(&openapi)
            .map_err(|e| e.to_string())
    })?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| internal(spec, "parsing progenitor's output", e))?;
    share_parameter_types(&mut file, api);
    let table = media_types
        .iter()
        .map(|(op, media)| format!("({op:?}, {media:?})"))
        .collect::<Vec<_>>()
        .join(", ");
    let extra: syn::File = syn::parse_str(&format!(
        "{HOOKS}\npub const REQUEST_MEDIA_TYPES: &[(&str, &str)] = &[{table}];"
    ))
    .map_err(|e| internal(spec, "writing the client hooks", e))?;
    file.items.extend(extra.items);
    file.attrs.push(
        syn::parse_quote!(#![allow(clippy::all, unused_imports, dead_code, mismatched_lifetime_syntaxes)]),
    );
    Ok(super::rust_file(&super::rust_header(spec_file), &file))
}

/// What every client adds to progenitor's output: the per-client state (the
/// token), its constructors, and the hooks progenitor's `HooksMode::Expected`
/// calls before each request: the `Authorization` header, and the request's
/// real media type where progenitor sends another
/// ([`progenitor_input`]'s table, `REQUEST_MEDIA_TYPES`, follows).
const HOOKS: &str = r#"
/// Per-client state the hooks read: the token sent as `Authorization`.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    token: Option<String>,
}

impl Auth {
    pub fn new(token: Option<String>) -> Self {
        Self { token }
    }
}

impl Client {
    /// A client that sends `token` (a Cognito ID token) with every request.
    pub fn new_with_token(baseurl: &str, token: &str) -> Self {
        Self::new(baseurl, Auth::new(Some(token.to_owned())))
    }

    /// A client that sends no token (for public operations, or to test refusals).
    pub fn anonymous(baseurl: &str) -> Self {
        Self::new(baseurl, Auth::new(None))
    }
}

impl progenitor_client::ClientHooks<Auth> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &progenitor_client::OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(token) = &self.inner.token {
            if let Ok(value) = reqwest::header::HeaderValue::from_str(token) {
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
            }
        }
        if let Some((_, media)) = REQUEST_MEDIA_TYPES.iter().find(|(op, _)| *op == info.operation_id) {
            request.headers_mut().insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static(media),
            );
        }
        Ok(())
    }
}

/// Operations whose request body is sent with another media type than the
/// one progenitor writes (a `+json` type, XML, ...): the hooks set it.
"#;

fn internal(spec: &Spec, doing: &str, e: impl std::fmt::Display) -> InternalError {
    InternalError {
        doing: doing.to_owned(),
        file: spec.file.clone(),
        pointer: None,
        message: e.to_string(),
    }
}

/// progenitor names replaced types by typify's PascalCase form of the schema name.
fn progenitor_name(schema: &str) -> String {
    crate::names::pascal(schema)
}

/// progenitor's type replacement covers component schemas only; the types it
/// makes for constrained parameters (`UpdateAccountIfMatch`, ...) are the same
/// typify output the types crate already holds. Drop the client's copies and
/// re-export the shared ones, so callers name one type.
fn share_parameter_types(file: &mut syn::File, api: &Api) {
    let prefix = format!("{}::", api.types.crate_ident());
    let shared: Vec<String> = api
        .operations
        .iter()
        .flat_map(|o| o.parameters.iter())
        .filter_map(|p| p.rust_type.strip_prefix(&prefix))
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned)
        .collect();
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let defined = |name: &str, items: &[syn::Item]| {
            items.iter().any(|i| {
                matches!(i, syn::Item::Struct(s) if s.ident == name)
                    || matches!(i, syn::Item::Enum(e) if e.ident == name)
            })
        };
        let mut replaced = Vec::new();
        for name in &shared {
            if defined(name, items) && !replaced.contains(name) {
                replaced.push(name.clone());
            }
        }
        items.retain(|i| match i {
            syn::Item::Struct(s) => !replaced.iter().any(|n| s.ident == n),
            syn::Item::Enum(e) => !replaced.iter().any(|n| e.ident == n),
            syn::Item::Impl(imp) => {
                let header = quote::quote!(#imp).to_string();
                let header = header.split('{').next().unwrap_or_default().to_owned();
                !replaced.iter().any(|n| {
                    header
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|t| t == n)
                })
            }
            _ => true,
        });
        for name in &replaced {
            if let Ok(path) = syn::parse_str::<syn::Item>(&format!(
                "pub use ::{}::{name};",
                api.types.crate_ident()
            )) {
                items.push(path);
            }
        }
    }
}
