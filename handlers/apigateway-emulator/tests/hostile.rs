//! Hostile and careless clients against the emulator (issue 15): token claims, slow and many
//! clients, hyper's own error answers, the dev token endpoint, the JWKS cache, the log.
//! Each test names the class of failure it guards.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apigateway_rest_emulator::authorizer::AuthError;
use apigateway_rest_emulator::{
    AuthorizerConfig, CognitoAuthorizer, DevAuth, DevUser, JwksSource, KeyRefresh, LocalApi,
    ServerConfig,
};
use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------- helpers

/// A server on a free port; stops when the sender is dropped.
async fn serve(api: LocalApi) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(Arc::new(api).serve(listener, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

fn bounded(header: Duration, body: Duration, connections: usize) -> ServerConfig {
    ServerConfig {
        header_read_timeout: header,
        body_read_timeout: body,
        max_connections: connections,
        ..config()
    }
}

/// A raw answer read off a socket.
#[derive(Debug)]
struct Wire {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Wire {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// Asserts the document's error shape: exactly `code`, `message`, `requestId` (the one in
    /// `x-amzn-requestid`) and `fieldErrors`.
    #[track_caller]
    fn assert_shaped(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{self:?}");
        let body: Value =
            serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"));
        let mut keys: Vec<&str> = body
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["code", "fieldErrors", "message", "requestId"],
            "{self:?}"
        );
        assert_eq!(
            body["requestId"],
            self.header("x-amzn-requestid"),
            "{self:?}"
        );
        body
    }
}

/// Parses every response in `bytes` (bodies by `Content-Length`).
fn parse_all(mut bytes: &[u8]) -> Vec<Wire> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let Ok(httparse::Status::Complete(len)) = response.parse(bytes) else {
            panic!("not a response: {}", String::from_utf8_lossy(bytes));
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let status = response.code.unwrap();
        let body = String::from_utf8_lossy(&bytes[len..len + length]).into_owned();
        bytes = &bytes[len + length..];
        out.push(Wire {
            status,
            headers,
            body,
        });
    }
    out
}

/// Sends `bytes`, shuts down the sending side (a half-close: the answer must still come)
/// and reads until the server closes (at most 5 s).
async fn exchange(addr: SocketAddr, bytes: &[u8]) -> Vec<Wire> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got))
        .await
        .expect("the server closes the connection")
        .unwrap();
    parse_all(&got)
}

