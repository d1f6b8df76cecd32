//! One trait implementation per operation. Each maps store outcomes to the
//! operation's declared responses; a store failure is logged once, with its
//! cause, and answered 503 (the region's health check fails the same way).

use crate::convert::{self, account, etag, if_match_version};
use crate::cursor;
use crate::errors::{error, Code};
use crate::{AccountsService, ADMIN_GROUP};
use account_store::{AccountRecord, CreateOutcome, IdempotencyClaim, StoreError};
use accounts_server::types::{AccountPage, Health, HealthStatus};
use accounts_server::*;

/// The outcome of looking up an account on behalf of a caller.
enum Visible {
    Yes(AccountRecord),
    No,
    Failed(String),
}

impl AccountsService {
    /// The account if the caller owns it or is an admin; otherwise it does not exist.
    async fn visible(&self, caller: &Caller, id: uuid::Uuid) -> Visible {
        match self.store.get(id).await {
            Ok(r) if r.owner_sub == caller.sub || caller.in_group(ADMIN_GROUP) => Visible::Yes(r),
            Ok(_) | Err(StoreError::NotFound) => Visible::No,
            Err(e) => Visible::Failed(unavailable(&e)),
        }
    }
}

/// Logs a store failure once and gives the message for the 503 body.
fn unavailable(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        cause.push_str(": ");
        cause.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %cause, "account store failed");
    "The account store is unavailable; retry later.".to_owned()
}

const NOT_FOUND: &str = "No such account.";

impl GetHealth for AccountsService {
    async fn get_health(&self, request: GetHealthRequest) -> GetHealthResponse {
        match self.store.health().await {
            Ok(()) => GetHealthResponse::Ok(Health {
                status: HealthStatus::Ok,
                region: self.region.clone(),
            }),
            Err(e) => GetHealthResponse::ServiceUnavailable(error(
                &request.meta,
                Code::Unavailable,
                &unavailable(&e),
            )),
        }
    }
}

impl GetMyAccount for AccountsService {
    async fn get_my_account(&self, request: GetMyAccountRequest) -> GetMyAccountResponse {
        let meta = &request.meta;
        match self.store.get_by_owner(&request.caller.sub).await {
            Ok(r) => match account(&r) {
                Ok(body) => GetMyAccountResponse::Ok {
                    etag: etag(r.version),
                    body,
                },
                Err(e) => GetMyAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                )),
            },
            Err(StoreError::NotFound) => GetMyAccountResponse::NotFound(error(
                meta,
                Code::NotFound,
                "You have no account yet; create it with POST /accounts.",
            )),
            Err(e) => GetMyAccountResponse::ServiceUnavailable(error(
                meta,
                Code::Unavailable,
                &unavailable(&e),
            )),
        }
    }
}

impl CreateAccount for AccountsService {
    async fn create_account(&self, request: CreateAccountRequest) -> CreateAccountResponse {
        let meta = &request.meta;
        let claim = request
            .idempotency_key
            .as_ref()
            .map(|key| IdempotencyClaim {
                key: key.to_string(),
                fingerprint: convert::fingerprint(&request.body),
            });
        let outcome = self
            .store
            .create(
                convert::new_account(&request.caller.sub, &request.body),
                claim,
            )
            .await;
        match outcome {
            Ok(CreateOutcome::Created(r) | CreateOutcome::Replayed(r)) => match account(&r) {
                Ok(body) => CreateAccountResponse::Created {
                    location: format!("/accounts/{}", r.id),
                    etag: etag(r.version),
                    body,
                },
                Err(e) => CreateAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                )),
            },
            Err(StoreError::AlreadyExists) => CreateAccountResponse::Conflict(error(
                meta,
                Code::AccountExists,
                "You already have an account; GET /accounts/me returns it.",
            )),
            Err(StoreError::IdempotencyConflict) => {
                CreateAccountResponse::UnprocessableEntity(error(
                    meta,
                    Code::IdempotencyKeyReused,
                    "This Idempotency-Key was used with a different request body; use a new key.",
                ))
            }
            Err(e) => CreateAccountResponse::ServiceUnavailable(error(
                meta,
                Code::Unavailable,
                &unavailable(&e),
            )),
        }
    }
}

impl GetAccount for AccountsService {
    async fn get_account(&self, request: GetAccountRequest) -> GetAccountResponse {
        let meta = &request.meta;
        match self.visible(&request.caller, request.account_id).await {
            Visible::Yes(r) => match account(&r) {
                Ok(body) => GetAccountResponse::Ok {
                    etag: etag(r.version),
                    body,
                },
                Err(e) => GetAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                )),
            },
            Visible::No => GetAccountResponse::NotFound(error(meta, Code::NotFound, NOT_FOUND)),
            Visible::Failed(m) => {
                GetAccountResponse::ServiceUnavailable(error(meta, Code::Unavailable, &m))
            }
        }
    }
}

