//! The `format`s draft 7 defines, checked as `jsonschema` 0.61 checks them
//! (<https://json-schema.org/draft-07/json-schema-validation#rfc.section.7.3>),
//! plus OpenAPI's `uuid`. `codegen` treats any other format (`int32`,
//! `binary`, `idn-email` without IDNA tables, ...) as an annotation, as
//! `jsonschema` does.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// `uuid`: RFC 4122's textual form, 8-4-4-4-12 hex digits.
pub fn uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0_u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `date`: RFC 3339 `full-date`.
pub fn date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..]))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// `time`: RFC 3339 `full-time`, a leap second only at 23:59:60 UTC.
pub fn time(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&b[..2]), digits(&b[3..5]), digits(&b[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    let Some(&zone) = b.get(i) else { return false };
    // Minutes since midnight in UTC, to place a leap second.
    let local = (hour * 60 + minute) as i32;
    let utc = match zone {
        b'Z' | b'z' => {
            if i + 1 != b.len() {
                return false;
            }
            local
        }
        b'+' | b'-' => {
            let offset = &b[i + 1..];
            if offset.len() != 5 || offset[2] != b':' {
                return false;
            }
            let (Some(oh), Some(om)) = (digits(&offset[..2]), digits(&offset[3..])) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let shift = (oh * 60 + om) as i32;
            if zone == b'+' {
                local - shift
            } else {
                local + shift
            }
        }
        _ => return false,
    };
    second != 60 || utc.rem_euclid(24 * 60) == 23 * 60 + 59
}

/// `date-time`: RFC 3339 `date-time` (`T` in either case).
pub fn date_time(value: &str) -> bool {
    match value.find(['T', 't']) {
        Some(t) => date(&value[..t]) && time(&value[t + 1..]),
        None => false,
    }
}

/// `ipv4`: dotted decimal, as the standard library reads it (no leading zeros).
pub fn ipv4(value: &str) -> bool {
    Ipv4Addr::from_str(value).is_ok()
}

/// `ipv6`: RFC 4291 text, as the standard library reads it.
pub fn ipv6(value: &str) -> bool {
    Ipv6Addr::from_str(value).is_ok()
}

/// An RFC 1123 host name of ASCII labels.
fn ascii_hostname(value: &str) -> bool {
    let b = value.as_bytes();
    if b.is_empty() || b.len() > 253 || b.ends_with(b".") {
        return false;
    }
    b.split(|c| *c == b'.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with(b"-")
            && !label.ends_with(b"-")
            && label
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

/// `hostname`: RFC 1123 labels; a label with `--` in third and fourth place
/// must be an IDNA A-label (`xn--`) whose Punycode decodes to a valid U-label
/// (RFC 5891, RFC 5892's contextual rules).
pub fn hostname(value: &str) -> bool {
    if !ascii_hostname(value) {
        return false;
    }
    value.split('.').all(|label| {
        let b = label.as_bytes();
        if b.starts_with(b"xn--") {
            punycode::decode(&label[4..]).is_some_and(|decoded| idna_label::is_valid(&decoded))
        } else {
            !(b.len() >= 4 && b[2] == b'-' && b[3] == b'-')
        }
    })
}

/// `email`: RFC 5321 as the `email_address` crate parses it, with a host name
/// or a bracketed IPv4 / `IPv6:` address literal as the domain.
pub fn email(value: &str) -> bool {
    // `email_address` refuses an empty quoted local part, which RFC 5321 allows.
    if let Some(domain) = value.strip_prefix("\"\"@") {
        return email(&format!("\"a\"@{domain}"));
    }
    let Ok(parsed) = email_address::EmailAddress::from_str(value) else {
        return false;
    };
    if !parsed.local_part().is_ascii() {
        return false;
    }
    let domain = parsed.domain();
    match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => ipv6(&literal[5..]),
            _ => ipv4(literal),
        },
        None => hostname(domain),
    }
}

/// `json-pointer`: RFC 6901.
pub fn json_pointer(value: &str) -> bool {
    value.is_empty() || value.strip_prefix('/').is_some_and(pointer_tokens)
}

/// `relative-json-pointer`: a non-negative integer, then `#` or a JSON pointer.
pub fn relative_json_pointer(value: &str) -> bool {
    let end = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, rest) = value.split_at(end);
    if number.is_empty() || (number.len() > 1 && number.starts_with('0')) {
        return false;
    }
    rest.is_empty() || rest == "#" || rest.strip_prefix('/').is_some_and(pointer_tokens)
}

