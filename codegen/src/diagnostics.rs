//! Problems found in a spec, each tied to a file and a JSON pointer so that the
//! API designer can go straight to it (`file: #/pointer: problem: fix`).

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code cannot be generated from the spec: `generate` refuses it.
    Error,
    /// The spec generates, but breaks an API Gateway import rule or one of ours:
    /// `lint` reports it.
    Lint,
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The spec file, as the user named it.
    pub file: String,
    /// RFC 6901 JSON pointer into the document (`""` is the whole document).
    pub pointer: String,
    pub problem: String,
    pub fix: String,
}

impl Diagnostic {
    pub fn error(
        file: &str,
        pointer: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer: pointer.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    pub fn lint(
        file: &str,
        pointer: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Lint,
            file: file.to_owned(),
            pointer: pointer.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: #{}: {}: {}",
            self.file, self.pointer, self.problem, self.fix
        )
    }
}

/// Builds JSON pointers (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(&segment.as_ref().replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// Appends one segment to an existing pointer.
pub fn child(parent: &str, segment: &str) -> String {
    format!("{parent}{}", pointer([segment]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(
            pointer(["paths", "/accounts/{id}", "get"]),
            "/paths/~1accounts~1{id}/get"
        );
        assert_eq!(child("/a", "x~y"), "/a/x~0y");
    }

    #[test]
    fn display_names_file_pointer_problem_and_fix() {
        let d = Diagnostic::error("spec.yaml", "/paths", "bad", "do this");
        assert_eq!(d.to_string(), "spec.yaml: #/paths: bad: do this");
    }
}
