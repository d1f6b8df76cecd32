// A handler crate that implements every operation but `deleteAccount`: it must
// not compile, because serving the API needs the whole `AccountsApi`.
use accounts_server::*;

struct Partial;

impl GetHealth for Partial {
    async fn get_health(&self, _: GetHealthRequest) -> Result<GetHealthResponse, GetHealthError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}
impl GetMyAccount for Partial {
    async fn get_my_account(&self, _: GetMyAccountRequest) -> Result<GetMyAccountResponse, GetMyAccountError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}
impl CreateAccount for Partial {
    async fn create_account(&self, _: CreateAccountRequest) -> Result<CreateAccountResponse, CreateAccountError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}
impl ListAccounts for Partial {
    async fn list_accounts(&self, _: ListAccountsRequest) -> Result<ListAccountsResponse, ListAccountsError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}
impl GetAccount for Partial {
    async fn get_account(&self, _: GetAccountRequest) -> Result<GetAccountResponse, GetAccountError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}
impl UpdateAccount for Partial {
    async fn update_account(&self, _: UpdateAccountRequest) -> Result<UpdateAccountResponse, UpdateAccountError> {
        Err(ApiError::new(501, "NOT_IMPLEMENTED", "not yet").into())
    }
}

async fn serve(request: codegen_runtime::lambda_http::Request) {
    let _ = dispatch(&Partial, "getHealth", request).await;
}

fn main() {
    let _ = serve;
}
