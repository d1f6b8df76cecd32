//! The load floor: a bare hyper HTTP/1.1 server on the same tokio runtime
//! flavour as `accounts-local` (multi-threaded), answering every request with a
//! fixed JSON body the size of an account. Prints its URL and serves until killed.

use accounts_bench::serve::{loopback, respond, serve};

const BODY: &str = r#"{"id":"6f1c2b9e-8c1a-4d2e-9a57-2b3c4d5e6f70","ownerSub":"bench-user","email":"Bench@Example.com","displayName":"Bench User","locale":"en-CA","version":3,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z"}"#;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let listener = loopback().await?;
    println!("bare-hyper: serving http://{}", listener.local_addr()?);
    serve(listener, |_request| async {
        respond(200, "application/json", BODY)
    })
    .await;
    Ok(())
}
