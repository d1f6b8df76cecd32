//! The `listAccounts` Lambda.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), accounts_server::codegen_runtime::lambda_http::Error> {
    let service = accounts_lambdas::listing_service().await?;
    accounts_server::run_list_accounts(service).await
}
