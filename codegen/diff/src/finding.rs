//! The findings model: one change, where it is in both documents, what it
//! breaks; and the report that collects them in a stable order.

use crate::rules::Rule;
use serde::Serialize;
use std::fmt;

/// What a change breaks, most severe first (the derived order sorts that way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A client written against the old contract (any language, unchanged)
    /// sends requests the new one refuses, or meets responses the old one
    /// did not allow.
    WireBreaking,
    /// The wire stays compatible, but the generated Rust API (the types
    /// crate and the client crate) changes so that code using it may stop
    /// compiling: a type renamed, a field or argument that becomes an
    /// `Option`, an enum or `match` that gains a variant.
    RustApiBreaking,
    /// Nothing that used the old contract breaks.
    Compatible,
    /// Worth telling readers (a deprecation), but changes nothing.
    Informational,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Self::WireBreaking,
        Self::RustApiBreaking,
        Self::Compatible,
        Self::Informational,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::WireBreaking => "wire-breaking",
            Self::RustApiBreaking => "rust-api-breaking",
            Self::Compatible => "compatible",
            Self::Informational => "informational",
        }
    }

    /// The heading a report groups these findings under.
    pub fn heading(self) -> &'static str {
        match self {
            Self::WireBreaking => "Breaking on the wire",
            Self::RustApiBreaking => "Breaking the generated Rust API only",
            Self::Compatible => "Compatible",
            Self::Informational => "Informational",
        }
    }

    pub fn is_breaking(self) -> bool {
        matches!(self, Self::WireBreaking | Self::RustApiBreaking)
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The more severe of the two.
    pub fn worst(self, other: Self) -> Self {
        self.min(other)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Which way the data of a schema flows, which decides whether a tightening
/// or a loosening breaks (<https://www.oasdiff.com/docs/breaking-changes>'s
/// request/response distinction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// Clients write it, the server reads it: tightening breaks callers.
    Request,
    /// The server writes it, clients read it: loosening breaks readers.
    Response,
    /// A component schema no operation uses: only the generated type exists.
    Unreferenced,
}

impl Side {
    pub fn id(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Response => "response",
            Self::Unreferenced => "unreferenced",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Where the change sits in the old document (RFC 6901; for something
    /// added, the nearest place that exists there).
    pub old: String,
    /// The same in the new document.
    pub new: String,
    /// For schema findings: the side the schema was reached from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    pub message: String,
    /// The operations whose request or response reach this place
    /// (`operationId`, else `METHOD /path`), when a schema is shared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

/// Every finding of one comparison, most severe first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// Sorts into the stable report order: severity, then old and new
    /// pointer, then rule.
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            (a.severity, &a.old, &a.new, a.rule, a.side)
                .cmp(&(b.severity, &b.old, &b.new, b.rule, b.side))
        });
        Self { findings }
    }

    /// The most severe finding's severity; `None` when nothing changed.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).min()
    }

    /// Whether anything breaks, on the wire or in the generated Rust API.
    pub fn is_breaking(&self) -> bool {
        self.worst().is_some_and(Severity::is_breaking)
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The findings of one severity, in report order.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }
}
