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

/// A bug in codegen, or in a library it calls (typify, progenitor), met while
/// generating from a spec: not the spec's fault, so it is never reported as a
/// problem in the spec. It names what was being generated and, where known,
/// the place in the spec that triggered it, for the bug report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error while {doing}{}: {message}", place(.file, .pointer))]
pub struct InternalError {
    /// What codegen was doing (`generating the type of a schema`).
    pub doing: String,
    pub file: String,
    /// The pointer of the construct being generated, if known.
    pub pointer: Option<String>,
    pub message: String,
}

fn place(file: &str, pointer: &Option<String>) -> String {
    match pointer {
        Some(p) => format!(" ({file}: #{p})"),
        None if file.is_empty() => String::new(),
        None => format!(" ({file})"),
    }
}

/// What to tell the user after an [`InternalError`].
pub const BUG_REPORT: &str = "this is a bug in codegen, not a problem in your spec; please report it with the spec attached (the construct named above is the place to start)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_name_what_was_generated_and_where() {
        let e = InternalError {
            doing: "generating the type of a schema".into(),
            file: "s.yaml".into(),
            pointer: Some("/components/schemas/A".into()),
            message: "typify panicked: not yet implemented".into(),
        };
        assert_eq!(
            e.to_string(),
            "internal error while generating the type of a schema (s.yaml: #/components/schemas/A): typify panicked: not yet implemented"
        );
    }

    #[test]
    fn display_names_file_pointer_problem_and_fix() {
        let d = Diagnostic::error("spec.yaml", "/paths", "bad", "do this");
        assert_eq!(d.to_string(), "spec.yaml: #/paths: bad: do this");
    }
}
