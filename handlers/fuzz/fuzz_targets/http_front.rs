//! Bytes on a connection to the emulator in front of the whole accounts service (in-memory
//! store). `@user@` and `@admin@` in an input become valid tokens. No input may panic or
//! hang the connection; the output is a sequence of HTTP/1.1 answers; every error answer
//! has the shared error shape with the request id of its `x-amzn-requestid`; no answer is
//! a 5xx (the in-memory store never fails, so a 5xx is a crash or a bug).
#![no_main]

use std::net::SocketAddr;
use std::time::Duration;

use accounts_fuzz::{error_shape_problem, local_api, read_answers, runtime, with_tokens};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fuzz_target!(|data: &[u8]| {
    let input = with_tokens(data);
    let api = local_api();
    let output = runtime().block_on(async move {
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let remote: SocketAddr = ([127, 0, 0, 1], 40000).into();
        let served = tokio::spawn(api.serve_connection(server, remote));
        let exchange = async {
            client.write_all(&input).await?;
            client.shutdown().await?;
            let mut output = Vec::new();
            client.read_to_end(&mut output).await?;
            Ok::<_, std::io::Error>(output)
        };
        let output = tokio::time::timeout(Duration::from_secs(10), exchange)
            .await
            .unwrap_or_else(|_| panic!("the connection hung"))
            .unwrap_or_default();
        let _ = served.await;
        output
    });
    let answers = read_answers(&output)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output)));
    for answer in answers {
        assert!(
            answer.status < 500,
            "{} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        if answer.status >= 400 && !answer.body.is_empty() {
            if let Some(problem) = error_shape_problem(&answer.body) {
                panic!(
                    "{}: {problem}: {}",
                    answer.status,
                    String::from_utf8_lossy(&answer.body)
                );
            }
            let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
            let id = answer.header("x-amzn-requestid").unwrap_or_default();
            assert_eq!(
                body["requestId"].as_str().unwrap_or_default().as_bytes(),
                id
            );
        } else if answer.status >= 400 {
            // Only the answer to a HEAD may come without its body.
            assert!(answer.header("content-length").is_some(), "{answer:?}");
        }
    }
});
