//! The shared request/response types, built with typify (the version progenitor
//! uses, so that the client can reuse them instead of generating copies).
//!
//! typify maps an optional nullable property to one `Option<T>`, losing the
//! difference between an absent field and `null` that JSON merge patch
//! (RFC 7396) relies on; [`TypeRegistry::to_file`] rewrites such fields to
//! `Option<Option<T>>` with a serde helper that keeps the three states apart.

use crate::diagnostics::{Diagnostic, InternalError};
use crate::schema_json::{is_nullable, to_json_schema};
use crate::source::Spec;
use crate::Refusal;
use openapi_document::pointer;
use proc_macro2::TokenStream;
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use typify::{TypeSpace, TypeSpaceSettings};

/// A nullable, optional property of a component schema: absent and `null` differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchField {
    pub schema: String,
    pub property: String,
}

/// The typify type space of one spec, and the names it gave each schema.
pub struct TypeRegistry {
    space: TypeSpace,
    crate_ident: String,
    patch_fields: Vec<PatchField>,
    /// Component schema name → Rust type name inside the types crate.
    component_names: Vec<(String, String)>,
}

impl TypeRegistry {
    /// Adds every component schema. `crate_ident` is how other crates name the types crate.
    pub fn new(spec: &Spec, crate_ident: &str) -> Result<Self, Refusal> {
        let mut settings = TypeSpaceSettings::default();
        settings
            .with_type_mod(crate_ident)
            .with_struct_builder(false);
        let mut space = TypeSpace::new(&settings);
        let components = component_schemas(spec);
        let mut relaxed: Vec<(String, Value)> = components
            .iter()
            .map(|(name, schema)| {
                (
                    name.clone(),
                    crate::typify_input::relax(&to_json_schema(schema)),
                )
            })
            .collect();
        crate::typify_input::name_inline_types(&mut relaxed);
        let defs: Vec<(String, schemars::schema::Schema)> = relaxed
            .into_iter()
            .map(|(name, schema)| {
                serde_json::from_value(schema)
                    .map(|s| (name.clone(), s))
                    .map_err(|e| {
                        vec![Diagnostic::error(
                            &spec.file,
                            pointer(["components", "schemas", name.as_str()]),
                            format!("the schema cannot be read as JSON Schema ({e})"),
                            "correct the schema against the OpenAPI 3.0 Schema Object",
                        )]
                    })
            })
            .collect::<Result<_, _>>()?;
        guarded(spec, "/components/schemas", Library::Typify, || {
            add_ref_types(&mut space, defs.clone())
        })
        .map_err(|failure| locate_bad_schema(spec, &defs, crate_ident).unwrap_or(failure))?;
        let mut registry = Self {
            space,
            crate_ident: crate_ident.to_owned(),
            patch_fields: Vec::new(),
            component_names: Vec::new(),
        };
        for (name, schema) in &components {
            let rust = registry.type_of(
                spec,
                &serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }),
                None,
                &pointer(["components", "schemas", name.as_str()]),
            )?;
            registry.component_names.push((
                name.clone(),
                rust.trim_start_matches(&format!("{crate_ident}::"))
                    .to_owned(),
            ));
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (prop, prop_schema) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if is_nullable(prop_schema) && !required.contains(&prop.as_str()) {
                    registry.patch_fields.push(PatchField {
                        schema: name.clone(),
                        property: prop.clone(),
                    });
                }
            }
        }
        Ok(registry)
    }

    /// The Rust type (a path, as source text) for an OpenAPI schema; inline
    /// schemas that need a named type get `name_hint`.
    pub fn type_of(
        &mut self,
        spec: &Spec,
        schema: &Value,
        name_hint: Option<String>,
        at: &str,
    ) -> Result<String, Refusal> {
        let parsed: schemars::schema::Schema = serde_json::from_value(crate::typify_input::relax(
            &to_json_schema(schema),
        ))
        .map_err(|e| {
            vec![Diagnostic::error(
                &spec.file,
                at,
                format!("the schema cannot be read as JSON Schema ({e})"),
                "correct the schema",
            )]
        })?;
        // An inline type must not take a component schema's name: typify would
        // silently reuse the component's type.
        let name_hint = name_hint.map(|hint| {
            if self.component_names.iter().any(|(_, rust)| *rust == hint) {
                format!("{hint}Inline")
            } else {
                hint
            }
        });
        let space = &mut self.space;
        let id = guarded(spec, at, Library::Typify, || {
            space
                .add_type_with_name(&parsed, name_hint.clone())
                .map_err(|e| e.to_string())
        })?;
        let ty = self.space.get_type(&id).map_err(|e| InternalError {
            doing: "looking up a type typify generated".into(),
            file: spec.file.clone(),
            pointer: Some(at.to_owned()),
            message: e.to_string(),
        })?;
        Ok(ty.ident().to_string().replace(' ', ""))
    }

    /// The fields whose absence and `null` differ.
    pub fn patch_fields(&self) -> &[PatchField] {
        &self.patch_fields
    }

    /// Component schema name → Rust type name in the types crate.
    pub fn component_names(&self) -> &[(String, String)] {
        &self.component_names
    }

    /// The types crate's source: typify's output plus the merge-patch rewrite.
    pub fn to_file(&self) -> Result<syn::File, String> {
        let tokens: TokenStream = self.space.to_stream();
        let mut file: syn::File =
            syn::parse2(tokens).map_err(|e| format!("typify output does not parse: {e}"))?;
        // The patch fields of each struct, by the struct's Rust name.
        let mut by_struct: std::collections::BTreeMap<&str, Vec<&PatchField>> = Default::default();
        for field in &self.patch_fields {
            let rust = self
                .component_names
                .iter()
                .find(|(schema, _)| *schema == field.schema)
                .map(|(_, rust)| rust.as_str());
            if let Some(rust) = rust {
                by_struct.entry(rust).or_default().push(field);
            }
        }
        for item in &mut file.items {
            if let syn::Item::Struct(s) = item {
                if let Some(props) = by_struct.get(s.ident.to_string().as_str()) {
                    rewrite_patch_struct(s, props);
                }
            }
        }
        if !self.patch_fields.is_empty() {
            let helper: syn::File = syn::parse_str(DOUBLE_OPTION).map_err(|e| e.to_string())?;
            file.items.extend(helper.items);
        }
        Ok(file)
    }

    /// How generated code names the types crate.
    pub fn crate_ident(&self) -> &str {
        &self.crate_ident
    }
}

