//! The state of one comparison: both documents, the findings so far
//! (deduplicated: a schema shared by ten operations changes once), and the
//! operation being compared, which labels what it reaches.

use crate::finding::{Finding, Severity, Side};
use crate::rules::Rule;
use openapi_document::refs::MAX_CHAIN;
use openapi_document::{resolve, unescape};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A value of a document and its pointer there.
#[derive(Debug, Clone)]
pub(crate) struct Located<'a> {
    pub value: &'a Value,
    pub at: String,
}

impl<'a> Located<'a> {
    pub fn new(value: &'a Value, at: impl Into<String>) -> Self {
        Self {
            value,
            at: at.into(),
        }
    }

    /// The member `key`, if present.
    pub fn member(&self, key: &str) -> Option<Located<'a>> {
        self.value
            .get(key)
            .map(|v| Located::new(v, openapi_document::child(&self.at, key)))
    }

    /// `self.at` with one more segment.
    pub fn child_at(&self, key: &str) -> String {
        openapi_document::child(&self.at, key)
    }

    pub fn str_member(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    pub fn bool_member(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool) == Some(true)
    }

    /// The entries of an object member, each located.
    pub fn entries(&self, key: &str) -> Vec<(&'a str, Located<'a>)> {
        let Some(map) = self.value.get(key).and_then(Value::as_object) else {
            return Vec::new();
        };
        let base = self.child_at(key);
        map.iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    Located::new(v, openapi_document::child(&base, k)),
                )
            })
            .collect()
    }

    /// The entries of this value itself, when it is an object.
    pub fn entries_self(&self) -> Vec<(&'a str, Located<'a>)> {
        let Some(map) = self.value.as_object() else {
            return Vec::new();
        };
        map.iter()
            .map(|(k, v)| (k.as_str(), Located::new(v, self.child_at(k))))
            .collect()
    }

    /// The items of an array member, each located.
    pub fn items(&self, key: &str) -> Vec<Located<'a>> {
        let Some(items) = self.value.get(key).and_then(Value::as_array) else {
            return Vec::new();
        };
        let base = self.child_at(key);
        items
            .iter()
            .enumerate()
            .map(|(i, v)| Located::new(v, openapi_document::child(&base, &i.to_string())))
            .collect()
    }
}

/// `value` with its `$ref` chain followed (pointers follow too); also the
/// component schema name when the last hop named one. A broken or cyclic
/// chain stops where it is (documents are checked on load, so only a cycle
/// of bare references gets here).
pub(crate) fn follow<'a>(root: &'a Value, start: Located<'a>) -> (Located<'a>, Option<String>) {
    let mut current = start;
    let mut component = None;
    for _ in 0..MAX_CHAIN {
        let Some(reference) = current.value.get("$ref").and_then(Value::as_str) else {
            return (current, component);
        };
        let Some(target) = resolve(root, reference) else {
            return (current, component);
        };
        let pointer = reference.trim_start_matches('#').to_owned();
        component = component_name(&pointer)
            .map(|name| unescape(name).into_owned())
            .or(component);
        current = Located::new(target, pointer);
    }
    (current, component)
}

/// `Name` for `/components/schemas/Name` (unescaped), else `None`.
pub(crate) fn component_name(pointer: &str) -> Option<&str> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then_some(rest)
}

/// `pointer`, or its nearest ancestor that exists in `root`: for something
/// added or removed, the place it would be on the other side.
fn nearest<'p>(root: &Value, mut pointer: &'p str) -> &'p str {
    while !pointer.is_empty() && root.pointer(pointer).is_none() {
        pointer = pointer.rfind('/').map_or("", |i| &pointer[..i]);
    }
    pointer
}

type FindingKey = (Rule, String, String, Option<Side>);

/// The findings so far and where the comparison is.
pub(crate) struct Ctx<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    findings: Vec<Finding>,
    index: HashMap<FindingKey, usize>,
    /// The operation whose parts are being compared (labels findings).
    operation: Option<String>,
    /// The findings of each subtree compared so far, so that a later visit
    /// of the same subtree from another operation only adds its label.
    frames: Vec<Vec<usize>>,
    /// Old component schema name → new, for schemas renamed unchanged.
    pub renames: BTreeMap<String, String>,
    /// The schema node pairs compared, per side and place, with the
    /// findings of their subtrees.
    pub schema_memo: HashMap<SchemaKey, Vec<usize>>,
    /// The schema node pairs compared on any side.
    pub compared_pairs: HashSet<(String, String)>,
}

/// Old node, new node, side, place.
pub(crate) type SchemaKey = (String, String, Side, crate::schemas::Place);

impl<'a> Ctx<'a> {
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Self {
            old,
            new,
            findings: Vec::new(),
            index: HashMap::new(),
            operation: None,
            frames: Vec::new(),
            renames: BTreeMap::new(),
            schema_memo: HashMap::new(),
            compared_pairs: HashSet::new(),
        }
    }

    /// Runs `f` with findings labelled by `operation`.
    pub fn in_operation(&mut self, operation: Option<String>, f: impl FnOnce(&mut Self)) {
        let before = std::mem::replace(&mut self.operation, operation);
        f(self);
        self.operation = before;
    }

    /// Records a finding (or merges it into the same one seen before: the
    /// worst severity wins and the current operation is added).
    pub fn emit(
        &mut self,
        rule: Rule,
        severity: Severity,
        old: &str,
        new: &str,
        side: Option<Side>,
        message: String,
    ) -> usize {
        let (old, new) = (nearest(self.old, old), nearest(self.new, new));
        let key = (rule, old.to_owned(), new.to_owned(), side);
        let i = match self.index.get(&key) {
            Some(&i) => {
                let f = &mut self.findings[i];
                f.severity = f.severity.worst(severity);
                i
            }
            None => {
                self.findings.push(Finding {
                    rule,
                    severity,
                    old: old.to_owned(),
                    new: new.to_owned(),
                    side,
                    message,
                    operations: Vec::new(),
                });
                let i = self.findings.len() - 1;
                self.index.insert(key, i);
                i
            }
        };
        self.label(i);
        if let Some(frame) = self.frames.last_mut() {
            frame.push(i);
        }
        i
    }

    fn label(&mut self, i: usize) {
        if let Some(op) = &self.operation {
            let ops = &mut self.findings[i].operations;
            if !ops.contains(op) {
                ops.push(op.clone());
            }
        }
    }

    /// Starts collecting the findings of a subtree.
    pub fn open_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    /// Ends the subtree started by [`Ctx::open_frame`]; its findings also
    /// belong to the enclosing subtree.
    pub fn close_frame(&mut self) -> Vec<usize> {
        let frame = self.frames.pop().unwrap_or_default();
        if let Some(parent) = self.frames.last_mut() {
            parent.extend(&frame);
        }
        frame
    }

    /// A subtree compared before is reached again: label its findings with
    /// the current operation and count them in the enclosing subtree.
    pub fn revisit(&mut self, findings: &[usize]) {
        for &i in findings {
            self.label(i);
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.extend(findings);
        }
    }

    /// The severity of a finding recorded earlier.
    pub fn severity_of(&self, i: usize) -> Severity {
        self.findings[i].severity
    }

    /// Raises a finding recorded earlier to `severity`, appending `why`.
    pub fn escalate(&mut self, i: usize, severity: Severity, why: &str) {
        let f = &mut self.findings[i];
        if severity < f.severity {
            f.severity = severity;
            f.message.push_str(why);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
