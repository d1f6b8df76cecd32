//! The validators codegen compiles (`codegen::emit::validators`, checks of
//! `codegen_runtime::validation`) against runtime `jsonschema` (draft 7 with
//! formats and OpenAPI's `uuid`, as `codegen_runtime::schema` ran it before):
//! for every parameter and body schema of the accounts spec, the round-trip
//! constructs spec and the corpus documents codegen generates, thousands of
//! instances (generated from the schema, then mutated, plus arbitrary JSON)
//! must get the same field errors (pointer, keyword, message, in order) from
//! both. The compiled side runs as it ships: the module codegen emits, built
//! into a small binary against `codegen-runtime`, through `Schema::validate`
//! and `Schema::accepts`. Any disagreement fails with the schema and the
//! instance printed.

mod support;

use codegen::emit::validators::{schemas, Validators, MODULE};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::{repo_root, shared_dir, temp_dir};

/// Instances per schema.
const INSTANCES: usize = 2_000;

/// One schema under test.
struct Case {
    /// `spec: operation_field`.
    label: String,
    text: String,
    schema: Value,
    /// The compiled check's path in the test binary.
    check: String,
}

/// The specs whose schemas are compared: ours, the round-trip constructs, and
/// every corpus document that codegen models (the others are refused, which
/// `tests/corpus.rs` covers).
fn specs() -> Vec<PathBuf> {
    let repo = repo_root();
    let mut specs = vec![
        repo.join("spec/accounts.yaml"),
        repo.join("codegen/roundtrip/constructs.yaml"),
    ];
    let corpus = shared_dir().join("corpus");
    assert!(
        corpus.is_dir(),
        "the corpus {} is missing (it sits beside the repository here and in CI)",
        corpus.display()
    );
    let mut stack = vec![corpus];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    specs.extend(found);
    specs
}

/// Compiles every schema of every spec into one module; the cases and the module.
fn compile() -> (Vec<Case>, String) {
    let mut validators = Validators::new();
    let mut cases = Vec::new();
    for spec_path in specs() {
        let Ok((spec, _)) = codegen::load_checked(&spec_path) else {
            continue;
        };
        let Ok(api) = codegen::model::build(&spec, "types") else {
            continue;
        };
        let stem = spec_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("spec")
            .to_owned();
        for (hint, text) in schemas(&api) {
            let name = validators
                .add(&format!("{stem}_{hint}"), text)
                .unwrap_or_else(|e| panic!("{}: {hint}: {e}", spec_path.display()));
            let check = match name.strip_prefix("k::") {
                Some(keyword) => format!("codegen_runtime::validation::keywords::{keyword}"),
                None => format!("{MODULE}::{name}"),
            };
            let schema: Value = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("{hint}: schema is not JSON: {e}"));
            cases.push(Case {
                label: format!("{}: {hint}", spec_path.display()),
                text: text.to_owned(),
                schema,
                check,
            });
        }
    }
    (cases, validators.module(MODULE))
}

