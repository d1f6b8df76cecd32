// A handler crate that implements every operation but `deleteAccount`: it must
// not compile, because serving the API needs the whole `AccountsApi`.
use accounts_server::*;

struct Partial;

impl GetHealth for Partial {
    async fn get_health(&self, _: GetHealthRequest) -> GetHealthResponse {
        todo!()
    }
}
impl GetMyAccount for Partial {
    async fn get_my_account(&self, _: GetMyAccountRequest) -> GetMyAccountResponse {
        todo!()
    }
}
impl CreateAccount for Partial {
    async fn create_account(&self, _: CreateAccountRequest) -> CreateAccountResponse {
        todo!()
    }
}
impl ListAccounts for Partial {
    async fn list_accounts(&self, _: ListAccountsRequest) -> ListAccountsResponse {
        todo!()
    }
}
impl GetAccount for Partial {
    async fn get_account(&self, _: GetAccountRequest) -> GetAccountResponse {
        todo!()
    }
}
impl UpdateAccount for Partial {
    async fn update_account(&self, _: UpdateAccountRequest) -> UpdateAccountResponse {
        todo!()
    }
}

async fn serve(request: codegen_runtime::lambda_http::Request) {
    let _ = dispatch(&Partial, "getHealth", request).await;
}

fn main() {
    let _ = serve;
}