impl UpdateAccount for AccountsService {
    async fn update_account(&self, request: UpdateAccountRequest) -> UpdateAccountResponse {
        let meta = &request.meta;
        let stale = || {
            UpdateAccountResponse::PreconditionFailed(error(
                meta,
                Code::PreconditionFailed,
                "The account changed since you read it; GET it again and retry with its ETag.",
            ))
        };
        // The spec's pattern admits only quoted numbers, so this parses.
        let Some(expected) = if_match_version(&request.if_match) else {
            return stale();
        };
        let current = match self.visible(&request.caller, request.account_id).await {
            Visible::Yes(r) => r,
            Visible::No => {
                return UpdateAccountResponse::NotFound(error(meta, Code::NotFound, NOT_FOUND))
            }
            Visible::Failed(m) => {
                return UpdateAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &m,
                ))
            }
        };
        if current.version != expected {
            return stale();
        }
        let changed = convert::apply_patch(current, &request.body);
        match self.store.replace(changed, expected).await {
            Ok(r) => match account(&r) {
                Ok(body) => UpdateAccountResponse::Ok {
                    etag: etag(r.version),
                    body,
                },
                Err(e) => UpdateAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                )),
            },
            Err(StoreError::VersionConflict { .. }) => stale(),
            Err(StoreError::NotFound) => {
                UpdateAccountResponse::NotFound(error(meta, Code::NotFound, NOT_FOUND))
            }
            Err(e) => UpdateAccountResponse::ServiceUnavailable(error(
                meta,
                Code::Unavailable,
                &unavailable(&e),
            )),
        }
    }
}

impl DeleteAccount for AccountsService {
    async fn delete_account(&self, request: DeleteAccountRequest) -> DeleteAccountResponse {
        let meta = &request.meta;
        match self.visible(&request.caller, request.account_id).await {
            Visible::Yes(_) => {}
            Visible::No => {
                return DeleteAccountResponse::NotFound(error(meta, Code::NotFound, NOT_FOUND))
            }
            Visible::Failed(m) => {
                return DeleteAccountResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &m,
                ))
            }
        }
        match self.store.delete(request.account_id).await {
            Ok(()) => DeleteAccountResponse::NoContent,
            Err(StoreError::NotFound) => {
                DeleteAccountResponse::NotFound(error(meta, Code::NotFound, NOT_FOUND))
            }
            Err(e) => DeleteAccountResponse::ServiceUnavailable(error(
                meta,
                Code::Unavailable,
                &unavailable(&e),
            )),
        }
    }
}

impl ListAccounts for AccountsService {
    async fn list_accounts(&self, request: ListAccountsRequest) -> ListAccountsResponse {
        let meta = &request.meta;
        if !request.caller.in_group(ADMIN_GROUP) {
            return ListAccountsResponse::Forbidden(error(
                meta,
                Code::Forbidden,
                "Listing accounts needs the admin group.",
            ));
        }
        let key = match self.cursor_key.key().await {
            Ok(k) => k,
            Err(e) => {
                return ListAccountsResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                ))
            }
        };
        let bad_cursor = || {
            ListAccountsResponse::BadRequest(crate::errors::error_with_fields(
                meta,
                Code::ValidationFailed,
                "The cursor is not one this service issued for this listing.",
                vec![accounts_server::types::FieldError {
                    field: "query.cursor".into(),
                    code: "cursor".into(),
                    message: "pass back the nextCursor of the previous page unchanged, with the same email filter".into(),
                }],
            ))
        };
        let after = match &request.cursor {
            None => None,
            Some(c) => match cursor::verify(&key, c) {
                Some(token) => Some(token),
                None => return bad_cursor(),
            },
        };
        // The schema caps `limit` at 100, so it fits a u32.
        let limit = u32::try_from(request.limit.get()).unwrap_or(account_store::MAX_PAGE_SIZE);
        let email = request.email.as_ref().map(|e| e.to_string());
        let page = match self.store.list(email.as_deref(), limit, after).await {
            Ok(p) => p,
            Err(StoreError::InvalidPageToken) => return bad_cursor(),
            Err(e) => {
                return ListAccountsResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                ))
            }
        };
        let mut items = Vec::with_capacity(page.items.len());
        for r in &page.items {
            match account(r) {
                Ok(a) => items.push(a),
                Err(e) => {
                    return ListAccountsResponse::ServiceUnavailable(error(
                        meta,
                        Code::Unavailable,
                        &unavailable(&e),
                    ))
                }
            }
        }
        let next_cursor = match page.next.as_ref().map(|t| cursor::sign(&key, t)) {
            None => None,
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                return ListAccountsResponse::ServiceUnavailable(error(
                    meta,
                    Code::Unavailable,
                    &unavailable(&e),
                ))
            }
        };
        ListAccountsResponse::Ok(AccountPage { items, next_cursor })
    }
}
