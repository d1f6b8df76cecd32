//! Operations: the cursor key rotates without breaking open listings. `listAccounts` reads the
//! secret's `AWSCURRENT` and `AWSPREVIOUS` versions from Secrets Manager (moto here), so a
//! cursor signed before a rotation is still accepted after it, and a rotation reaches a
//! running container once its keys are read again.

use std::time::Duration;

use accounts_lambdas::{LambdaAws, SecretsManagerCursorKey};
use accounts_service::cursor::{self, CursorKey};
use accounts_testkit::moto;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};

fn secrets_client() -> aws_sdk_secretsmanager::Client {
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .endpoint_url(moto::endpoint())
        .http_client(accounts_aws_http::https_client().expect("http client"))
        .build();
    aws_sdk_secretsmanager::Client::from_conf(config)
}

#[tokio::test]
async fn a_cursor_signed_before_a_rotation_is_accepted_after_it() {
    // The Lambda's client reads its endpoint and credentials from the environment, as in
    // Lambda (one test in this binary, so setting them is safe).
    std::env::set_var("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto::endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    let admin = secrets_client();
    let name = format!("cursor-{}", uuid_like());
    let first = "k".repeat(32);
    admin
        .create_secret()
        .name(&name)
        .secret_string(&first)
        .send()
        .await
        .expect("create the secret on moto");
    let source = SecretsManagerCursorKey::new(
        LambdaAws {
            region: "us-east-1".to_owned(),
        },
        accounts_aws_http::https_client().expect("http client"),
        name.clone(),
    )
    .with_ages(Duration::from_millis(300), Duration::from_millis(100));

    let keys = source.keys().await.expect("keys");
    assert_eq!(keys.current, first.as_bytes());
    assert_eq!(
        keys.previous, None,
        "no AWSPREVIOUS before the first rotation"
    );
    let token = account_store::PageToken::from_bytes(b"ddb1.{}".to_vec());
    let now = 1_800_000_000;
    let before = cursor::sign(&keys, &token, now).expect("sign");

    // Rotate: the new value becomes AWSCURRENT, the old one AWSPREVIOUS.
    let second = "n".repeat(40);
    admin
        .put_secret_value()
        .secret_id(&name)
        .secret_string(&second)
        .send()
        .await
        .expect("rotate");
    // Cached for max_age; then read again.
    assert_eq!(source.keys().await.expect("keys").current, first.as_bytes());
    tokio::time::sleep(Duration::from_millis(350)).await;
    let rotated = source.keys().await.expect("keys after the rotation");
    assert_eq!(rotated.current, second.as_bytes());
    assert_eq!(rotated.previous.as_deref(), Some(first.as_bytes()));
    assert_eq!(
        cursor::verify(&rotated, &before, now + 60),
        Ok(token.clone())
    );
    let after = cursor::sign(&rotated, &token, now).expect("sign");
    assert_ne!(after, before, "new cursors use the new key");
    assert_eq!(cursor::verify(&rotated, &after, now), Ok(token));
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    )
}
