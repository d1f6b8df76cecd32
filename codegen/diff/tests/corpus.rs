//! Every document of the shared corpus (`../shared/corpus`: the OpenAPI
//! Initiative's examples and real-world documents, YAML and JSON, 3.0 and
//! 3.1, up to Oxide's 430 kB Nexus API) against itself, against a copy with
//! its keys reversed (no change either), and against a mutated copy: no
//! panic, and every mutation reported under its rule.

mod support;

use openapi_diff::{diff, Document};
use std::path::{Path, PathBuf};
use support::corpus::documents;
use support::mutate::{mutate, reversed};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

#[test]
fn every_corpus_document_diffs_against_itself_and_a_mutated_copy() {
    let docs = documents(&corpus_dir());
    assert!(
        docs.len() >= 15,
        "expected the whole corpus, found {docs:?}"
    );
    let mut failures = Vec::new();
    let mut compared = 0;
    for path in &docs {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let old = match Document::parse(&name, &text) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        compared += 1;
        let same = diff(&old, &old);
        if !same.is_empty() {
            failures.push(format!("{name}: differs from itself: {:#?}", same.findings));
        }
        let shuffled = Document::from_value("reversed", reversed(&old.root)).unwrap();
        let shuffled_report = diff(&old, &shuffled);
        if !shuffled_report.is_empty() {
            failures.push(format!(
                "{name}: key order counted: {:#?}",
                shuffled_report.findings
            ));
        }
        let mut root = old.root.clone();
        let mutations = mutate(&mut root);
        if mutations.len() < 2 {
            failures.push(format!(
                "{name}: only {} mutation(s) applied",
                mutations.len()
            ));
        }
        let new = match Document::from_value("mutated", root) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{name}: the mutated copy is refused: {e}"));
                continue;
            }
        };
        let report = diff(&old, &new);
        for m in &mutations {
            if !report.findings.iter().any(|f| f.rule.id() == m.rule) {
                failures.push(format!(
                    "{name}: {} not reported as {}; got {:?}",
                    m.what,
                    m.rule,
                    report
                        .findings
                        .iter()
                        .map(|f| (f.rule.id(), &f.old, &f.new))
                        .collect::<Vec<_>>()
                ));
            }
        }
        if !report.is_breaking() {
            failures.push(format!("{name}: the mutations broke nothing?"));
        }
        // And backwards, which must not panic either.
        let _ = diff(&new, &old);
        // Every renderer on a real report.
        for text in [
            openapi_diff::render::human(&report, "a", "b"),
            openapi_diff::render::json(&report, "a", "b"),
            openapi_diff::render::markdown(&report, 3),
        ] {
            assert!(!text.is_empty());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documents:\n{}",
        failures.len(),
        docs.len(),
        failures.join("\n\n")
    );
    assert_eq!(compared, docs.len());
}