/// Serde helper for merge-patch fields, appended to the types crate.
const DOUBLE_OPTION: &str = r#"
/// Serde support for JSON merge patch (RFC 7396) fields: an absent field is
/// `None`, an explicit `null` is `Some(None)`, a value is `Some(Some(v))`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `Some(None)` as `null` (`None` is skipped by the field attribute).
    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Called only when the field is present, so a `null` here means "clear".
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
"#;

fn rewrite_patch_struct(s: &mut syn::ItemStruct, props: &[&PatchField]) {
    let syn::Fields::Named(fields) = &mut s.fields else {
        return;
    };
    for field in &mut fields.named {
        let ident = field
            .ident
            .as_ref()
            .map(|i| i.to_string())
            .unwrap_or_default();
        let renamed = serde_rename(&field.attrs);
        let matches = props.iter().any(|p| {
            renamed.as_deref() == Some(p.property.as_str())
                || crate::names::snake(&p.property) == ident.trim_start_matches("r#")
        });
        if !matches {
            continue;
        }
        let ty = &field.ty;
        field.ty = syn::parse_quote!(::std::option::Option<#ty>);
        field.attrs.retain(|a| {
            !(a.path().is_ident("serde") && attr_text(a).contains("skip_serializing_if"))
        });
        field.attrs.push(syn::parse_quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = "crate::double_option")]));
    }
}

