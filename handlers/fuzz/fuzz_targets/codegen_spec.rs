//! codegen's parse → check → generate on mutated specs, through the library API the CLI
//! uses. A spec is refused or generated, and a panic inside a library codegen calls is
//! reported as an internal error; a panic escaping `codegen::generate` is a crash.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static QUIET: Once = Once::new();
    // libFuzzer's hook aborts on every panic, caught or not; codegen catches the panics of
    // typify and progenitor on purpose, so only an escaping one may stop the run (below).
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Ok(dir) = tempfile::tempdir() else { return };
    let name = if data.first() == Some(&b'{') {
        "spec.json"
    } else {
        "spec.yaml"
    };
    let path = dir.path().join(name);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let result = std::panic::catch_unwind(|| codegen::generate(&path, name, Some("fuzzed")));
    if let Err(panic) = result {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        eprintln!("a panic escaped codegen::generate: {message}");
        std::process::abort();
    }
});
