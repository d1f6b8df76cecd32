//! Path templates (`/accounts/{accountId}`,
//! <https://spec.openapis.org/oas/v3.0.3#path-templating>).

/// The names of the `{name}` segments, in order. A segment that mixes a
/// parameter with text (`{name}.json`) is not one of them; see
/// [`mixed_segments`].
pub fn template_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .filter(|name| !name.contains(['{', '}']))
        .collect()
}

/// The segments that hold a parameter but are not exactly one `{name}`.
pub fn mixed_segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| s.contains('{'))
        .filter(|s| !(s.starts_with('{') && s.ends_with('}') && s.matches('{').count() == 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_segments_are_parameters_and_mixed_ones_are_reported() {
        assert_eq!(template_params("/a/{id}/b/{x}"), ["id", "x"]);
        assert_eq!(mixed_segments("/files/{name}.json/{id}"), ["{name}.json"]);
        assert!(template_params("/files/{name}.json").is_empty());
    }
}