/// Builds the binary that validates `index<TAB>instance` lines with the compiled checks.
fn build_checker(dir: &Path, cases: &[Case], module: &str) -> PathBuf {
    let runtime = repo_root().join("codegen/runtime");
    let checks: String = cases
        .iter()
        .map(|c| format!("    {},\n", c.check))
        .collect();
    std::fs::create_dir_all(dir.join("src")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"differential-checker\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\ncodegen-runtime = {{ path = {:?} }}\nserde_json = {{ version = \"1\", features = [\"float_roundtrip\", \"preserve_order\"] }}\n",
            runtime.display().to_string()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("src/main.rs"),
        format!(
            r#"#![allow(dead_code, clippy::all)]
use std::io::{{BufRead, Write}};

{module}

static CHECKS: &[codegen_runtime::validation::Check] = &[
{checks}];

fn main() {{
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {{
        let line = line.expect("stdin");
        let (index, text) = line.split_once('\t').expect("index<TAB>instance");
        let value: serde_json::Value = serde_json::from_str(text).expect("instance");
        let schema = codegen_runtime::Schema::new(CHECKS[index.parse::<usize>().expect("index")]);
        let mut errors = codegen_runtime::FieldErrors::new();
        schema.validate(&value, "", &mut errors);
        let errors: Vec<[&str; 3]> = errors
            .as_slice()
            .iter()
            .map(|f| [f.field.as_str(), f.code.as_str(), f.message.as_str()])
            .collect();
        let answer = serde_json::json!({{"accepts": schema.accepts(&value), "errors": errors}});
        writeln!(out, "{{answer}}").expect("stdout");
    }}
}}
"#
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The repository's exact versions (no registry access needed). serde_json reads
    // numbers and keeps members as this test process does (its features unified with
    // codegen's), so that both sides validate the same instance.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("cannot copy Cargo.lock: {e}"));
    let target = repo_root().join("target").join("differential");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(&cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    assert!(
        out.status.success(),
        "the compiled validators do not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("debug").join("differential-checker")
}

/// Runtime `jsonschema`, configured as `codegen_runtime::schema` configured it
/// before validators were compiled, and its errors named the same way.
fn runtime_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<[String; 3]> {
    validator
        .iter_errors(value)
        .map(|error| {
            let mut pointer = error.instance_path().to_string();
            // Name the property itself, not the object holding it.
            match error.kind() {
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    if let Some(p) = property.as_str() {
                        pointer = openapi_document::child(&pointer, p);
                    }
                }
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected }
                    if unexpected.len() == 1 =>
                {
                    pointer = openapi_document::child(&pointer, &unexpected[0]);
                }
                _ => {}
            }
            if pointer.is_empty() {
                pointer = "/".to_owned();
            }
            [
                pointer,
                error.kind().keyword().to_owned(),
                error.to_string(),
            ]
        })
        .collect()
}

fn runtime_validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format("uuid", is_uuid)
        .build(schema)
        .unwrap_or_else(|e| panic!("jsonschema refuses {schema}: {e}"))
}

/// RFC 4122 textual form: 8-4-4-4-12 hex digits (the format the runtime registered).
fn is_uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Makes instances of one schema: generated to satisfy it (as far as a
/// generator without a regex inverter can), mutated near it, or arbitrary.
struct Generator<'a> {
    root: &'a Value,
    rng: StdRng,
}

/// Strings that exercise the formats and patterns the specs use, valid and not.
const STRINGS: &[&str] = &[
    "",
    "a",
    "é",
    "😀😀",
    "abc",
    "Bench User",
    "a@example.com",
    "user.name+tag@example.co.uk",
    "not-an-email",
    "a@b",
    "@example.com",
    "6f1c2b9e-8c1a-4d2e-9a57-2b3c4d5e6f70",
    "6F1C2B9E-8C1A-4D2E-9A57-2B3C4D5E6F70",
    "6f1c2b9e8c1a4d2e9a572b3c4d5e6f70",
    "2026-01-02",
    "2026-02-30",
    "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05.123+01:00",
    "2026-01-02 03:04:05",
    "03:04:05Z",
    "https://example.com/a?b=c",
    "/relative/path",
    "example.com",
    "-bad-.host",
    "192.168.0.1",
    "256.1.1.1",
    "::1",
    "/a/b~1c",
    "0/a",
    "en-CA",
    "fr",
    "en_CA",
    "0",
    "-1",
    "1.5",
    "true",
    "null",
    "dW5pY29kZQ==",
    "\u{0}",
    "   ",
    "x\ny",
];

impl<'a> Generator<'a> {
    fn new(root: &'a Value, seed: u64) -> Self {
        Self {
            root,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Follows a local `$ref` (the schemas are self-contained).
    fn resolve(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                    Some(target) => node = target,
                    None => return node,
                },
                None => return node,
            }
        }
        node
    }

    fn pick<'v, T>(&mut self, items: &'v [T]) -> &'v T {
        &items[self.rng.gen_range(0..items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    /// A value meant to satisfy `node`.
    fn valid(&mut self, node: &'a Value, depth: usize) -> Value {
        let node = self.resolve(node);
        let Some(o) = node.as_object() else {
            return self.arbitrary(depth);
        };
        if let Some(Value::Array(options)) = o.get("enum") {
            if !options.is_empty() {
                return self.pick(options).clone();
            }
        }
        if let Some(c) = o.get("const") {
            return c.clone();
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = o.get(combinator) {
                if !branches.is_empty() && depth < 6 {
                    let branch = self.pick(branches);
                    return self.valid(branch, depth + 1);
                }
            }
        }
        if let Some(Value::Array(branches)) = o.get("allOf") {
            if !branches.is_empty() && depth < 6 {
                let mut merged = Map::new();
                for b in branches {
                    if let Value::Object(part) = self.valid(b, depth + 1) {
                        merged.extend(part);
                    }
                }
                if !merged.is_empty() {
                    return Value::Object(merged);
                }
            }
        }
        let kind = match o.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(ts)) if !ts.is_empty() => {
                self.pick(ts).as_str().unwrap_or("null").to_owned()
            }
            _ if o.contains_key("properties") || o.contains_key("required") => "object".into(),
            _ if o.contains_key("items") => "array".into(),
            _ if o.contains_key("pattern") || o.contains_key("format") => "string".into(),
            _ if o.contains_key("minimum") || o.contains_key("maximum") => "number".into(),
            _ => return self.arbitrary(depth),
        };
        match kind.as_str() {
            "object" => self.object(o, depth),
            "array" => self.array(o, depth),
            "string" => self.string(o),
            "integer" | "number" => self.number(o, kind == "integer"),
            "boolean" => json!(self.chance(0.5)),
            _ => Value::Null,
        }
    }

    fn object(&mut self, o: &'a Map<String, Value>, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = o
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(properties)) = o.get("properties") {
            for (name, schema) in properties {
                if (required.contains(&name.as_str()) || self.chance(0.6)) && depth < 8 {
                    out.insert(name.clone(), self.valid(schema, depth + 1));
                }
            }
        }
        for name in &required {
            if !out.contains_key(*name) {
                let v = self.arbitrary(depth + 1);
                out.insert((*name).to_owned(), v);
            }
        }
        if let Some(extra @ Value::Object(_)) = o.get("additionalProperties") {
            for i in 0..self.rng.gen_range(0..3) {
                out.insert(format!("extra{i}"), self.valid(extra, depth + 1));
            }
        }
        Value::Object(out)
    }

    fn array(&mut self, o: &'a Map<String, Value>, depth: usize) -> Value {
        let min = o.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = o
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(min + 3, |m| (m as usize).min(min + 5));
        let n = self.rng.gen_range(min..=max.max(min));
        let items = o.get("items");
        Value::Array(
            (0..n)
                .map(|_| match items {
                    Some(schema) if depth < 8 => self.valid(schema, depth + 1),
                    _ => self.arbitrary(depth + 1),
                })
                .collect(),
        )
    }

    fn string(&mut self, o: &'a Map<String, Value>) -> Value {
        let format = o.get("format").and_then(Value::as_str);
        let example = ["example", "default"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str));
        let by_format = match format {
            Some("email") => Some("someone@example.com"),
            Some("uuid") => Some("6f1c2b9e-8c1a-4d2e-9a57-2b3c4d5e6f70"),
            Some("date-time") => Some("2026-01-02T03:04:05Z"),
            Some("date") => Some("2026-01-02"),
            Some("time") => Some("03:04:05Z"),
            Some("uri") => Some("https://example.com/x"),
            Some("hostname") => Some("example.com"),
            Some("ipv4") => Some("10.0.0.1"),
            Some("ipv6") => Some("2001:db8::1"),
            _ => None,
        };
        if let Some(s) = by_format.or(example) {
            if self.chance(0.8) {
                return json!(s);
            }
        }
        let min = o.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = o
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(min + 12, |m| (m as usize).min(min + 40));
        if self.chance(0.3) {
            return json!(*self.pick(STRINGS));
        }
        let n = self.rng.gen_range(min..=max.max(min));
        let alphabet: &[char] = &['a', 'Z', '0', '-', '_', '.', ' ', 'é', '😀', '/'];
        let s: String = (0..n).map(|_| *self.pick(alphabet)).collect();
        json!(s)
    }

    fn number(&mut self, o: &'a Map<String, Value>, integer: bool) -> Value {
        let min = o
            .get("minimum")
            .and_then(Value::as_f64)
            .or_else(|| o.get("exclusiveMinimum").and_then(Value::as_f64))
            .unwrap_or(-1000.0);
        let max = o
            .get("maximum")
            .and_then(Value::as_f64)
            .or_else(|| o.get("exclusiveMaximum").and_then(Value::as_f64))
            .unwrap_or(min.max(0.0) + 1000.0);
        let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
        let pick = match self.rng.gen_range(0..4) {
            0 => lo,
            1 => hi,
            _ if (hi - lo).is_finite() => self.rng.gen_range(lo..=hi),
            _ => lo,
        };
        if integer {
            let i = pick.round().clamp(-9.0e15, 9.0e15) as i64;
            match o.get("multipleOf").and_then(Value::as_i64) {
                Some(m) if m > 0 => json!(i - i.rem_euclid(m)),
                _ => json!(i),
            }
        } else {
            json!(pick)
        }
    }

    /// Any JSON value, small.
    fn arbitrary(&mut self, depth: usize) -> Value {
        let limit = if depth > 3 { 6 } else { 8 };
        match self.rng.gen_range(0..limit) {
            0 => Value::Null,
            1 => json!(self.chance(0.5)),
            2 => json!(self.rng.gen_range(-5i64..=200)),
            3 => json!([0.5, -0.0, 1e300, 2.0, -7.25, 1.0e-7][self.rng.gen_range(0..6)]),
            4 | 5 => json!(*self.pick(STRINGS)),
            6 => Value::Array(
                (0..self.rng.gen_range(0..3))
                    .map(|_| self.arbitrary(depth + 1))
                    .collect(),
            ),
            _ => {
                let mut m = Map::new();
                for _ in 0..self.rng.gen_range(0..3) {
                    let key = (*self.pick(&["id", "email", "displayName", "x", "locale", "name"]))
                        .to_owned();
                    m.insert(key, self.arbitrary(depth + 1));
                }
                Value::Object(m)
            }
        }
    }

    /// `value` with one change somewhere: a member dropped or added, a value
    /// swapped for an arbitrary one, a string or number nudged past a bound.
    fn mutate(&mut self, value: &mut Value, depth: usize) {
        let descend = depth < 6 && self.chance(0.6);
        match value {
            Value::Object(m) if descend && !m.is_empty() => {
                let keys: Vec<String> = m.keys().cloned().collect();
                let key = self.pick(&keys).clone();
                if let Some(child) = m.get_mut(&key) {
                    self.mutate(child, depth + 1);
                }
                return;
            }
            Value::Array(items) if descend && !items.is_empty() => {
                let i = self.rng.gen_range(0..items.len());
                self.mutate(&mut items[i], depth + 1);
                return;
            }
            _ => {}
        }
        let choice = self.rng.gen_range(0..4);
        match value {
            Value::Object(m) if choice == 0 && !m.is_empty() => {
                let keys: Vec<String> = m.keys().cloned().collect();
                let key = self.pick(&keys).clone();
                m.remove(&key);
            }
            Value::Object(m) if choice == 1 => {
                let v = self.arbitrary(depth + 1);
                let key = *self.pick(&["unexpected", "id", "email", "a/b", "~x"]);
                m.insert(key.to_owned(), v);
            }
            Value::Array(items) if choice == 0 && !items.is_empty() => {
                let first = items[0].clone();
                items.push(first);
            }
            Value::Array(items) if choice == 1 => items.clear(),
            Value::String(s) if choice == 0 => {
                let tail = *self.pick(&["x", "😀", " ", "@", "-"]);
                s.push_str(tail);
            }
            Value::String(s) if choice == 1 => {
                let keep = s.chars().count() / 2;
                *s = s.chars().take(keep).collect();
            }
            Value::Number(n) if choice == 0 => {
                let nudged = match n.as_i64() {
                    Some(i) => json!(i.saturating_add(self.rng.gen_range(-2..=2))),
                    None => json!(n.as_f64().unwrap_or(0.0) + 0.5),
                };
                *value = nudged;
            }
            other => *other = self.arbitrary(depth + 1),
        }
    }
}

