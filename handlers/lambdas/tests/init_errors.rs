//! A function that cannot start says why in one line on stderr (Lambda logs it as the
//! init failure) and exits non-zero, before it ever polls the Runtime API.

use std::process::Command;

/// Runs get-health with only `env` (plus PATH) and returns (success, stderr).
fn start(env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_get-health"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // Nothing listens here: reaching the Runtime API would be a test failure too.
        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9")
        .env("AWS_REGION", "eu-west-1")
        .env("TABLE_NAME", "accounts")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn missing_credentials_are_named() {
    let (ok, stderr) = start(&[]);
    assert!(!ok);
    assert_eq!(
        stderr.trim(),
        "Error: environment variable AWS_ACCESS_KEY_ID is not set (these binaries run under a \
         Lambda Runtime API; `accounts-local` serves the API anywhere else)"
    );
}

#[test]
fn a_bad_ca_bundle_is_named() {
    let dir = std::env::temp_dir().join(format!("init-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("bundle.pem");
    std::fs::write(&bundle, "not a certificate\n").unwrap();
    let credentials = [
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];

    let path = bundle.to_string_lossy().into_owned();
    let (ok, stderr) = start(&[credentials[0], credentials[1], ("AWS_CA_BUNDLE", &path)]);
    assert!(!ok);
    assert_eq!(
        stderr.trim(),
        format!("Error: AWS_CA_BUNDLE={path}: no PEM certificate in it")
    );

    let missing = dir.join("missing.pem").to_string_lossy().into_owned();
    let (ok, stderr) = start(&[credentials[0], credentials[1], ("AWS_CA_BUNDLE", &missing)]);
    assert!(!ok);
    assert!(
        stderr.starts_with(&format!("Error: AWS_CA_BUNDLE={missing}: cannot read it:")),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