/// The reference tokens of a pointer after its first `/`: `~` only as `~0` or `~1`.
fn pointer_tokens(tokens: &str) -> bool {
    let mut chars = tokens.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// `uri`: an absolute RFC 3986 URI.
pub fn uri(value: &str) -> bool {
    rfc3986::check(value, true)
}

/// `uri-reference`: an RFC 3986 URI or relative reference.
pub fn uri_reference(value: &str) -> bool {
    rfc3986::check(value, false)
}

/// RFC 3986's grammar, byte by byte, without building a URI.
mod rfc3986 {
    use std::net::Ipv6Addr;
    use std::str::FromStr;

    fn unreserved_or_sub_delim(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
    }

    /// The end of the run of bytes allowed by `allowed` (percent-encodings
    /// included) from `at`; `None` on a broken percent-encoding.
    fn scan(b: &[u8], mut at: usize, allowed: impl Fn(u8) -> bool) -> Option<usize> {
        while let Some(&c) = b.get(at) {
            if allowed(c) {
                at += 1;
            } else if c == b'%' {
                if !b.get(at + 1..at + 3)?.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                at += 3;
            } else {
                break;
            }
        }
        Some(at)
    }

    fn pchar(c: u8) -> bool {
        unreserved_or_sub_delim(c) || c == b':' || c == b'@'
    }

    fn scheme_length(b: &[u8]) -> Option<usize> {
        if !b.first()?.is_ascii_alphabetic() {
            return None;
        }
        let length = b
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))?;
        (b[length] == b':').then_some(length)
    }

    /// `host [ ":" port ]` after an optional `userinfo@`.
    fn authority(a: &[u8]) -> bool {
        let host_port = match a.iter().rposition(|c| *c == b'@') {
            Some(at) => {
                let userinfo = &a[..at];
                if scan(userinfo, 0, |c| unreserved_or_sub_delim(c) || c == b':')
                    != Some(userinfo.len())
                {
                    return false;
                }
                &a[at + 1..]
            }
            None => a,
        };
        let (host_ok, rest) = if host_port.first() == Some(&b'[') {
            match host_port.iter().position(|c| *c == b']') {
                Some(end) => (ip_literal(&host_port[1..end]), &host_port[end + 1..]),
                None => return false,
            }
        } else {
            let end = scan(host_port, 0, unreserved_or_sub_delim);
            match end {
                Some(end) => (true, &host_port[end..]),
                None => return false,
            }
        };
        host_ok
            && match rest.split_first() {
                None => true,
                Some((b':', port)) => port.iter().all(u8::is_ascii_digit),
                Some(_) => false,
            }
    }

    /// `IPv6address / IPvFuture` inside brackets.
    fn ip_literal(inner: &[u8]) -> bool {
        if let Some(future) = inner
            .strip_prefix(b"v")
            .or_else(|| inner.strip_prefix(b"V"))
        {
            let dot = future.iter().position(|c| *c == b'.');
            return match dot {
                Some(dot) if dot > 0 && dot + 1 < future.len() => {
                    future[..dot].iter().all(u8::is_ascii_hexdigit)
                        && future[dot + 1..]
                            .iter()
                            .all(|c| unreserved_or_sub_delim(*c) || *c == b':')
                }
                _ => false,
            };
        }
        std::str::from_utf8(inner).is_ok_and(|s| Ipv6Addr::from_str(s).is_ok())
    }

    pub(super) fn check(text: &str, absolute: bool) -> bool {
        let b = text.as_bytes();
        let scheme = scheme_length(b);
        if absolute && scheme.is_none() {
            return false;
        }
        let mut at = scheme.map_or(0, |length| length + 1);
        if b[at..].starts_with(b"//") {
            let end = b[at + 2..]
                .iter()
                .position(|c| matches!(c, b'/' | b'?' | b'#'))
                .map_or(b.len(), |p| at + 2 + p);
            if !authority(&b[at + 2..end]) {
                return false;
            }
            at = end;
        } else if scheme.is_none()
            && b.iter().find(|c| matches!(c, b':' | b'/' | b'?' | b'#')) == Some(&b':')
        {
            // `a:b` whose scheme is invalid would read as one.
            return false;
        }
        let Some(end) = scan(b, at, |c| pchar(c) || c == b'/') else {
            return false;
        };
        at = end;
        for delimiter in [b'?', b'#'] {
            if b.get(at) == Some(&delimiter) {
                match scan(b, at + 1, |c| pchar(c) || c == b'/' || c == b'?') {
                    Some(end) => at = end,
                    None => return false,
                }
            }
        }
        at == b.len()
    }
}

