//! The loopback fake DynamoDB / Secrets Manager endpoint on its own, for
//! running a Lambda binary by hand: prints its URL and serves until killed.
//! Point the SDK at it with `AWS_ENDPOINT_URL=<url>`.

use accounts_bench::fake_dynamodb::FakeDynamoDb;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let fake = FakeDynamoDb::start().await?;
    println!("fake-dynamodb: serving {}", fake.url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
