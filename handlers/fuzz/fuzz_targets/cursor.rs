//! The cursor decoder and the page-token decoder behind it: any cursor text under any keys
//! and time, any page token handed to the store. No input may panic; a cursor signed here
//! verifies, anything else verifies only if it was signed with one of the keys; the store
//! answers a token with a page or `InvalidPageToken`, nothing else. An input that starts
//! with a store's token prefix (`redb1.`, `ddb1.`) is a page token signed into a cursor with
//! a fixed key (the seeds are the tests' tokens); any other input is a structured case.
#![no_main]

use std::sync::OnceLock;

use account_store::{AccountStore, EmbeddedStore, NewAccount, PageToken, StoreError};
use accounts_fuzz::runtime;
use accounts_service::cursor::{self, CursorError, CursorKeys};
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    current: Vec<u8>,
    previous: Option<Vec<u8>>,
    cursor: String,
    now: u64,
    token: Vec<u8>,
    filter: Option<String>,
    limit: u8,
}

/// A store with a few accounts, shared by all inputs.
fn store() -> &'static EmbeddedStore {
    static STORE: OnceLock<EmbeddedStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = EmbeddedStore::in_memory().unwrap_or_else(|e| panic!("store: {e}"));
        runtime().block_on(async {
            for (sub, email) in [
                ("a", "a@example.com"),
                ("b", "b@example.com"),
                ("c", "a@example.com"),
            ] {
                let new = NewAccount {
                    owner_sub: sub.into(),
                    email: email.into(),
                    display_name: "Fuzz".into(),
                    phone: None,
                    locale: None,
                };
                store
                    .create(new, None)
                    .await
                    .unwrap_or_else(|e| panic!("create: {e}"));
            }
        });
        store
    })
}

fn list(token: PageToken, filter: Option<&str>, limit: u8) {
    let limit = u32::from(limit % 100) + 1;
    let result = runtime().block_on(store().list(filter, limit, Some(token)));
    match result {
        Ok(page) => assert!(page.items.len() <= limit as usize),
        Err(StoreError::InvalidPageToken) => {}
        Err(e) => panic!("the store answered a page token with {e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"redb1.") || data.starts_with(b"ddb1.") {
        let keys = CursorKeys {
            current: vec![7; 32],
            previous: None,
        };
        let token = PageToken::from_bytes(data.to_vec());
        let now = 1_800_000_000;
        let signed = cursor::sign(&keys, &token, now).unwrap_or_else(|e| panic!("sign: {e}"));
        let verified = cursor::verify(&keys, &signed, now);
        assert_eq!(verified, Ok(token.clone()));
        for filter in [None, Some("a@example.com"), Some("A@EXAMPLE.COM")] {
            list(token.clone(), filter, 2);
        }
        return;
    }
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let keys = CursorKeys {
        current: input.current.clone(),
        previous: input.previous.clone(),
    };
    let now = input.now % (1 << 40);
    match cursor::verify(&keys, &input.cursor, now) {
        Ok(token) => list(token, input.filter.as_deref(), input.limit),
        Err(CursorError::Invalid | CursorError::Expired) => {}
    }
    // What this service signs, it accepts (with a usable key), until it expires.
    let token = PageToken::from_bytes(input.token.clone());
    if let Ok(signed) = cursor::sign(&keys, &token, now) {
        assert_eq!(cursor::verify(&keys, &signed, now), Ok(token.clone()));
        let expired = cursor::verify(&keys, &signed, now + cursor::CURSOR_TTL.as_secs());
        assert_eq!(expired, Err(CursorError::Expired));
        let other = CursorKeys {
            current: b"another key of thirty-two bytes!".to_vec(),
            previous: None,
        };
        if keys.current != other.current && keys.previous.as_ref() != Some(&other.current) {
            assert_eq!(
                cursor::verify(&other, &signed, now),
                Err(CursorError::Invalid)
            );
        }
    }
    // The store's own decoder, with bytes the HMAC would otherwise keep from it.
    list(token, input.filter.as_deref(), input.limit);
});
