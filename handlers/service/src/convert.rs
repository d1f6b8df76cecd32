//! Between the store's records and the API's types.
//!
//! Nothing is written that cannot be read back: [`unfit_fields`] checks a record
//! against the constrained types of the `Account` schema before the store
//! writes it. A record stored under older rules that no longer fits is named in
//! the log when read ([`CorruptRecord`]).

use account_store::{AccountRecord, NewAccount};
use accounts_server::types::{self, Account, AccountPatch};
use sha2::{Digest, Sha256};

/// Why a stored record cannot be shown through the API's types.
#[derive(Debug, thiserror::Error)]
#[error("stored account {id} does not fit the API schema")]
pub struct CorruptRecord {
    id: uuid::Uuid,
    source: serde_json::Error,
}

/// A record the API cannot show is the service's failure (503), logged with
/// its cause.
impl From<CorruptRecord> for accounts_server::ApiError {
    fn from(error: CorruptRecord) -> Self {
        account_store::log_cause(&error);
        Self::new(503, "UNAVAILABLE", account_store::UNAVAILABLE_MESSAGE)
    }
}

/// The record as the API shows it. The record's camelCase serialisation is the
/// schema's shape, so serde does the field-by-field work (and the constrained
/// newtypes re-check the stored values).
pub fn account(record: &AccountRecord) -> Result<Account, CorruptRecord> {
    serde_json::to_value(record)
        .and_then(serde_json::from_value)
        .map_err(|source| CorruptRecord {
            id: record.id,
            source,
        })
}

/// The `ETag` (and `If-Match`) form of a version: the number, quoted.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// Whether an `If-Match` value matches the current `version` under RFC 9110's
/// strong comparison (§13.1.1, §8.8.3.2): the tag byte for byte, and a weak
/// tag (`W/"3"`) never.
pub fn if_match_matches(header: &str, version: u64) -> bool {
    header.trim() == etag(version)
}

/// The store's input for a create request; `email` is the caller's verified
/// address (see the email policy in the crate docs).
pub fn new_account(owner_sub: &str, email: &str, body: &types::NewAccount) -> NewAccount {
    NewAccount {
        owner_sub: owner_sub.to_owned(),
        email: email.to_owned(),
        display_name: body.display_name.to_string(),
        phone: body.phone.as_ref().map(|p| p.to_string()),
        locale: body.locale.as_ref().map(|l| l.to_string()),
    }
}

/// The fields of `record` the `Account` schema's constrained types refuse, with
/// why: `(field, reason)`. Empty when the record can be read back.
pub fn unfit_fields(record: &AccountRecord) -> Vec<(&'static str, String)> {
    fn check<T: std::str::FromStr>(
        out: &mut Vec<(&'static str, String)>,
        field: &'static str,
        value: Option<&str>,
    ) where
        T::Err: std::fmt::Display,
    {
        if let Some(Err(e)) = value.map(str::parse::<T>) {
            out.push((field, e.to_string()));
        }
    }
    let mut out = Vec::new();
    check::<types::AccountOwnerSub>(&mut out, "ownerSub", Some(&record.owner_sub));
    check::<types::Email>(&mut out, "email", Some(&record.email));
    check::<types::DisplayName>(&mut out, "displayName", Some(&record.display_name));
    check::<types::Phone>(&mut out, "phone", record.phone.as_deref());
    check::<types::Locale>(&mut out, "locale", record.locale.as_deref());
    if record.version == 0 || i64::try_from(record.version).is_err() {
        out.push(("version", format!("{} is not a version", record.version)));
    }
    out
}

/// A digest of the create request, so that an `Idempotency-Key` reused with
/// another body is recognised. The typed body serialises its fields in one fixed
/// order, so equal bodies hash equally whatever order the client sent.
pub fn fingerprint(body: &types::NewAccount) -> String {
    let canonical = serde_json::to_vec(body).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a merge patch names no field at all (`{}`): it changes nothing.
pub fn is_empty_patch(patch: &AccountPatch) -> bool {
    patch.email.is_none()
        && patch.display_name.is_none()
        && patch.phone.is_none()
        && patch.locale.is_none()
}

/// Applies a JSON merge patch (RFC 7396): absent fields stay, `null` clears an
/// optional field, a value replaces it. The schema keeps `email` and
/// `displayName` from being `null`.
pub fn apply_patch(mut record: AccountRecord, patch: &AccountPatch) -> AccountRecord {
    if let Some(email) = &patch.email {
        record.email = email.to_string();
    }
    if let Some(name) = &patch.display_name {
        record.display_name = name.to_string();
    }
    if let Some(phone) = &patch.phone {
        record.phone = phone.as_ref().map(|p| p.to_string());
    }
    if let Some(locale) = &patch.locale {
        record.locale = locale.as_ref().map(|l| l.to_string());
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn record() -> AccountRecord {
        AccountRecord {
            id: uuid::Uuid::new_v4(),
            owner_sub: "sub-1".into(),
            email: "a@example.com".into(),
            display_name: "Ada".into(),
            phone: Some("+447700900123".into()),
            locale: Some("en-GB".into()),
            version: 3,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn merge_patch_distinguishes_absent_null_and_value() {
        let patch: AccountPatch =
            serde_json::from_str(r#"{"phone": null, "displayName": "Ada K"}"#).unwrap();
        let out = apply_patch(record(), &patch);
        assert_eq!(out.phone, None, "null clears");
        assert_eq!(out.locale.as_deref(), Some("en-GB"), "absent stays");
        assert_eq!(out.display_name, "Ada K", "a value replaces");
    }

    #[test]
    fn records_become_accounts_and_versions_quoted_etags() {
        let r = record();
        let a = account(&r).unwrap();
        assert_eq!(a.id, r.id);
        assert_eq!(a.version.get(), 3);
        assert_eq!(etag(3), "\"3\"");
    }

    /// HTTP semantics: `If-Match` compares strongly (RFC 9110 §13.1.1).
    #[test]
    fn if_match_is_a_strong_comparison() {
        assert!(if_match_matches("\"7\"", 7));
        assert!(!if_match_matches("W/\"7\"", 7), "a weak tag never matches");
        assert!(!if_match_matches("\"07\"", 7), "the tag, not the number");
        assert!(!if_match_matches("\"8\"", 7));
        assert!(!if_match_matches("*", 7));
    }

    /// Records that no longer fit: each field the schema refuses is named.
    #[test]
    fn unfit_fields_are_named() {
        assert!(unfit_fields(&record()).is_empty());
        let bad = AccountRecord {
            owner_sub: "s".repeat(129),
            display_name: "Ada\u{202e}evil".into(),
            version: 0,
            ..record()
        };
        let fields: Vec<&str> = unfit_fields(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["ownerSub", "displayName", "version"]);
    }

    #[test]
    fn fingerprints_ignore_field_order_but_not_values() {
        let a: types::NewAccount =
            serde_json::from_str(r#"{"email":"a@b.co","displayName":"A"}"#).unwrap();
        assert!(is_empty_patch(&serde_json::from_str("{}").unwrap()));
        assert!(!is_empty_patch(
            &serde_json::from_str(r#"{"phone":null}"#).unwrap()
        ));
        let b: types::NewAccount =
            serde_json::from_str(r#"{"displayName":"A","email":"a@b.co"}"#).unwrap();
        let c: types::NewAccount =
            serde_json::from_str(r#"{"displayName":"B","email":"a@b.co"}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