async fn get_health(addr: SocketAddr) -> u16 {
    reqwest::Client::new()
        .get(format!("http://{addr}/health"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

// ---------------------------------------------------------------- token claims

#[tokio::test]
async fn token_claims_a_configured_audience_makes_aud_required_and_sub_is_needed() {
    let api = api();
    let good = dev().id_token_claims(&alice());
    let cases = [
        ("no aud", json!({"aud": null})),
        ("no sub", json!({"sub": null})),
        ("empty sub", json!({"sub": ""})),
        ("sub not a string", json!({"sub": 7})),
        (
            "not yet valid",
            json!({"nbf": chrono::Utc::now().timestamp() + 600}),
        ),
    ];
    for (name, change) in cases {
        let mut claims = good.clone();
        for (k, v) in change.as_object().unwrap() {
            if v.is_null() {
                claims.remove(k);
            } else {
                claims.insert(k.clone(), v.clone());
            }
        }
        let token = dev().sign(&claims).unwrap();
        let a = req("GET", "/accounts/me")
            .header("authorization", &token)
            .send(&api)
            .await;
        assert_eq!(a.status, 401, "{name}: {}", a.text);
        gateway_error(&a, "UNAUTHORIZED", "Unauthorized");
    }
    // Two token headers, one good: refused, whichever a handler would read.
    let a = req("GET", "/accounts/me")
        .header("authorization", &token(&alice()))
        .header("authorization", &token(&DevUser::new("mallory")))
        .send(&api)
        .await;
    assert_eq!(a.status, 401, "{}", a.text);
    // Without a configured audience (API Gateway's own rule) a token without `aud` passes.
    let open = CognitoAuthorizer::new(AuthorizerConfig {
        audience: None,
        ..dev().authorizer_config().unwrap()
    });
    let mut claims = good.clone();
    claims.remove("aud");
    let token = dev().sign(&claims).unwrap();
    assert!(open.authorize(Some(&token)).await.is_ok());
}

// ---------------------------------------------------------------- slow and many clients

#[tokio::test]
async fn slow_clients_a_stalled_head_is_cut_off_within_the_timeout_while_others_are_served() {
    let timeout = Duration::from_secs(2);
    let api = api_with(document(), bounded(timeout, Duration::from_secs(5), 64));
    let (addr, _stop) = serve(api).await;
    let started = Instant::now();
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    // Others are served meanwhile, while the stalled connection is still open.
    for _ in 0..5 {
        assert_eq!(get_health(addr).await, 200);
    }
    let mut probe = [0u8; 1];
    let still_open = matches!(
        stalled.try_read(&mut probe),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    assert!(
        still_open,
        "served only after the stalled one was cut off ({:?})",
        started.elapsed()
    );
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stalled.read_to_end(&mut rest)).await;
    let elapsed = started.elapsed();
    assert!(
        read.is_ok(),
        "the stalled connection is still open after {elapsed:?}"
    );
    assert!(
        elapsed >= timeout && elapsed < timeout + Duration::from_millis(1500),
        "cut off after {elapsed:?}, documented {timeout:?}"
    );
    // An idle keep-alive connection is closed after the same time.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut all = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), idle.read_to_end(&mut all)).await;
    assert!(read.is_ok(), "an idle keep-alive connection stays open");
    assert_eq!(parse_all(&all)[0].status, 200);
}

#[tokio::test]
async fn slow_clients_a_stalled_body_gets_408_and_no_body_is_read_before_authorization() {
    let body_timeout = Duration::from_millis(500);
    let api = api_with(
        document(),
        bounded(Duration::from_secs(5), body_timeout, 64),
    );
    let (addr, _stop) = serve(api).await;
    let token = token(&alice());

    // An authorized request whose body stalls: 408 in the error shape, within the timeout.
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"email\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut got))
        .await
        .expect("the stalled body is cut off")
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= body_timeout && elapsed < body_timeout + Duration::from_millis(900));
    let answer = &parse_all(&got)[0];
    let body = answer.assert_shaped(408);
    assert_eq!(body["code"], "DEFAULT_4XX");

    // Unauthorized, or an unknown route: answered at once, the announced body never read.
    for (head, status) in [
        (
            "POST /accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n",
            401,
        ),
        (
            "POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            403,
        ),
        (
            "POST /accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10485761\r\n\r\n",
            413,
        ),
    ] {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut got = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut got))
            .await
            .expect("answered without the body")
            .unwrap();
        assert!(started.elapsed() < body_timeout, "{head}");
        let answer = &parse_all(&got[..n])[0];
        answer.assert_shaped(status);
    }
}

#[tokio::test]
async fn slow_clients_the_connection_cap_holds_and_a_freed_slot_serves_the_next() {
    let timeout = Duration::from_millis(600);
    let api = api_with(document(), bounded(timeout, Duration::from_secs(5), 2));
    let (addr, _stop) = serve(api).await;
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        stalled.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Both slots are held: the next request waits until the header timeout frees one.
    let started = Instant::now();
    assert_eq!(get_health(addr).await, 200);
    let waited = started.elapsed();
    assert!(
        waited >= timeout - Duration::from_millis(250),
        "served after {waited:?}: the cap of 2 did not hold"
    );
    assert!(waited < timeout + Duration::from_secs(1), "{waited:?}");
}

// ---------------------------------------------------------------- error shape

