//! JSON Schema validators compiled at build time.
//!
//! `codegen` turns each parameter and body schema (draft 7, the dialect of
//! `codegen::schema_json`) into plain Rust functions, one per schema node, that
//! call the keyword checks of [`keywords`] in the order the `jsonschema` crate
//! evaluates them. So a Lambda carries no schema compiler and no regex
//! compiler beyond the ECMA-262 engine its types already use (`regress`), and
//! compiles nothing on its first request; the field errors (pointer, keyword,
//! message) are the ones `jsonschema` 0.61 reports for the same schema, which
//! the differential test (`codegen/differential`) checks on generated instances.

pub mod formats;
pub mod keywords;
mod numbers;

pub use numbers::Num;
pub use serde_json::Value;

/// A compiled schema node: adds a [`Finding`] per violation of `value` (which sits at `at`).
pub type Check = fn(&Value, &At<'_>, &mut Findings);

/// Where the checked value sits in the instance: a chain of steps kept on the
/// stack, written out as a JSON pointer only when a violation is reported.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The instance itself.
    pub const ROOT: At<'static> = At {
        parent: None,
        step: Step::Root,
    };

    /// The member `key` of the object here.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The element `index` of the array here.
    pub fn index(&'a self, index: usize) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    /// The RFC 6901 pointer of this place (`""` for the root).
    pub fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut here = Some(self);
        while let Some(at) = here {
            steps.push(at.step);
            here = at.parent;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => pointer = openapi_document::child(&pointer, key),
                Step::Index(index) => {
                    pointer = openapi_document::child(&pointer, &index.to_string())
                }
            }
        }
        pointer
    }
}

/// One violation: where (a JSON pointer into the instance), which keyword, and
/// `jsonschema`'s message for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub pointer: String,
    pub keyword: &'static str,
    pub message: String,
}

/// What a check found: every violation, or (probing for `anyOf`, `oneOf`,
/// `not`) only whether there was one, without formatting any message.
#[derive(Debug, Default)]
pub struct Findings {
    found: Vec<Finding>,
    probing: bool,
    failed: bool,
}

impl Findings {
    /// Collects every violation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `check` accepts `value` (at `at`), formatting nothing.
    pub fn accepts(check: Check, value: &Value, at: &At<'_>) -> bool {
        let mut probe = Findings {
            probing: true,
            ..Findings::default()
        };
        check(value, at, &mut probe);
        !probe.failed
    }

    /// Reports a violation of `keyword` by the value at `at`.
    pub fn report(&mut self, at: &At<'_>, keyword: &'static str, message: impl FnOnce() -> String) {
        self.report_at(|| at.pointer(), keyword, message);
    }

    /// Reports a violation at the pointer `pointer` computes.
    pub fn report_at(
        &mut self,
        pointer: impl FnOnce() -> String,
        keyword: &'static str,
        message: impl FnOnce() -> String,
    ) {
        self.failed = true;
        if !self.probing {
            self.found.push(Finding {
                pointer: pointer(),
                keyword,
                message: message(),
            });
        }
    }

    /// Whether anything was reported.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The violations, in the order they were found.
    pub fn into_vec(self) -> Vec<Finding> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_keys_and_count_indexes() {
        let root = At::ROOT;
        let a = root.key("a/b");
        let b = a.index(3);
        let c = b.key("~x");
        assert_eq!(root.pointer(), "");
        assert_eq!(c.pointer(), "/a~1b/3/~0x");
    }

    #[test]
    fn a_probe_formats_nothing() {
        fn fails(_: &Value, at: &At<'_>, out: &mut Findings) {
            out.report(at, "type", || unreachable!("a probe formats no message"));
        }
        assert!(!Findings::accepts(fails, &Value::Null, &At::ROOT));
    }
}
