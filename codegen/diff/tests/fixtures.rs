//! The fixture pairs (`tests/fixtures/`): every pair gives exactly the
//! findings its `expected.yaml` lists (rule, severity, side, both pointers),
//! and together they cover every rule, the compatible changes that look
//! alarming, changes of many kinds at once, and evolutions of the accounts
//! spec. The rule table of `codegen/README.md` names every rule.

mod support;

use openapi_diff::{diff, Document, Rule, Severity};
use std::collections::BTreeSet;
use std::path::Path;
use support::fixtures::{actual, all, show, workspace_root};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_fixture_pair_gives_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for fixture in all(manifest_dir()) {
        let old = Document::from_value(&format!("{}/old", fixture.name), fixture.old.clone());
        let new = Document::from_value(&format!("{}/new", fixture.name), fixture.new.clone());
        let (old, new) = match (old, new) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                failures.push(format!(
                    "{}: refused: {:?} {:?}",
                    fixture.name,
                    old.err(),
                    new.err()
                ));
                continue;
            }
        };
        let report = diff(&old, &new);
        let got = actual(&report);
        let mut want = fixture.expectation.findings.clone();
        want.sort();
        if got != want {
            failures.push(format!(
                "{} ({}):\nexpected:\n{}got:\n{}",
                fixture.name,
                fixture.expectation.about,
                show(&want),
                show(&got)
            ));
        }
        // Backwards must not panic, and a document never differs from itself.
        let _ = diff(&new, &old);
        if !diff(&new, &new).is_empty() {
            failures.push(format!(
                "{}: the new document differs from itself",
                fixture.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_fixtures_cover_every_rule_and_every_kind_the_issue_asks_for() {
    let fixtures = all(manifest_dir());
    assert!(
        fixtures.len() >= 60,
        "only {} fixture pairs",
        fixtures.len()
    );

    let used: BTreeSet<&str> = fixtures
        .iter()
        .flat_map(|f| f.expectation.findings.iter().map(|e| e.rule.as_str()))
        .collect();
    let unused: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| !used.contains(id))
        .collect();
    assert!(unused.is_empty(), "rules no fixture shows: {unused:?}");
    let unknown: Vec<&&str> = used
        .iter()
        .filter(|id| Rule::from_id(id).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "expected.yaml names unknown rules: {unknown:?}"
    );
    for f in &fixtures {
        for e in &f.expectation.findings {
            assert!(
                Severity::from_id(&e.severity).is_some(),
                "{}: unknown severity {}",
                f.name,
                e.severity
            );
        }
    }

    let alarming: Vec<&str> = fixtures
        .iter()
        .filter(|f| f.expectation.alarming)
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        alarming.len() >= 10,
        "only {} alarming-but-compatible pairs: {alarming:?}",
        alarming.len()
    );
    for f in fixtures.iter().filter(|f| f.expectation.alarming) {
        let breaking = f
            .expectation
            .findings
            .iter()
            .any(|e| Severity::from_id(&e.severity).is_some_and(Severity::is_breaking));
        assert!(
            !breaking,
            "{}: marked alarming-but-compatible, yet it expects a breaking finding",
            f.name
        );
    }

    let many = fixtures
        .iter()
        .filter(|f| f.expectation.findings.len() >= 6)
        .count();
    assert!(many >= 3, "only {many} pairs with many changes at once");

    let accounts = fixtures
        .iter()
        .filter(|f| f.name.starts_with("accounts/"))
        .count();
    assert!(
        accounts >= 6,
        "only {accounts} evolutions of the accounts spec"
    );

    let families: BTreeSet<&str> = fixtures
        .iter()
        .filter_map(|f| f.name.split('/').next())
        .collect();
    for family in [
        "operations",
        "parameters",
        "request-bodies",
        "responses",
        "schemas",
        "components",
        "security",
        "many",
        "accounts",
    ] {
        assert!(families.contains(family), "no fixture family {family}");
    }
}

#[test]
fn the_readme_table_lists_every_rule() {
    let readme = workspace_root(manifest_dir()).join("codegen/README.md");
    let text = std::fs::read_to_string(&readme)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", readme.display()));
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| !text.lines().any(|l| l.starts_with(&format!("| `{id}` |"))))
        .collect();
    assert!(
        missing.is_empty(),
        "codegen/README.md has no table row for {missing:?}"
    );
}
