//! Three ways to show a report: for a person at a terminal (grouped, most
//! severe first), as JSON for tools, and as a Markdown changelog section.

use crate::finding::{Finding, Report, Severity};
use std::fmt::Write;

/// The one-line count, e.g. `1 wire-breaking, 2 compatible`.
pub fn summary(report: &Report) -> String {
    if report.is_empty() {
        return "no changes".into();
    }
    Severity::ALL
        .into_iter()
        .filter(|s| report.count(*s) > 0)
        .map(|s| format!("{} {}", report.count(s), s.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a finding is reached from, e.g. `request; createAccount, getAccount`.
fn context(f: &Finding) -> String {
    let mut parts = Vec::new();
    if let Some(side) = f.side {
        parts.push(side.id().to_owned());
    }
    if !f.operations.is_empty() {
        parts.push(f.operations.join(", "));
    }
    parts.join("; ")
}

/// The report for a terminal.
pub fn human(report: &Report, old_name: &str, new_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "API changes from {old_name} to {new_name}: {}",
        summary(report)
    );
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report.of(severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", severity.heading(), group.len());
        for f in group {
            let context = context(f);
            if context.is_empty() {
                let _ = writeln!(out, "  {}", f.rule);
            } else {
                let _ = writeln!(out, "  {} ({context})", f.rule);
            }
            let _ = writeln!(out, "    {}", f.message);
            let _ = writeln!(out, "    old: #{}", f.old);
            let _ = writeln!(out, "    new: #{}", f.new);
        }
    }
    out
}

/// The report as one JSON object: the documents, the verdict, counts per
/// severity, and every finding.
pub fn json(report: &Report, old_name: &str, new_name: &str) -> String {
    let counts: serde_json::Map<String, serde_json::Value> = Severity::ALL
        .into_iter()
        .map(|s| (s.id().to_owned(), report.count(s).into()))
        .collect();
    let value = serde_json::json!({
        "old": old_name,
        "new": new_name,
        "breaking": report.is_breaking(),
        "worst": report.worst(),
        "counts": counts,
        "findings": report.findings,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The findings as Markdown: one heading of `level` per severity, one list
/// item per finding (the body of a changelog entry).
pub fn markdown(report: &Report, level: usize) -> String {
    if report.is_empty() {
        return "No changes to the contract.\n".into();
    }
    let hashes = "#".repeat(level.clamp(1, 6));
    let mut out = String::new();
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report.of(severity).collect();
        if group.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{hashes} {}\n", severity.heading());
        for f in group {
            let context = context(f);
            let context = if context.is_empty() {
                String::new()
            } else {
                format!(" ({context})")
            };
            let place = if f.old == f.new {
                format!("`#{}`", f.old)
            } else {
                format!("`#{}` → `#{}`", f.old, f.new)
            };
            let _ = writeln!(out, "- `{}`{context}: {}. {place}", f.rule, f.message);
        }
    }
    out
}
