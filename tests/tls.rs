//! `https://` SUTs: the reference retailer behind a real TLS terminator (tokio-rustls), with
//! a CA and a leaf certificate made at test time, and with a self-signed CA:TRUE
//! certificate (what `openssl req -x509 -addext subjectAltName=IP:127.0.0.1` makes). With
//! `--ca-cert` the findings are those of plain `http://`; without it, one clear error and
//! exit 3 before any step; with `--insecure`, the same findings and a warning everywhere.
//! The same through the REST face and its mapping.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use seam::reference::{self, Api, Profile, ServerConfig};

const MAPPING: &str = "fixtures/mappings/reference-rest.yaml";
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A server certificate chain and key, and the PEM a client is told to trust.
struct Pki {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    trust_pem: String,
}

fn ip_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.subject_alt_names = vec![SanType::IpAddress(LOOPBACK)];
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    params
}

/// A private CA and a leaf for 127.0.0.1 signed by it; the CA is what is trusted.
fn ca_and_leaf() -> Pki {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::default();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Seam test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = ip_params()
        .signed_by(&leaf_key, &issuer)
        .expect("leaf cert");
    Pki {
        chain: vec![leaf.der().clone(), ca.der().clone()],
        key: PrivatePkcs8KeyDer::from(leaf_key.serialize_der()).into(),
        trust_pem: ca.pem(),
    }
}

/// One self-signed certificate for 127.0.0.1 that marks itself CA:TRUE, trusted as itself.
fn self_signed_ca_true() -> Pki {
    let key = KeyPair::generate().expect("key");
    let mut params = ip_params();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("cert");
    Pki {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        trust_pem: cert.pem(),
    }
}

/// A fresh reference retailer (siloed) behind a TLS terminator; returns both addresses.
async fn retailer_behind_tls(pki: &Pki, api: Api) -> (SocketAddr, SocketAddr) {
    let mut config = ServerConfig::loopback(Profile::siloed());
    config.api = api;
    let server = reference::start(config).await.expect("server starts");
    let backend = server.addr;
    std::mem::forget(server); // lives as long as the test's runtime
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(pki.chain.clone(), pki.key.clone_key())
        .expect("server cert");
    let acceptor = TlsAcceptor::from(Arc::new(tls));
    let listener = TcpListener::bind((LOOPBACK, 0)).await.expect("bind");
    let front = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut client) = acceptor.accept(client).await else {
                    return; // a client that did not trust us hung up
                };
                if let Ok(mut upstream) = TcpStream::connect(backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    (backend, front)
}

async fn seam(args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_seam"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .args(args)
        .args(["--run-id", "r-tls", "--no-progress", "--color", "never"])
        .env("OMNIA_USER", reference::rest::USERNAME)
        .env("OMNIA_PASSWORD", reference::rest::PASSWORD)
        .output()
        .await
        .expect("seam runs")
}

/// The findings of a JSON report, without what differs between targets.
fn findings(report: &Path) -> (Vec<Value>, Value) {
    let text = std::fs::read_to_string(report).expect("json report");
    let json: Value = serde_json::from_str(&text).expect("json");
    let findings = json["findings"].as_array().expect("findings").clone();
    (findings, json["notes"].clone())
}

/// Runs the bundled journeys on plain http and through TLS (trusted, untrusted,
/// insecure), each on a fresh retailer, and checks what each gives.
async fn audit_over_tls(pki: Pki, api: Api, extra: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let trust = dir.path().join("trust.pem");
    std::fs::write(&trust, &pki.trust_pem).expect("write pem");
    let trust = trust.to_str().expect("utf-8 path");
    let report = |name: &str| dir.path().join(name);
    let json = |name: &str| format!("json={}", report(name).display());

    let (plain, _) = retailer_behind_tls(&pki, api).await;
    let url = format!("http://{plain}");
    let mut args = vec!["scenarios", "--target", &url, "--report"];
    let plain_json = json("plain.json");
    args.extend([plain_json.as_str()]);
    args.extend(extra);
    let out = seam(&args).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (expected, _) = findings(&report("plain.json"));
    assert!(expected.len() > 10, "the siloed retailer fails its stories");

    // Trusted with --ca-cert: the same findings.
    let (_, front) = retailer_behind_tls(&pki, api).await;
    let url = format!("https://{front}");
    let trusted_json = json("trusted.json");
    let mut args = vec!["scenarios", "--target", &url, "--ca-cert", trust];
    args.extend(["--report", &trusted_json]);
    args.extend(extra);
    let out = seam(&args).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(findings(&report("trusted.json")).0, expected);

    // Not trusted: one error, exit 3, nothing else written or printed.
    let (_, front) = retailer_behind_tls(&pki, api).await;
    let url = format!("https://{front}");
    let untrusted_json = json("untrusted.json");
    let mut args = vec!["scenarios", "--target", &url, "--report", &untrusted_json];
    args.extend(extra);
    let out = seam(&args).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with("error: certificate for 127.0.0.1 is not trusted: "),
        "{stderr}"
    );
    assert!(errors[0].contains("--ca-cert"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!report("untrusted.json").exists());

    // --insecure: the same findings, and it says so on stderr and in the report.
    let (_, front) = retailer_behind_tls(&pki, api).await;
    let url = format!("https://{front}");
    let insecure_json = json("insecure.json");
    let mut args = vec!["scenarios", "--target", &url, "--insecure"];
    args.extend(["--report", &insecure_json]);
    args.extend(extra);
    let out = seam(&args).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("warning: TLS certificates were not verified (--insecure)"));
    let (found, notes) = findings(&report("insecure.json"));
    assert_eq!(found, expected);
    assert!(notes.to_string().contains("--insecure"), "{notes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_and_its_leaf() {
    audit_over_tls(ca_and_leaf(), Api::Protocol, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_that_says_ca_true() {
    audit_over_tls(self_signed_ca_true(), Api::Protocol, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_through_the_rest_mapping() {
    audit_over_tls(ca_and_leaf(), Api::Rest, &["--mapping", MAPPING]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_through_the_rest_mapping() {
    audit_over_tls(self_signed_ca_true(), Api::Rest, &["--mapping", MAPPING]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_without_a_certificate_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.pem");
    std::fs::write(&bad, "hello\n").expect("write");
    let bad = bad.to_str().expect("utf-8");
    let out = seam(&["scenarios", "--ca-cert", bad]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.pem: no certificate in it"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validate_reads_the_catalogue_of_an_https_target_with_the_same_flags() {
    let pki = ca_and_leaf();
    let dir = tempfile::tempdir().expect("tempdir");
    let trust = dir.path().join("trust.pem");
    std::fs::write(&trust, &pki.trust_pem).expect("write pem");
    let (_, front) = retailer_behind_tls(&pki, Api::Protocol).await;
    let url = format!("https://{front}");
    let validate = |extra: Vec<String>| {
        let url = url.clone();
        async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_seam"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["validate", "scenarios", "--target", &url])
                .args(extra)
                .output()
                .await
                .expect("seam validate runs")
        }
    };
    let out = validate(vec![]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("certificate for 127.0.0.1 is not trusted"),
        "{stderr}"
    );
    let trust = trust.to_str().expect("utf-8").to_string();
    let out = validate(vec!["--ca-cert".into(), trust]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
}
