//! TLS to the team store with rustls (no OpenSSL: one binary that runs on any SSH host), as
//! libpq's `sslmode` asks:
//!
//! | sslmode | encrypted | server certificate checked |
//! |---|---|---|
//! | `disable` | no | — |
//! | `prefer` (default), `allow` | when the server offers it | no (as libpq) |
//! | `require` | yes, or no connection | no; as `verify-ca` when a root certificate is given or `~/.postgresql/root.crt` exists (as libpq) |
//! | `verify-ca` | yes | chains to `sslrootcert` |
//! | `verify-full` | yes | chains to `sslrootcert` and names the host |
//!
//! `sslrootcert=system` takes the Mozilla roots (webpki-roots) instead of a file.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    ClientConfig, DigitallySignedStruct, Error as TlsError, RootCertStore, SignatureScheme,
};

use super::conninfo::{ConnInfo, SslMode};

/// How the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Encryption only: anyone in the middle who answers with any certificate is believed.
    Nothing,
    /// The chain, not the name.
    Chain,
    /// The chain and the host name.
    ChainAndName,
}

/// What `info`'s `sslmode` means here: `None` for no TLS at all.
pub fn check_for(info: &ConnInfo) -> Option<Check> {
    match info.sslmode {
        SslMode::Disable => None,
        SslMode::Prefer => Some(Check::Nothing),
        SslMode::Require if info.sslrootcert.is_some() => Some(Check::Chain),
        SslMode::Require => Some(Check::Nothing),
        SslMode::VerifyCa => Some(Check::Chain),
        SslMode::VerifyFull => Some(Check::ChainAndName),
    }
}

/// The rustls configuration for `info`, or why there is none (a missing or unreadable root
/// certificate for a mode that needs one).
pub fn client_config(info: &ConnInfo) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?;
    let check = check_for(info).unwrap_or(Check::Nothing);
    let config = if check == Check::Nothing {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth()
    } else {
        let roots = Arc::new(roots(info.sslrootcert.as_deref())?);
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .map_err(|e| format!("TLS set-up failed: {e}"))?;
        if check == Check::Chain {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
                .with_no_client_auth()
        } else {
            builder.with_webpki_verifier(webpki).with_no_client_auth()
        }
    };
    Ok(config)
}

fn roots(file: Option<&Path>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let Some(file) = file else {
        return Err(
            "sslmode verify-ca and verify-full need the CA certificate that signed the server's: \
             give sslrootcert=FILE (or sslrootcert=system, or put it in ~/.postgresql/root.crt)"
                .into(),
        );
    };
    if file == Path::new("system") {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(store);
    }
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(file)
        .and_then(Iterator::collect)
        .map_err(|e| format!("cannot read the root certificate {}: {e}", file.display()))?;
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!(
            "the root certificate file {} holds no usable certificate",
            file.display()
        ));
    }
    Ok(store)
}

/// `require`/`prefer` without a root certificate: encrypted, the certificate not checked (what
/// libpq does); the handshake's signatures are still verified.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must reach a root; a certificate for another name is accepted.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(TlsError::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(TlsError::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(sslmode: SslMode, sslrootcert: Option<&str>) -> ConnInfo {
        ConnInfo {
            hosts: vec!["db.example.com".into()],
            ports: vec![5432],
            user: "alice".into(),
            dbname: "reviews".into(),
            password: None,
            sslmode,
            sslrootcert: sslrootcert.map(Into::into),
            connect_timeout: None,
        }
    }

    #[test]
    fn each_sslmode_checks_what_libpq_checks() {
        assert_eq!(check_for(&info(SslMode::Disable, None)), None);
        assert_eq!(
            check_for(&info(SslMode::Prefer, None)),
            Some(Check::Nothing)
        );
        assert_eq!(
            check_for(&info(SslMode::Require, None)),
            Some(Check::Nothing)
        );
        assert_eq!(
            check_for(&info(SslMode::Require, Some("/ca.pem"))),
            Some(Check::Chain)
        );
        assert_eq!(
            check_for(&info(SslMode::VerifyCa, None)),
            Some(Check::Chain)
        );
        assert_eq!(
            check_for(&info(SslMode::VerifyFull, None)),
            Some(Check::ChainAndName)
        );
    }

    #[test]
    fn verifying_without_a_root_certificate_says_where_to_put_one() {
        let err = client_config(&info(SslMode::VerifyFull, None)).expect_err("no root");
        assert!(err.contains("sslrootcert=FILE"), "{err}");
        let err = client_config(&info(SslMode::VerifyCa, Some("/nonexistent/ca.pem")))
            .expect_err("missing file");
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
        assert!(client_config(&info(SslMode::VerifyFull, Some("system"))).is_ok());
        assert!(client_config(&info(SslMode::Require, None)).is_ok());
    }
}
