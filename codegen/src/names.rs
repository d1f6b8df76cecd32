//! Names derived from the spec: one place decides how an operationId or a
//! parameter becomes a Rust, Lambda or Terraform name, so all outputs agree.

use heck::{ToKebabCase, ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that cannot be field or function names as they are.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "unsafe", "use", "where", "while", "yield", "box", "abstract", "become", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual",
];

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `snake_case`, safe as a Rust field or function name: a keyword gets a
/// trailing `_`, a leading digit an `n_`, and a name with no letter or
/// digit becomes `unnamed`.
pub fn snake(s: &str) -> String {
    let out = clean(s).to_snake_case();
    if out.is_empty() {
        "unnamed".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n_{out}")
    } else if KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// `PascalCase`, for types, traits and variants: a leading digit gets an
/// `N`, a name with no letter or digit becomes `Unnamed`.
pub fn pascal(s: &str) -> String {
    let out = clean(s).to_upper_camel_case();
    if out.is_empty() {
        "Unnamed".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{out}")
    } else {
        out
    }
}

/// `lowerCamelCase`, the manifest key and Terraform placeholder name.
pub fn lower_camel(s: &str) -> String {
    clean(s).to_lower_camel_case()
}

/// `kebab-case`, for Lambda binaries and function names.
pub fn kebab(s: &str) -> String {
    clean(s).to_kebab_case()
}

/// A header's Rust field: header names are case-insensitive words joined by
/// `-`, so `ETag` → `etag`, `X-Rate-Limit` → `x_rate_limit`.
pub fn header_field(name: &str) -> String {
    snake(
        &name
            .split('-')
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("_"),
    )
}

/// A crate name as Rust code refers to it (`accounts-types` → `accounts_types`).
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// The response enum variant for a status (`404` → `NotFound`).
pub fn status_variant(status: &str) -> String {
    let name = match status {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "NoContent",
        "301" => "MovedPermanently",
        "302" => "Found",
        "304" => "NotModified",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "409" => "Conflict",
        "410" => "Gone",
        "412" => "PreconditionFailed",
        "413" => "PayloadTooLarge",
        "415" => "UnsupportedMediaType",
        "422" => "UnprocessableEntity",
        "428" => "PreconditionRequired",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "default" => "Default",
        other => return format!("Status{}", other.to_ascii_lowercase()),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_with_spaces_and_dashes_become_identifiers() {
        assert_eq!(snake("find pets-by id"), "find_pets_by_id");
        assert_eq!(pascal("getMyAccount"), "GetMyAccount");
        assert_eq!(kebab("getMyAccount"), "get-my-account");
        assert_eq!(lower_camel("Get-Pets"), "getPets");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("1_property.value"), "n_1_property_value");
        assert_eq!(snake(":"), "unnamed");
        assert_eq!(pascal("3gpp"), "N3gpp");
    }

    #[test]
    fn statuses_have_readable_variants() {
        assert_eq!(status_variant("412"), "PreconditionFailed");
        assert_eq!(status_variant("4XX"), "Status4xx");
        assert_eq!(status_variant("299"), "Status299");
    }
}