/// RFC 3492 Punycode, decoding only.
mod punycode {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;

    fn digit(b: u8) -> Option<u32> {
        match b {
            b'0'..=b'9' => Some(u32::from(b - b'0') + 26),
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a')),
            _ => None,
        }
    }

    fn adapt(delta: u32, count: u32, first: bool) -> u32 {
        let mut delta = delta / if first { DAMP } else { 2 };
        delta += delta / count;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + ((BASE - T_MIN + 1) * delta) / (delta + SKEW)
    }

    /// The code points `input` (the part after `xn--`) encodes.
    pub(super) fn decode(input: &str) -> Option<String> {
        let b = input.as_bytes();
        let (basic, encoded) = match b.iter().rposition(|c| *c == b'-') {
            Some(p) if p > 0 => (&b[..p], &b[p + 1..]),
            _ => (&b[..0], b),
        };
        let mut out: Vec<char> = basic.iter().map(|c| char::from(*c)).collect();
        let (mut n, mut i, mut bias, mut at) = (128_u32, 0_u32, 72_u32, 0);
        while at < encoded.len() {
            let old = i;
            let mut weight = 1_u32;
            let mut k = BASE;
            loop {
                let d = digit(*encoded.get(at)?)?;
                at += 1;
                i = i.checked_add(d.checked_mul(weight)?)?;
                let t = if k <= bias {
                    T_MIN
                } else if k >= bias + T_MAX {
                    T_MAX
                } else {
                    k - bias
                };
                if d < t {
                    break;
                }
                weight = weight.checked_mul(BASE - t)?;
                k += BASE;
            }
            let count = u32::try_from(out.len()).ok()? + 1;
            bias = adapt(i - old, count, old == 0);
            n = n.checked_add(i / count)?;
            i %= count;
            out.insert(i as usize, char::from_u32(n)?);
            i += 1;
        }
        Some(out.into_iter().collect())
    }
}

/// Whether a decoded U-label may appear in a host name: RFC 5892's code point
/// categories and contextual rules, as `jsonschema` applies them.
mod idna_label {
    use unicode_general_category::{get_general_category, GeneralCategory as C};

    /// Virama and other characters a ZERO WIDTH JOINER may follow (RFC 5892, A.2).
    const VIRAMAS: &[char] = &[
        '\u{094D}',
        '\u{09CD}',
        '\u{0A4D}',
        '\u{0ACD}',
        '\u{0B4D}',
        '\u{0BCD}',
        '\u{0C4D}',
        '\u{0CCD}',
        '\u{0D4D}',
        '\u{0DCA}',
        '\u{0E3A}',
        '\u{0F84}',
        '\u{1039}',
        '\u{1714}',
        '\u{1734}',
        '\u{17D2}',
        '\u{1A60}',
        '\u{1B44}',
        '\u{1BAA}',
        '\u{1BF2}',
        '\u{1BF3}',
        '\u{2D7F}',
        '\u{A806}',
        '\u{A8C4}',
        '\u{A953}',
        '\u{ABED}',
        '\u{10A3F}',
        '\u{11046}',
        '\u{1107F}',
        '\u{110B9}',
        '\u{11133}',
        '\u{111C0}',
        '\u{11235}',
        '\u{112EA}',
        '\u{1134D}',
        '\u{11442}',
        '\u{114C2}',
        '\u{115BF}',
        '\u{1163F}',
        '\u{116B6}',
        '\u{1172B}',
        '\u{11839}',
        '\u{119E0}',
        '\u{11A34}',
        '\u{11A47}',
        '\u{11A99}',
        '\u{11C3F}',
        '\u{11D44}',
        '\u{11D45}',
        '\u{11D97}',
    ];

