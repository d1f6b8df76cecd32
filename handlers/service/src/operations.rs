//! One trait implementation per operation. Failures travel by `?`: the store's
//! errors convert into `ApiError`s with their statuses (`account_store`'s one
//! `From` impl: 404, 409, 412, 422, 503), and each operation's generated error
//! enum takes the variant it declares for that status. Only answers that are
//! this API's own decisions are written here.

use crate::convert::{self, account, etag, if_match_version};
use crate::cursor;
use crate::{AccountsService, ADMIN_GROUP};
use account_store::{AccountRecord, IdempotencyClaim, StoreError};
use accounts_server::types::{AccountPage, Health, HealthStatus};
use accounts_server::*;

impl AccountsService {
    /// The account if the caller owns it or is an admin. To anyone else it
    /// does not exist (404, not 403), so that ids cannot be probed.
    async fn visible(&self, caller: &Caller, id: uuid::Uuid) -> Result<AccountRecord, ApiError> {
        let record = self.store.get(id).await?;
        if record.owner_sub == caller.sub || caller.in_group(ADMIN_GROUP) {
            Ok(record)
        } else {
            Err(StoreError::NotFound.into())
        }
    }
}

impl GetHealth for AccountsService {
    async fn get_health(&self, _: GetHealthRequest) -> Result<GetHealthResponse, GetHealthError> {
        self.store.health().await?;
        Ok(Health {
            status: HealthStatus::Ok,
            region: self.region.clone(),
        }
        .into())
    }
}

impl GetMyAccount for AccountsService {
    async fn get_my_account(
        &self,
        request: GetMyAccountRequest,
    ) -> Result<GetMyAccountResponse, GetMyAccountError> {
        let record = match self.store.get_by_owner(&request.caller.sub).await {
            Err(StoreError::NotFound) => {
                return Err(GetMyAccountError::NotFound(Problem::new(
                    "NOT_FOUND",
                    "You have no account yet; create it with POST /accounts.",
                )))
            }
            found => found?,
        };
        Ok(GetMyAccountResponse::Ok {
            etag: etag(record.version),
            body: account(&record)?,
        })
    }
}

impl CreateAccount for AccountsService {
    async fn create_account(
        &self,
        request: CreateAccountRequest,
    ) -> Result<CreateAccountResponse, CreateAccountError> {
        let claim = request
            .idempotency_key
            .as_ref()
            .map(|key| IdempotencyClaim {
                key: key.to_string(),
                fingerprint: convert::fingerprint(&request.body),
            });
        let new = convert::new_account(&request.caller.sub, &request.body);
        // A replay answers exactly as the first call did.
        let record = self.store.create(new, claim).await?.into_record();
        Ok(CreateAccountResponse::Created {
            location: format!("/accounts/{}", record.id),
            etag: etag(record.version),
            body: account(&record)?,
        })
    }
}

impl GetAccount for AccountsService {
    async fn get_account(
        &self,
        request: GetAccountRequest,
    ) -> Result<GetAccountResponse, GetAccountError> {
        let record = self.visible(&request.caller, request.account_id).await?;
        Ok(GetAccountResponse::Ok {
            etag: etag(record.version),
            body: account(&record)?,
        })
    }
}

impl UpdateAccount for AccountsService {
    async fn update_account(
        &self,
        request: UpdateAccountRequest,
    ) -> Result<UpdateAccountResponse, UpdateAccountError> {
        // The spec's pattern admits only quoted numbers, so this parses.
        let stale = |current| StoreError::VersionConflict { current };
        let expected = if_match_version(&request.if_match).ok_or(stale(0))?;
        let current = self.visible(&request.caller, request.account_id).await?;
        if current.version != expected {
            return Err(stale(current.version).into());
        }
        let changed = convert::apply_patch(current, &request.body);
        let record = self.store.replace(changed, expected).await?;
        Ok(UpdateAccountResponse::Ok {
            etag: etag(record.version),
            body: account(&record)?,
        })
    }
}

impl DeleteAccount for AccountsService {
    async fn delete_account(
        &self,
        request: DeleteAccountRequest,
    ) -> Result<DeleteAccountResponse, DeleteAccountError> {
        self.visible(&request.caller, request.account_id).await?;
        self.store.delete(request.account_id).await?;
        Ok(DeleteAccountResponse::NoContent)
    }
}

impl ListAccounts for AccountsService {
    async fn list_accounts(
        &self,
        request: ListAccountsRequest,
    ) -> Result<ListAccountsResponse, ListAccountsError> {
        if !request.caller.in_group(ADMIN_GROUP) {
            return Err(ListAccountsError::Forbidden(Problem::new(
                "FORBIDDEN",
                "Listing accounts needs the admin group.",
            )));
        }
        let key = self.cursor_key.key().await?;
        // A cursor this service did not sign is answered like a foreign page token.
        let after = match &request.cursor {
            None => None,
            Some(c) => Some(cursor::verify(&key, c).ok_or(StoreError::InvalidPageToken)?),
        };
        // The schema caps `limit` at 100, so it fits a u32.
        let limit = u32::try_from(request.limit.get()).unwrap_or(account_store::MAX_PAGE_SIZE);
        let email = request.email.as_ref().map(|e| e.to_string());
        let page = self.store.list(email.as_deref(), limit, after).await?;
        let items = page.items.iter().map(account).collect::<Result<_, _>>()?;
        let next_cursor = match &page.next {
            Some(token) => Some(cursor::sign(&key, token)?),
            None => None,
        };
        Ok(AccountPage { items, next_cursor }.into())
    }
}
