//! The shared types crate's source.

use crate::model::Api;

/// Renders the types crate's module (`generated.rs`; `lib.rs` is [`super::crate_files`]).
pub fn emit(api: &Api, spec_file: &str) -> Result<String, String> {
    let mut file = api.types.to_file()?;
    file.attrs
        .push(syn::parse_quote!(#![allow(clippy::all, unused_imports, irrefutable_let_patterns)]));
    let _ = &api.title;
    Ok(super::rust_file(&super::rust_header(spec_file), &file))
}
