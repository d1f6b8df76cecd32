//! The `getHealth` Lambda.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), accounts_server::codegen_runtime::lambda_http::Error> {
    let service = accounts_lambdas::service().await?;
    accounts_server::run_get_health(service).await
}
