//! The compiler enforces the contract: a handler crate missing one operation's
//! implementation does not compile (the generated `AccountsApi` needs them all).

#[test]
fn a_handler_missing_an_operation_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/missing_operation.rs");
}
