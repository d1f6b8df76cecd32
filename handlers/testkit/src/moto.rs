//! One moto server (DynamoDB, Cognito, Secrets Manager stand-in) for the whole test binary.
//!
//! Moved here from `handlers/store/tests/support` so that the store's conformance suite and
//! the HTTP end-to-end tests of `accounts-local` share one launcher.
//!
//! `MOTO_ENDPOINT` wins when set. Otherwise the binary starts moto_server's app from
//! `$REPO/.venv` on 127.0.0.1 and a free port (with requests serialised, see
//! [`SERIALISED_MOTO`]) under a small `sh`
//! watchdog that kills moto when our end of its stdin closes, i.e. when the test
//! process exits however it exits (statics are never dropped, so a `Drop` impl could
//! not do it). A missing moto is a failure, never a skip: `bash .ci/setup.sh`
//! installs it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::Client;

/// moto_server's own app (what `moto_server -H HOST -p PORT` runs), with one lock
/// around each request. moto's DynamoDB backend is not thread-safe: under the threaded
/// server two conditional puts with `version = :expected` can both succeed, and a
/// cancelled transaction restores a snapshot of the whole table over a concurrent
/// winner's writes. DynamoDB applies each request atomically, which the lock restores;
/// the store's own concurrency (its requests interleaving) is still fully exercised.
const SERIALISED_MOTO: &str = r#"
import sys, threading
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()
def serialised(environ, start_response):
    with lock:
        return list(app(environ, start_response))
run_simple(sys.argv[1], int(sys.argv[2]), serialised, threaded=True)
"#;

struct Moto {
    endpoint: String,
    /// Kept for the life of the process: its stdin is the watchdog's lifeline.
    _child: Option<Mutex<Child>>,
}

static MOTO: OnceLock<Moto> = OnceLock::new();

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether an HTTP server answers on `addr` (moto answers any path).
fn answers(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 12];
    matches!(stream.read(&mut buf), Ok(n) if n > 0 && buf.starts_with(b"HTTP/"))
}

fn start() -> Moto {
    if let Ok(endpoint) = std::env::var("MOTO_ENDPOINT") {
        return Moto {
            endpoint,
            _child: None,
        };
    }
    let moto = repo_root().join(".venv/bin/moto_server");
    let python = repo_root().join(".venv/bin/python");
    if !moto.exists() || !python.exists() {
        // Never a skip: a suite that silently does not run is worse than a red one.
        let ci = if std::env::var("CI").as_deref() == Ok("true") {
            " (CI=true: the DynamoDB suites must run in CI, so setup must come first)"
        } else {
            ""
        };
        panic!(
            "moto_server is missing at {}{ci}: run `bash .ci/setup.sh` from the repo root \
             (or set MOTO_ENDPOINT to a running moto server)",
            moto.display()
        );
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let log = std::env::temp_dir().join(format!("accounts-testkit-moto-{port}.log"));
    let child = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" -c "$3" 127.0.0.1 "$1" >"$2" 2>&1 & pid=$!; cat >/dev/null; kill $pid"#)
        .arg(&python)
        .arg(port.to_string())
        .arg(&log)
        .arg(SERIALISED_MOTO)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn moto_server");
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !answers(&addr) {
        assert!(
            Instant::now() < deadline,
            "moto_server did not answer on {addr} within 60 s; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto {
        endpoint: format!("http://{addr}"),
        _child: Some(Mutex::new(child)),
    }
}

/// The moto endpoint (`http://127.0.0.1:PORT`), starting moto on first use. Panics with
/// the fix (`bash .ci/setup.sh`) when moto is not installed and `MOTO_ENDPOINT` is unset.
pub fn endpoint() -> &'static str {
    &MOTO.get_or_init(start).endpoint
}

/// The HTTP client of the service's Lambdas (moto is plain HTTP, so no root is used).
fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    accounts_aws_http::https_client().unwrap_or_else(|e| panic!("{e}"))
}

/// A DynamoDB client for moto: fake static credentials, a fixed region. Build one per
/// test: SDK clients keep connections tied to the runtime that opened them.
pub fn client() -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .endpoint_url(endpoint())
        .http_client(http_client())
        .build();
    Client::from_conf(config)
}
