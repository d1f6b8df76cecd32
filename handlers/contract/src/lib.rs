//! Compile-time contract checks live in `tests/` (trybuild); this crate has no code.