    fn pvalid_category(c: char) -> bool {
        matches!(
            get_general_category(c),
            C::UppercaseLetter
                | C::LowercaseLetter
                | C::TitlecaseLetter
                | C::ModifierLetter
                | C::OtherLetter
                | C::NonspacingMark
                | C::SpacingMark
                | C::DecimalNumber
        )
    }

    pub(super) fn is_valid(label: &str) -> bool {
        let chars: Vec<char> = label.chars().collect();
        if chars.first().is_some_and(|first| {
            matches!(
                get_general_category(*first),
                C::SpacingMark | C::NonspacingMark | C::EnclosingMark
            )
        }) {
            return false;
        }
        let (mut katakana_middle_dot, mut japanese) = (false, false);
        let (mut arabic_indic, mut extended_arabic_indic) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let allowed = match c {
                '\u{200D}' => previous.is_some_and(|p| VIRAMAS.contains(&p)),
                '\u{00B7}' => previous == Some('l') && next == Some('l'),
                '\u{0375}' => next.is_some_and(|n| ('\u{0370}'..='\u{03FF}').contains(&n)),
                '\u{05F3}' | '\u{05F4}' => {
                    previous.is_some_and(|p| ('\u{0590}'..='\u{05FF}').contains(&p))
                }
                '\u{30FB}' => {
                    katakana_middle_dot = true;
                    true
                }
                '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' => {
                    japanese = true;
                    true
                }
                '\u{0660}'..='\u{0669}' => {
                    arabic_indic = true;
                    true
                }
                '\u{06F0}'..='\u{06F9}' => {
                    extended_arabic_indic = true;
                    true
                }
                '\u{0640}'
                | '\u{07FA}'
                | '\u{302E}'
                | '\u{302F}'
                | '\u{3031}'..='\u{3035}'
                | '\u{303B}' => false,
                '\u{200C}' | '\u{06FD}' | '\u{06FE}' | '\u{0F0B}' | '\u{3007}' => true,
                other => other.is_ascii() || pvalid_category(other),
            };
            if !allowed {
                return false;
            }
        }
        (!katakana_middle_dot || japanese) && !(arabic_indic && extended_arabic_indic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert!(date("2024-02-29") && !date("2023-02-29") && !date("2024-13-01"));
        assert!(date_time("2024-01-01T23:59:60Z") && !date_time("2024-01-01T12:59:60Z"));
        assert!(date_time("2024-01-01t00:59:60+01:00"));
        assert!(time("10:00:00.5-05:30") && !time("10:00:00.-05:30") && !time("24:00:00Z"));
    }

    #[test]
    fn hosts_and_emails() {
        assert!(hostname("example.com") && !hostname("-a.com") && !hostname("ab--c.com"));
        assert!(hostname("xn--bcher-kva.example"), "bücher");
        assert!(!hostname("xn--.example"));
        assert!(email("a@example.com") && email("a@[127.0.0.1]") && email("a@[IPv6:::1]"));
        assert!(!email("a@") && !email("nope"));
    }

    #[test]
    fn uris_and_pointers() {
        assert!(uri("https://user@host:8080/a/b?c=d#e") && !uri("/relative") && uri("urn:isbn:0"));
        assert!(uri_reference("/relative?x") && !uri_reference("a b") && !uri_reference("%zz"));
        assert!(uri("http://[::1]:80/") && !uri("http://[::g]/"));
        assert!(json_pointer("/a~0b/~1") && !json_pointer("a") && !json_pointer("/~2"));
        assert!(
            relative_json_pointer("0#")
                && relative_json_pointer("12/a")
                && !relative_json_pointer("01")
        );
        assert!(
            uuid("0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10")
                && !uuid("0b6f1f7e04c1a-4d4b-9e59-0c1e4c4b2a10")
        );
    }
}
