//! `Tls`: which server certificates a SUT connection trusts, and the rustls configuration
//! made from it. Trusted are the system's roots plus every `--ca-cert` certificate, and a
//! `--ca-cert` certificate presented as the server's own (a self-signed staging
//! certificate, often marked CA:TRUE, which plain WebPKI rejects as an end entity; curl and
//! OpenSSL accept it from their trust store). `--insecure` trusts every certificate.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// What a SUT connection trusts (`ClientConfig::tls`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tls {
    /// Certificates from `--ca-cert`: trusted as roots, and as a server's own certificate.
    pub certs: Vec<CertificateDer<'static>>,
    /// `--insecure`: no certificate is verified.
    pub insecure: bool,
}

impl Tls {
    /// Reads the PEM certificates of every file (each holds one or more).
    pub fn from_files(files: &[impl AsRef<Path>], insecure: bool) -> Result<Tls, String> {
        let mut certs = Vec::new();
        for file in files {
            let file = file.as_ref();
            let before = certs.len();
            let pems = CertificateDer::pem_file_iter(file)
                .map_err(|e| format!("--ca-cert {}: {e}", file.display()))?;
            for cert in pems {
                certs.push(cert.map_err(|e| format!("--ca-cert {}: {e}", file.display()))?);
            }
            if certs.len() == before {
                return Err(format!(
                    "--ca-cert {}: no certificate in it (expected PEM, \
                     `-----BEGIN CERTIFICATE-----`)",
                    file.display()
                ));
            }
        }
        Ok(Tls { certs, insecure })
    }

    /// The rustls configuration (ring; TLS 1.2 and 1.3; HTTP/1.1 over ALPN).
    pub fn client_config(&self) -> Result<rustls::ClientConfig, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Trust {
            certs: self.certs.clone(),
            insecure: self.insecure,
            algorithms: provider.signature_verification_algorithms,
            provider: provider.clone(),
            webpki: OnceLock::new(),
        };
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// The certificate check of every handshake.
#[derive(Debug)]
struct Trust {
    certs: Vec<CertificateDer<'static>>,
    insecure: bool,
    provider: Arc<CryptoProvider>,
    algorithms: WebPkiSupportedAlgorithms,
    /// Built at the first handshake (reading the system's roots takes a while, and a run
    /// on `http://` needs none of it).
    webpki: OnceLock<Result<Arc<WebPkiServerVerifier>, String>>,
}

impl Trust {
    fn webpki(&self) -> Result<&Arc<WebPkiServerVerifier>, rustls::Error> {
        self.webpki
            .get_or_init(|| {
                let mut roots = RootCertStore::empty();
                roots.add_parsable_certificates(self.certs.iter().cloned());
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
                    .build()
                    .map_err(|e| format!("no trusted root certificate: {e}; give --ca-cert FILE"))
            })
            .as_ref()
            .map_err(|e| rustls::Error::General(e.clone()))
    }
}

impl ServerCertVerifier for Trust {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.insecure {
            return Ok(ServerCertVerified::assertion());
        }
        let verified = self.webpki().and_then(|webpki| {
            webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        });
        match verified {
            Err(_) if self.certs.iter().any(|c| c.as_ref() == end_entity.as_ref()) => {
                // The server presents a certificate given with --ca-cert: trusted as
                // itself, for the names it holds.
                let parsed = ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// What the user is told when `host`'s certificate is not trusted (`why`), before any step.
pub fn untrusted(host: &str, why: &str) -> String {
    format!(
        "certificate for {host} is not trusted: {why} (--ca-cert FILE trusts a private CA or a \
         self-signed certificate; --insecure skips the check)"
    )
}

/// The certificate error somewhere in `e`'s chain, said for a user, if that is why a
/// connection failed. An I/O error hides what it wraps from `source`, and TLS errors
/// come wrapped in one or more: those are opened too.
pub fn certificate_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(e);
    while let Some(e) = next {
        if let Some(rustls) = e.downcast_ref::<rustls::Error>() {
            return matches!(
                rustls,
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::General(_)
            )
            .then(|| rustls.to_string());
        }
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_a_certificate_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("empty.pem");
        std::fs::write(&path, "not a certificate\n").expect("write");
        let e = Tls::from_files(&[&path], false).expect_err("no certificate");
        assert!(e.contains("empty.pem: no certificate in it"), "{e}");
        let missing = dir.path().join("missing.pem");
        let e = Tls::from_files(&[&missing], false).expect_err("missing");
        assert!(e.contains("missing.pem"), "{e}");
    }

    #[test]
    fn every_certificate_of_a_bundle_is_read() {
        let pem = |name: &str| {
            let key = rcgen::KeyPair::generate().expect("key");
            let params = rcgen::CertificateParams::new(vec![name.to_string()]).expect("params");
            params.self_signed(&key).expect("cert").pem()
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bundle.pem");
        std::fs::write(&path, pem("a.test") + &pem("b.test")).expect("write");
        let tls = Tls::from_files(&[&path], false).expect("bundle");
        assert_eq!(tls.certs.len(), 2);
        assert!(tls.client_config().is_ok());
    }
}