#[tokio::test]
async fn error_shape_hyper_s_own_answers_and_unreadable_bodies_have_the_document_s_shape() {
    let api = api_with(document(), config());
    let (addr, _stop) = serve(api).await;
    let token = token(&alice());
    let big_header = format!(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(11 * 1024)
    );
    let many_headers = format!(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
        (0..120)
            .map(|i| format!("X-H{i}: v\r\n"))
            .collect::<String>()
    );
    let long_uri = format!(
        "GET /health?{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "q".repeat(70_000)
    );
    let bad_chunked = format!(
        "POST /accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnot hex\r\n0\r\n\r\n"
    );
    let cases: Vec<(&str, Vec<u8>, &[u16])> = vec![
        ("garbage", b"GARBAGE\r\n\r\n".to_vec(), &[400]),
        (
            "bad header name",
            b"GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n".to_vec(),
            &[400],
        ),
        (
            "bad version",
            b"GET /health HTTP/9.9\r\n\r\n".to_vec(),
            &[400],
        ),
        ("header over 10 KiB", big_header.into_bytes(), &[431]),
        ("too many headers", many_headers.into_bytes(), &[431]),
        ("URI too long", long_uri.into_bytes(), &[414, 431]),
        ("malformed chunked body", bad_chunked.into_bytes(), &[400]),
    ];
    for (name, bytes, statuses) in cases {
        let answers = exchange(addr, &bytes).await;
        assert_eq!(answers.len(), 1, "{name}: {answers:?}");
        let status = answers[0].status;
        assert!(statuses.contains(&status), "{name}: {answers:?}");
        answers[0].assert_shaped(status);
    }
    // A good request, then garbage on the same connection: the first answer is intact, the
    // second is shaped.
    let mut pipelined = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec();
    pipelined.extend_from_slice(b"\x00\x01 nonsense\r\n\r\n");
    let answers = exchange(addr, &pipelined).await;
    assert_eq!(answers.len(), 2, "{answers:?}");
    assert_eq!(answers[0].status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&answers[0].body).unwrap()["operationId"],
        "getHealth"
    );
    answers[1].assert_shaped(400);
}

