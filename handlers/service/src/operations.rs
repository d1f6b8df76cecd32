//! One trait implementation per operation. Failures travel by `?`: the store's
//! errors convert into `ApiError`s with their statuses (`account_store`'s one
//! `From` impl: 404, 409, 412, 422, 503), and each operation's generated error
//! enum takes the variant it declares for that status. Only answers that are
//! this API's own decisions are written here.

use crate::convert::{self, account, etag, if_match_matches, unfit_fields};
use crate::cursor::{self, CursorError, CursorKeys};
use crate::{AccountsService, ADMIN_GROUP};
use account_store::{AccountRecord, IdempotencyClaim, PageToken, StoreError};
use accounts_server::types::{AccountPage, Health, HealthStatus};
use accounts_server::*;

/// 400 for an `email` that is not the caller's verified email (the email policy
/// of the crate docs).
fn email_refused(message: &'static str) -> ApiError {
    ApiError {
        status: 400,
        problem: Problem::new("VALIDATION_FAILED", "The request is invalid.")
            .with_field_error("/email", "verified", message),
    }
}

/// 400 naming each field of a record that the store must not write because it
/// could not be read back (`field` as the request would name it).
fn unwritable(
    record: &AccountRecord,
    name: impl Fn(&'static str) -> String,
) -> Result<(), ApiError> {
    let unfit = unfit_fields(record);
    if unfit.is_empty() {
        return Ok(());
    }
    let problem = unfit.into_iter().fold(
        Problem::new(
            "VALIDATION_FAILED",
            "The account would not fit the API's schema.",
        ),
        |problem, (field, reason)| problem.with_field_error(name(field), "schema", reason),
    );
    Err(ApiError {
        status: 400,
        problem,
    })
}

/// Case-insensitive, as the store indexes emails.
fn same_email(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn unix_now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default()
}

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

impl AccountsService {
    /// The page token of a cursor, under the keys as known or, for a cursor they
    /// refuse, as read again (a key may have rotated in since); `keys` becomes the
    /// keys that were used.
    async fn page_token(
        &self,
        keys: &mut CursorKeys,
        cursor: &str,
        now: u64,
    ) -> Result<PageToken, ApiError> {
        let mut checked = cursor::verify(keys, cursor, now);
        if checked == Err(CursorError::Invalid) {
            let fresh = self.cursor_key.refreshed_keys().await?;
            if fresh != *keys {
                checked = cursor::verify(&fresh, cursor, now);
                *keys = fresh;
            }
        }
        checked.map_err(|e| match e {
            // Answered like a foreign page token.
            CursorError::Invalid => StoreError::InvalidPageToken.into(),
            CursorError::Expired => ApiError {
                status: 400,
                problem: Problem::new(
                    "VALIDATION_FAILED",
                    "The cursor has expired; start the listing again.",
                )
                .with_field_error(
                    "query.cursor",
                    "cursor",
                    "cursors live 24 hours; list again without a cursor",
                ),
            },
        })
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
        // The email is the caller's verified one: taken from the token, or given and equal.
        let verified = request.caller.verified_email().ok_or(email_refused(
            "Your token carries no verified email (the ID token's `email` with `email_verified` true); verify it with the user pool first.",
        ))?;
        if let Some(email) = &request.body.email {
            if !same_email(email, verified) {
                return Err(email_refused(
                    "The email must be your verified email (the ID token's `email`); leave it out to use that.",
                )
                .into());
            }
        }
        let new = convert::new_account(&request.caller.sub, verified, &request.body);
        // Nothing is written that cannot be read back: a token whose `sub` or email does not
        // fit the schema cannot own an account.
        unwritable(&account_store::preview(&new), |field| match field {
            "ownerSub" => "token.sub".to_owned(),
            "email" => "token.email".to_owned(),
            other => format!("/{other}"),
        })?;
        let claim = request
            .idempotency_key
            .as_ref()
            .map(|key| IdempotencyClaim {
                key: key.to_string(),
                fingerprint: convert::fingerprint(&request.body),
            });
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
        let current = self.visible(&request.caller, request.account_id).await?;
        let expected = current.version;
        if !if_match_matches(&request.if_match, expected) {
            return Err(StoreError::VersionConflict { current: expected }.into());
        }
        // `{}` changes nothing (RFC 7396): the account as it is, not a new version.
        if convert::is_empty_patch(&request.body) {
            return Ok(UpdateAccountResponse::Ok {
                etag: etag(expected),
                body: account(&current)?,
            });
        }
        // Only the owner sets the email, and only to their verified one.
        let email = match &request.body.email {
            None => None,
            Some(email) => {
                let verified = request
                    .caller
                    .verified_email()
                    .filter(|v| same_email(email, v) && current.owner_sub == request.caller.sub);
                Some(verified.ok_or(email_refused(
                    "Only the owner may change the email, to their verified email (the ID token's `email`).",
                ))?)
            }
        };
        let mut changed = convert::apply_patch(current, &request.body);
        if let Some(email) = email {
            email.clone_into(&mut changed.email);
        }
        // A record stored under older rules is written back only once it fits them again.
        unwritable(&changed, |field| format!("/{field}"))?;
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
        let now = unix_now();
        let mut keys = self.cursor_key.keys().await?;
        let after = match &request.cursor {
            None => None,
            Some(c) => Some(self.page_token(&mut keys, c, now).await?),
        };
        // The schema caps `limit` at 100, so it fits a u32.
        let limit = u32::try_from(request.limit.get()).unwrap_or(account_store::MAX_PAGE_SIZE);
        let email = request.email.as_ref().map(|e| e.to_string());
        let page = self.store.list(email.as_deref(), limit, after).await?;
        // One record that cannot be shown is logged and left out, never failing the page.
        let items = page
            .items
            .iter()
            .filter_map(|record| match account(record) {
                Ok(shown) => Some(shown),
                Err(e) => {
                    tracing::error!(
                        account_id = %record.id,
                        fields = ?unfit_fields(record),
                        error = %e,
                        "listing left out a stored account that no longer fits the schema"
                    );
                    None
                }
            })
            .collect();
        let next_cursor = match &page.next {
            Some(token) => Some(cursor::sign(&keys, token, now)?),
            None => None,
        };
        Ok(AccountPage { items, next_cursor }.into())
    }
}
