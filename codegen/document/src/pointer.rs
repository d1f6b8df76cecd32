//! RFC 6901 JSON pointers (<https://www.rfc-editor.org/rfc/rfc6901>): a
//! segment's `~` is written `~0` and its `/` is written `~1`; `""` is the whole
//! document.

use std::borrow::Cow;
use std::fmt;

/// One segment, escaped.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// One segment, unescaped (`~1` before `~0`, as RFC 6901 section 4 requires).
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The pointer made of `segments`.
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(&escape(segment.as_ref()));
    }
    out
}

/// `parent` with one more segment.
pub fn child(parent: &str, segment: &str) -> String {
    let mut out = String::with_capacity(parent.len() + segment.len() + 1);
    out.push_str(parent);
    out.push('/');
    out.push_str(&escape(segment));
    out
}

/// A pointer that grows and shrinks as a walk descends and returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses an already escaped pointer (`/paths/~1a/get`).
    pub fn parse(text: &str) -> Self {
        Self(text.to_owned())
    }

    /// This pointer with one more segment.
    pub fn child(&self, segment: &str) -> Self {
        Self(child(&self.0, segment))
    }

    /// Appends a segment in place.
    pub fn push(&mut self, segment: &str) {
        self.0.push('/');
        self.0.push_str(&escape(segment));
    }

    /// Removes the last segment; `false` at the root.
    pub fn pop(&mut self) -> bool {
        match self.0.rfind('/') {
            Some(i) => {
                self.0.truncate(i);
                true
            }
            None => false,
        }
    }

    /// The unescaped segments.
    pub fn segments(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.0.split('/').skip(1).map(unescape)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_escape_and_unescape_in_rfc_order() {
        assert_eq!(
            pointer(["paths", "/accounts/{id}", "get"]),
            "/paths/~1accounts~1{id}/get"
        );
        assert_eq!(child("/a", "x~y"), "/a/x~0y");
        // `~01` is `~1` unescaped, not `/`.
        assert_eq!(unescape("~01"), "~1");
        let p = Pointer::root().child("a/b").child("c~");
        assert_eq!(p.as_str(), "/a~1b/c~0");
        assert_eq!(p.segments().collect::<Vec<_>>(), ["a/b", "c~"]);
    }

    #[test]
    fn push_and_pop_mirror_each_other() {
        let mut p = Pointer::root();
        p.push("paths");
        p.push("/x");
        assert_eq!(p.as_str(), "/paths/~1x");
        assert!(p.pop());
        assert!(p.pop());
        assert!(!p.pop());
        assert_eq!(p.as_str(), "");
    }
}