/// Found by the `http_front` fuzz target (handlers/fuzz/regressions/http_front/): a Host
/// that HTTP allows but no URL parser takes made the Lambda runtime's request conversion
/// panic inside the function; it is refused in the error shape before any integration.
#[tokio::test]
async fn error_shape_a_host_that_is_no_url_host_is_400_and_never_reaches_a_function() {
    let api = api_with(document(), config());
    let (addr, _stop) = serve(api).await;
    for host in ["1e7.0.0.1:3000", "a b", "[::1", "", "127.\".0*1:3000"] {
        let request = format!("GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let answers = exchange(addr, request.as_bytes()).await;
        assert_eq!(answers.len(), 1, "{host:?}: {answers:?}");
        assert!(answers[0].status == 400, "{host:?}: {answers:?}");
        answers[0].assert_shaped(400);
    }
    // Several Host lines (found by fuzzing: the event keeps the last, which was never checked).
    let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nHost: 847.0.0.1:3000\r\n\r\n";
    let answers = exchange(addr, request.as_bytes()).await;
    assert_eq!(answers.len(), 1, "{answers:?}");
    answers[0].assert_shaped(400);
    for host in [
        "127.0.0.1:3000",
        "localhost",
        "[::1]:3000",
        "api.example.com",
    ] {
        let request = format!("GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let answers = exchange(addr, request.as_bytes()).await;
        assert_eq!(
            answers.first().map(|a| a.status),
            Some(200),
            "{host:?}: {answers:?}"
        );
    }
}

// ---------------------------------------------------------------- the dev token endpoint

#[tokio::test]
async fn operations_local_token_answers_only_the_loopback_and_can_be_turned_off() {
    let dev = Arc::new(DevAuth::from_key(&keys().0, ISSUER, CLIENT_ID).unwrap());
    let api = LocalApi::new(document(), Arc::new(Echo), config())
        .unwrap()
        .with_dev_auth(Arc::clone(&dev))
        .unwrap();
    for (host, origin, ok) in [
        ("127.0.0.1:3000", None, true),
        ("localhost:3000", Some("http://localhost:3000"), true),
        ("[::1]:3000", None, true),
        ("rebound.evil.example:3000", None, false),
        ("127.0.0.1:3000", Some("https://evil.example"), false),
        ("localhost.evil.example", None, false),
    ] {
        let mut r =
            Req::without_host("GET", "/local/token?sub=mallory&groups=admin").header("host", host);
        if let Some(origin) = origin {
            r = r.header("origin", origin);
        }
        let a = r.send(&api).await;
        if ok {
            assert_eq!(a.status, 200, "{host} {origin:?}: {}", a.text);
        } else {
            assert_eq!(a.status, 403, "{host} {origin:?}: {}", a.text);
            let body = a.json();
            assert_eq!(body["code"], "DEFAULT_4XX", "{}", a.text);
            assert_eq!(body["requestId"], a.header("x-amzn-requestid"));
            assert!(a.text.contains("127.0.0.1"), "{}", a.text);
        }
    }
    // Over a shared store the local server turns the endpoint off: no such route.
    let off = LocalApi::new(document(), Arc::new(Echo), config())
        .unwrap()
        .with_dev_auth(dev)
        .unwrap()
        .with_token_endpoint(false);
    let a = req("GET", "/local/token?sub=mallory&groups=admin")
        .send(&off)
        .await;
    assert_eq!(a.status, 403, "{}", a.text);
    gateway_error(
        &a,
        "MISSING_AUTHENTICATION_TOKEN",
        "Missing Authentication Token",
    );
}

#[cfg(unix)]
#[test]
fn operations_the_dev_signing_key_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = apigateway_rest_emulator::SigningKey::Persisted(dir.path().to_owned());
    let first = key.load().unwrap();
    let path = dir.path().join("dev-signing-key.pem");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Read back, not replaced.
    assert_eq!(key.load().unwrap(), first);
}

// ---------------------------------------------------------------- the JWKS cache

/// A JWKS endpoint whose answer can change and whose hits are counted.
struct JwksServer {
    url: String,
    hits: Arc<AtomicUsize>,
    body: Arc<Mutex<Option<String>>>,
}

async fn jwks_server(body: Option<String>) -> JwksServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/pool/.well-known/jwks.json",
        listener.local_addr().unwrap()
    );
    let hits = Arc::new(AtomicUsize::new(0));
    let body = Arc::new(Mutex::new(body));
    let (h, b) = (Arc::clone(&hits), Arc::clone(&body));
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            h.fetch_add(1, Ordering::SeqCst);
            let answer = b.lock().unwrap().clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let _ = stream.read(&mut request).await;
                // Slow enough that concurrent callers overlap with the fetch.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let response = match answer {
                    Some(jwks) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{jwks}",
                        jwks.len()
                    ),
                    None => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
                };
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    JwksServer { url, hits, body }
}

fn url_authorizer(url: &str, refresh: KeyRefresh) -> Arc<CognitoAuthorizer> {
    Arc::new(CognitoAuthorizer::new(AuthorizerConfig {
        issuer: ISSUER.to_owned(),
        audience: Some(CLIENT_ID.to_owned()),
        jwks: JwksSource::Url(url.to_owned()),
        refresh,
    }))
}

