//! The HTTPS client of every AWS SDK client in the accounts service (DynamoDB, Secrets
//! Manager), in the Lambdas and in the tools that talk to AWS.
//!
//! Why not the SDK's `default-https-client`: that one links rustls on aws-lc-rs (about
//! 0.5 MB more in every zip) and loads the platform's whole trust store (about 140
//! certificates, parsed during init: most of what separated a function's init from a bare
//! Lambda's, see `handlers/bench/README.md`). The functions only ever talk to AWS service
//! endpoints, whose certificates chain to the Amazon Trust Services roots
//! (<https://www.amazontrust.com/repository/>), so this client uses rustls on ring and
//! trusts those five roots, embedded in the binary (`roots/amazon-trust-services.pem`):
//! Amazon Root CA 1–4 and Starfield Services Root CA G2, which cross-signs them.
//!
//! `AWS_CA_BUNDLE` (the SDKs' shared setting,
//! <https://docs.aws.amazon.com/sdkref/latest/guide/feature-gen-config.html>) replaces them
//! with the certificates of a PEM file, for an endpoint behind a TLS-inspecting proxy or a
//! partition whose endpoints chain elsewhere. Plain `http://` endpoints (moto, DynamoDB
//! Local, the benchmark's fake) need no roots at all.

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

/// The Amazon Trust Services roots, PEM.
pub const AMAZON_TRUST_SERVICES_ROOTS: &str = include_str!("../roots/amazon-trust-services.pem");

/// The environment variable naming a replacement CA bundle.
pub const CA_BUNDLE_ENV: &str = "AWS_CA_BUNDLE";

/// Why the client cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// `AWS_CA_BUNDLE` names a file that cannot be read.
    #[error("{CA_BUNDLE_ENV}={path}: cannot read it: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    /// The bundle holds something that is not a usable root certificate.
    #[error("{origin}: certificate {index} is not a usable root certificate: {reason}")]
    BadCertificate {
        origin: String,
        index: usize,
        reason: String,
    },
    /// The bundle holds no certificate at all.
    #[error("{origin}: no PEM certificate in it")]
    Empty { origin: String },
}

/// The HTTPS client: rustls on ring, trusting `AWS_CA_BUNDLE`'s certificates when it is set,
/// else the Amazon Trust Services roots.
pub fn https_client() -> Result<SharedHttpClient, TrustError> {
    match std::env::var(CA_BUNDLE_ENV).ok().filter(|p| !p.is_empty()) {
        Some(path) => {
            let pem = std::fs::read(&path).map_err(|source| TrustError::Unreadable {
                path: path.clone(),
                source,
            })?;
            https_client_trusting(&pem, &format!("{CA_BUNDLE_ENV}={path}"))
        }
        // Not checked again at every cold start: a unit test parses them.
        None => build(
            AMAZON_TRUST_SERVICES_ROOTS.as_bytes(),
            "the Amazon Trust Services roots",
        ),
    }
}

/// The HTTPS client trusting exactly the certificates of `pem`; `origin` names the bundle in
/// errors. The certificates are checked here because the SDK's client parses them only when it
/// opens its first connection, and panics there on a bad one.
pub fn https_client_trusting(pem: &[u8], origin: &str) -> Result<SharedHttpClient, TrustError> {
    check_roots(pem, origin)?;
    build(pem, origin)
}

/// The client over roots already known to parse.
fn build(pem: &[u8], origin: &str) -> Result<SharedHttpClient, TrustError> {
    let context = TlsContext::builder()
        .with_trust_store(TrustStore::empty().with_pem_certificate(pem))
        .build()
        .map_err(|e| TrustError::BadCertificate {
            origin: origin.to_owned(),
            index: 0,
            reason: e.to_string(),
        })?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(context)
        .build_https())
}

/// Counts the certificates of `pem`, each one parsed as a trust anchor the way rustls will.
pub fn check_roots(pem: &[u8], origin: &str) -> Result<usize, TrustError> {
    let mut count = 0;
    for (index, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let bad = |reason: String| TrustError::BadCertificate {
            origin: origin.to_owned(),
            index,
            reason,
        };
        let der = cert.map_err(|e| bad(e.to_string()))?;
        webpki::anchor_from_trusted_cert(&der).map_err(|e| bad(e.to_string()))?;
        count += 1;
    }
    if count == 0 {
        return Err(TrustError::Empty {
            origin: origin.to_owned(),
        });
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// SHA-256 fingerprints published at <https://www.amazontrust.com/repository/>.
    const PUBLISHED: [&str; 5] = [
        "8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e", // Amazon Root CA 1
        "1ba5b2aa8c65401a82960118f80bec4f62304d83cec4713a19c39c011ea46db4", // Amazon Root CA 2
        "18ce6cfe7bf14e60b2e347b8dfe868cb31d02ebb3ada271569f50343b46db3a4", // Amazon Root CA 3
        "e35d28419ed02025cfa69038cd623962458da5c695fbdea3c22b0bfb25897092", // Amazon Root CA 4
        "568d6905a2c88708a4b3025190edcfedb1974a606a13c6e5290fcb2ae63edab5", // Starfield Services Root CA G2
    ];

    #[test]
    fn the_embedded_roots_are_the_published_ones() {
        let fingerprints: Vec<String> =
            CertificateDer::pem_slice_iter(AMAZON_TRUST_SERVICES_ROOTS.as_bytes())
                .map(|c| {
                    let der = c.unwrap();
                    Sha256::digest(der.as_ref())
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect()
                })
                .collect();
        assert_eq!(fingerprints, PUBLISHED);
        assert_eq!(
            check_roots(AMAZON_TRUST_SERVICES_ROOTS.as_bytes(), "embedded").unwrap(),
            5
        );
    }

    #[test]
    fn a_bad_bundle_is_refused_with_its_origin() {
        let e = check_roots(b"not a certificate", "AWS_CA_BUNDLE=/x.pem").unwrap_err();
        assert_eq!(
            e.to_string(),
            "AWS_CA_BUNDLE=/x.pem: no PEM certificate in it"
        );
        let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let e = check_roots(garbage, "AWS_CA_BUNDLE=/y.pem").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("AWS_CA_BUNDLE=/y.pem: certificate 0 is not a usable root"),
            "{e}"
        );
    }

    #[test]
    fn the_client_builds_from_the_embedded_roots() {
        https_client_trusting(AMAZON_TRUST_SERVICES_ROOTS.as_bytes(), "embedded").unwrap();
    }
}
