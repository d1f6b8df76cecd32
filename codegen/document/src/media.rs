//! Media types (RFC 6838) as OpenAPI `content` maps key them.

/// The media type without parameters, lower-cased (`Application/JSON; charset=utf-8`
/// → `application/json`).
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a body of this media type is JSON: `application/json` or a
/// structured-syntax `+json` suffix (RFC 6839), such as
/// `application/merge-patch+json`.
pub fn is_json(media: &str) -> bool {
    let base = essence(media);
    base == "application/json" || base.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_json_suffixes_with_parameters() {
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("application/xml"));
        assert!(!is_json("text/plain"));
    }
}