fn attr_text(a: &syn::Attribute) -> String {
    quote::quote!(#a).to_string()
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = attr_text(a);
            let start = text.find("rename = \"")? + "rename = \"".len();
            let rest = &text[start..];
            Some(rest[..rest.find('"')?].to_owned())
        })
}

/// The component schemas, as raw JSON.
pub fn component_schemas(spec: &Spec) -> Map<String, Value> {
    spec.raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Runs typify or progenitor code that may fail or panic on a schema at `at`.
/// An error it returns is the spec's construct being unsupported (a
/// diagnostic at `at`); a panic is a bug in it, reported as an internal error
/// naming `at` (panics unwind: no profile of codegen aborts on panic).
pub fn guarded<T>(
    spec: &Spec,
    at: &str,
    library: Library,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, Refusal> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Refusal::Spec(vec![Diagnostic::error(
            &spec.file,
            at,
            format!(
                "{} cannot generate {}: {e}",
                library.name(),
                library.output()
            ),
            "simplify this schema (plain objects, arrays, enums, $refs)",
        )])),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned());
            // One line, bounded: some panics print whole schemas.
            let mut message = message.split_whitespace().collect::<Vec<_>>().join(" ");
            if message.len() > 240 {
                let cut = (0..=240)
                    .rev()
                    .find(|i| message.is_char_boundary(*i))
                    .unwrap_or(0);
                message.truncate(cut);
                message.push('…');
            }
            Err(Refusal::Internal(InternalError {
                doing: format!("generating {}", library.output()),
                file: spec.file.clone(),
                pointer: Some(at.to_owned()).filter(|p| !p.is_empty()),
                message: format!("{} panicked: {message}", library.name()),
            }))
        }
    }
}

/// The library a [`guarded`] call runs.
#[derive(Debug, Clone, Copy)]
pub enum Library {
    Typify,
    Progenitor,
}

impl Library {
    fn name(self) -> &'static str {
        match self {
            Self::Typify => "typify",
            Self::Progenitor => "progenitor",
        }
    }

    fn output(self) -> &'static str {
        match self {
            Self::Typify => "the Rust type of this schema",
            Self::Progenitor => "the client",
        }
    }
}

/// Fault injection for the internal-error tests: with this variable set to a
/// component's name, typify "panics" on that schema, as it does on a construct
/// it cannot take (every such construct known is relaxed by `typify_input`,
/// so none is left to test the reporting with).
pub const INJECT_TYPIFY_PANIC: &str = "CODEGEN_INJECT_TYPIFY_PANIC";

/// typify's `add_ref_types`, its error as text.
fn add_ref_types(
    space: &mut TypeSpace,
    defs: Vec<(String, schemars::schema::Schema)>,
) -> Result<(), String> {
    if let Ok(name) = std::env::var(INJECT_TYPIFY_PANIC) {
        if defs.iter().any(|(n, _)| *n == name) {
            panic!("injected by {INJECT_TYPIFY_PANIC} on {name}");
        }
    }
    space.add_ref_types(defs).map_err(|e| e.to_string())
}

/// When the whole set fails, find the first schema that fails on its own (with
/// the others present), to name it in the diagnostic.
fn locate_bad_schema(
    spec: &Spec,
    defs: &[(String, schemars::schema::Schema)],
    crate_ident: &str,
) -> Option<Refusal> {
    for i in 0..defs.len() {
        let mut settings = TypeSpaceSettings::default();
        settings.with_type_mod(crate_ident);
        let mut space = TypeSpace::new(&settings);
        let without: Vec<_> = defs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, d)| d.clone())
            .collect();
        let ok_without = guarded(spec, "", Library::Typify, || {
            add_ref_types(&mut space, without)
        })
        .is_ok();
        if ok_without {
            let at = pointer(["components", "schemas", defs[i].0.as_str()]);
            let mut space = TypeSpace::new(&settings);
            return guarded(spec, &at, Library::Typify, || {
                add_ref_types(&mut space, defs.to_vec())
            })
            .err();
        }
    }
    None
}