#[tokio::test]
async fn operations_a_failing_jwks_is_fetched_once_for_many_callers_and_not_per_request() {
    let server = jwks_server(None).await;
    let authorizer = url_authorizer(
        &server.url,
        KeyRefresh {
            failure_backoff: Duration::from_secs(30),
            ..KeyRefresh::default()
        },
    );
    let token = token(&alice());
    let calls = (0..16).map(|_| {
        let (authorizer, token) = (Arc::clone(&authorizer), token.clone());
        tokio::spawn(async move { authorizer.authorize(Some(&token)).await })
    });
    for call in calls {
        let result = call.await.unwrap();
        assert!(matches!(result, Err(AuthError::Jwks { .. })), "{result:?}");
    }
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1,
        "one fetch for 16 callers"
    );
    for _ in 0..10 {
        let result = authorizer.authorize(Some(&token)).await;
        assert!(matches!(result, Err(AuthError::Jwks { .. })), "{result:?}");
    }
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1,
        "no fetch within the back-off"
    );
    // Once the JWKS answers and the back-off is over, tokens pass again.
    *server.body.lock().unwrap() = Some(dev().jwks_json().to_string());
    let quick = url_authorizer(
        &server.url,
        KeyRefresh {
            failure_backoff: Duration::from_millis(200),
            ..KeyRefresh::default()
        },
    );
    *server.body.lock().unwrap() = None;
    assert!(quick.authorize(Some(&token)).await.is_err());
    *server.body.lock().unwrap() = Some(dev().jwks_json().to_string());
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(quick.authorize(Some(&token)).await.is_ok());
}

#[tokio::test]
async fn operations_a_key_removed_from_the_jwks_stops_being_trusted() {
    let server = jwks_server(Some(dev().jwks_json().to_string())).await;
    let max_age = Duration::from_millis(300);
    let authorizer = url_authorizer(
        &server.url,
        KeyRefresh {
            max_age,
            ..KeyRefresh::default()
        },
    );
    let token = token(&alice());
    assert!(authorizer.authorize(Some(&token)).await.is_ok());
    // Verified once, then answered from the cache.
    assert!(authorizer.authorize(Some(&token)).await.is_ok());
    // The pool rotates its key: only the other key is published now.
    *server.body.lock().unwrap() = Some(forger().jwks_json().to_string());
    tokio::time::sleep(max_age + Duration::from_millis(50)).await;
    let result = authorizer.authorize(Some(&token)).await;
    assert!(
        matches!(&result, Err(AuthError::InvalidToken(reason)) if reason.contains("unknown kid")),
        "{result:?}"
    );
    let rotated = forger().mint_id_token(&DevUser::new("bob")).unwrap();
    assert!(authorizer.authorize(Some(&rotated)).await.is_ok());
}

// ---------------------------------------------------------------- logs

#[tokio::test]
async fn logs_a_token_s_kid_cannot_forge_a_log_line() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }
    let buffer = Buffer::default();
    let _guard = tracing::subscriber::set_default(apigateway_rest_emulator::cli::log_subscriber(
        tracing_subscriber::EnvFilter::new("info"),
        buffer.clone(),
    ));
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("x\n2026-01-01T00:00:00.000000Z  INFO request status=200 forged=yes".into());
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(
        rsa::pkcs8::EncodePrivateKey::to_pkcs8_pem(&keys().1, rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let forged = jsonwebtoken::encode(&header, &dev().id_token_claims(&alice()), &key).unwrap();
    let a = req("GET", "/accounts/me")
        .header("authorization", &forged)
        .send(&api())
        .await;
    assert_eq!(a.status, 401);
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("unknown kid x\\n2026"), "{text}");
    for line in text.lines() {
        assert!(!line.starts_with("2026-01-01"), "a forged line: {text}");
    }
    // Any field, a header value as much as a reason: control, ANSI and bidi characters are
    // written as escapes, and one event stays one line.
    buffer.0.lock().unwrap().clear();
    let value = "k\n2026-01-01T00:00:00Z  INFO request status=200 forged\u{1b}[31m\u{202e}";
    tracing::info!(reason = %format!("unknown kid {value}"), header = ?value, "unauthorized");
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\\u{1b}[31m\\u{202e}"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
}