#[test]
fn compiled_validators_agree_with_runtime_jsonschema() {
    let (cases, module) = compile();
    assert!(
        cases.len() >= 20,
        "too few schemas were compiled ({}): are the specs there?",
        cases.len()
    );
    let tmp = temp_dir();
    let checker = build_checker(&tmp.path().join("checker"), &cases, &module);

    let mut instances: Vec<(usize, Value)> = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let mut generator = Generator::new(&case.schema, 0x5eed_0000 + index as u64);
        for i in 0..INSTANCES {
            let mut value = generator.valid(&case.schema, 0);
            match i % 4 {
                0 => {}
                1 | 2 => generator.mutate(&mut value, 0),
                _ => value = generator.arbitrary(0),
            }
            instances.push((index, value));
        }
    }
    let input: String = instances
        .iter()
        .map(|(i, v)| format!("{i}\t{v}\n"))
        .collect();
    let mut child = Command::new(&checker)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", checker.display()));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    writer
        .join()
        .unwrap_or_else(|_| panic!("writer panicked"))
        .unwrap_or_else(|e| panic!("cannot feed the checker: {e}"));
    assert!(
        out.status.success(),
        "the checker failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(answers.len(), instances.len(), "one answer per instance");

    let validators: Vec<jsonschema::Validator> =
        cases.iter().map(|c| runtime_validator(&c.schema)).collect();
    let mut disagreements = Vec::new();
    let (mut valid, mut invalid) = (0usize, 0usize);
    for ((index, value), answer) in instances.iter().zip(&answers) {
        let expected = runtime_errors(&validators[*index], value);
        let compiled: Vec<[String; 3]> = serde_json::from_value(answer["errors"].clone())
            .unwrap_or_else(|e| panic!("{e}: {answer}"));
        let accepts = answer["accepts"].as_bool() == Some(true);
        if expected.is_empty() {
            valid += 1;
        } else {
            invalid += 1;
        }
        if compiled != expected || accepts != expected.is_empty() {
            let case = &cases[*index];
            disagreements.push(format!(
                "{}\n  schema:   {}\n  instance: {value}\n  jsonschema: {expected:?}\n  compiled:   {compiled:?} (accepts: {accepts})",
                case.label, case.text
            ));
        }
    }
    eprintln!(
        "differential: {} schemas, {} instances ({valid} valid, {invalid} invalid), {} disagreements",
        cases.len(),
        instances.len(),
        disagreements.len()
    );
    assert!(
        valid > instances.len() / 10 && invalid > instances.len() / 10,
        "the instances should be both valid and invalid in number: {valid} valid, {invalid} invalid"
    );
    assert!(
        disagreements.is_empty(),
        "{} instance(s) where the compiled validator and jsonschema disagree; the first ones:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
