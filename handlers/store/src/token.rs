//! Page tokens: where a listing stopped, tagged with the store kind and the filter.
//!
//! Both stores order a listing by (`emailLower`, account id) — DynamoDB's
//! `LastEvaluatedKey` of the `by-email` GSI is exactly `{emailLower, pk}` — so a
//! position is that pair. The token also names the filter it was issued for, so a
//! token replayed with another filter is refused instead of silently jumping. Its
//! format is private: the service treats it as opaque bytes and signs it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{PageToken, StoreError};

/// Which store produced a token; a token of the other kind is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Dynamo,
    Embedded,
}

impl TokenKind {
    fn prefix(self) -> &'static [u8] {
        match self {
            TokenKind::Dynamo => b"ddb1.",
            TokenKind::Embedded => b"redb1.",
        }
    }
}

/// The last item of a page: the listing resumes strictly after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Position {
    pub email_lower: String,
    pub id: Uuid,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    /// The lower-cased filter the listing was made with.
    f: Option<String>,
    /// `emailLower` of the last item.
    e: String,
    /// Id of the last item.
    i: Uuid,
}

pub(crate) fn encode(kind: TokenKind, filter: Option<&str>, position: &Position) -> PageToken {
    let body = Body {
        f: filter.map(str::to_owned),
        e: position.email_lower.clone(),
        i: position.id,
    };
    let mut bytes = kind.prefix().to_vec();
    // Serialising a struct of strings and a UUID to a Vec cannot fail.
    if let Ok(json) = serde_json::to_vec(&body) {
        bytes.extend_from_slice(&json);
    }
    PageToken(bytes)
}

/// Decodes a token of `kind` issued for `filter` (already lower-cased).
pub(crate) fn decode(
    kind: TokenKind,
    filter: Option<&str>,
    token: &PageToken,
) -> Result<Position, StoreError> {
    let json = token
        .as_bytes()
        .strip_prefix(kind.prefix())
        .ok_or(StoreError::InvalidPageToken)?;
    let body: Body = serde_json::from_slice(json).map_err(|_| StoreError::InvalidPageToken)?;
    if body.f.as_deref() != filter || body.e.is_empty() {
        return Err(StoreError::InvalidPageToken);
    }
    if let Some(f) = filter {
        if body.e != f {
            return Err(StoreError::InvalidPageToken);
        }
    }
    Ok(Position {
        email_lower: body.e,
        id: body.i,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let p = Position {
            email_lower: "a@b.c".into(),
            id: Uuid::new_v4(),
        };
        let t = encode(TokenKind::Dynamo, Some("a@b.c"), &p);
        assert_eq!(
            decode(TokenKind::Dynamo, Some("a@b.c"), &t).ok(),
            Some(p.clone())
        );
        assert!(decode(TokenKind::Embedded, Some("a@b.c"), &t).is_err());
        assert!(decode(TokenKind::Dynamo, None, &t).is_err());
        assert!(decode(TokenKind::Dynamo, Some("x@b.c"), &t).is_err());
        let short = PageToken::from_bytes(&t.as_bytes()[..t.as_bytes().len() - 3]);
        assert!(decode(TokenKind::Dynamo, Some("a@b.c"), &short).is_err());
    }
}
