//! Connecting to a team register: TLS through rustls, the server's certificate verified
//! against the host name in the address (`sslmode=verify-full`, the only mode), its
//! password from [`super::url::password`], and one clear message per way it fails: a wrong
//! password, an unreachable server, a refused certificate, a missing or newer schema.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use tokio_rustls::rustls;

use super::url::PgUrl;
use crate::error::{Error, Result};
use crate::secrets::SecretStore;
use zeroize::Zeroizing;

/// The error of a team register that cannot be reached or used: what the CLI prints and
/// the app shows. Names the address (user, host, port, database), never the password.
pub(crate) fn refused(url: &PgUrl, reason: impl std::fmt::Display) -> Error {
    Error::Open { path: url.display(), reason: reason.to_string() }
}

/// The TLS settings for `url`: the CAs of `sslrootcert` when given, else the system's
/// roots (and `~/.postgresql/root.crt`, libpq's default file, when there is one).
fn tls(url: &PgUrl) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let mut add_file = |path: &std::path::Path, required: bool| -> Result<()> {
        let pem = match std::fs::read(path) {
            Ok(p) => p,
            Err(_) if !required => return Ok(()),
            Err(e) => {
                return Err(Error::invalid("db", format!("sslrootcert: the CA file {} cannot be read ({})", path.display(), e.kind())))
            }
        };
        let certs = rustls_pki_types::CertificateDer::pem_slice_iter(&pem).collect::<std::result::Result<Vec<_>, _>>().unwrap_or_default();
        if certs.is_empty() && required {
            return Err(Error::invalid("db", format!("sslrootcert: {} holds no PEM certificate", path.display())));
        }
        for cert in certs {
            roots.add(cert).map_err(|_| {
                Error::invalid("db", format!("sslrootcert: {} holds a certificate that is not a usable CA", path.display()))
            })?;
        }
        Ok(())
    };
    match &url.sslrootcert {
        Some(file) => add_file(file, true)?,
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                add_file(&std::path::Path::new(&home).join(".postgresql/root.crt"), false)?;
            }
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Connects to `url` as its user with `password` (none: the server must not ask), over
/// TLS that verifies the server. Checks nothing about the schema ([`open`] does).
pub fn connect(url: &PgUrl, password: Option<&str>) -> Result<postgres::Client> {
    let mut config = postgres::Config::new();
    config
        .user(&url.user)
        .host(&url.host)
        .port(url.port)
        .dbname(&url.dbname)
        .ssl_mode(postgres::config::SslMode::Require)
        .connect_timeout(Duration::from_secs(10))
        .application_name("rightsdesk");
    if let Some(p) = password {
        config.password(p);
    }
    config.connect(tls(url)?).map_err(|e| connect_error(url, password.is_some(), &e))
}

/// Connects as [`connect`] with the password [`super::url::password`] finds, and checks
/// that the database holds a Rightsdesk register this version understands.
pub fn open(url: &PgUrl, secrets: &dyn SecretStore) -> Result<postgres::Client> {
    open_with_password(url, secrets).map(|(client, _)| client)
}

/// [`open`], also giving the password it connected with (a pool opens its further sessions with it).
pub(crate) fn open_with_password(url: &PgUrl, secrets: &dyn SecretStore) -> Result<(postgres::Client, Option<Zeroizing<String>>)> {
    let password = super::url::password(url, secrets)?.map(|(p, _)| p);
    let mut client = connect(url, password.as_ref().map(|p| p.as_str()))?;
    super::migrations::check(&mut client, url)?;
    Ok((client, password))
}

/// The rustls error somewhere in `e`'s chain (an `io::Error` hides its inner error from
/// `source()`, so it is opened by hand).
fn rustls_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(r) = rustls_error(inner) {
                    return Some(r);
                }
            }
        }
        cur = err.source();
    }
    None
}

fn io_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a std::io::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cur = err.source();
    }
    None
}

/// One message per way a connection fails; none repeats a password (the server's own
/// messages do not hold one, and neither do these).
fn connect_error(url: &PgUrl, had_password: bool, e: &postgres::Error) -> Error {
    let at = format!("{}:{}", url.host, url.port);
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return match code {
            // invalid_password
            "28P01" => refused(
                url,
                format!(
                    "the server at {at} refused the password for {}: check RIGHTSDESK_DB_PASSWORD, PGPASSWORD, ~/.pgpass \
                     or the password in the OS keyring (nothing was changed)",
                    url.user
                ),
            ),
            // invalid_authorization_specification: no pg_hba.conf line, or the role may not log in
            "28000" => {
                refused(url, format!("the server at {at} does not let {} log in to {} from here ({})", url.user, url.dbname, db.message()))
            }
            // invalid_catalog_name
            "3D000" => refused(url, format!("the server at {at} has no database {}", url.dbname)),
            "53300" => refused(url, format!("the server at {at} has no connection slot free; try again shortly")),
            _ => refused(url, format!("the server at {at} refused the connection: {} ({code})", db.message())),
        };
    }
    if let Some(tls) = rustls_error(e) {
        let why = match tls {
            rustls::Error::InvalidCertificate(c) => match c {
                rustls::CertificateError::NotValidForName | rustls::CertificateError::NotValidForNameContext { .. } => {
                    format!("it is not issued for {}", url.host)
                }
                // A CA of the same name but another key fails on the signature: not ours either.
                rustls::CertificateError::UnknownIssuer | rustls::CertificateError::BadSignature => {
                    "it is not signed by a CA this computer trusts (sslrootcert)".to_string()
                }
                rustls::CertificateError::Expired | rustls::CertificateError::ExpiredContext { .. } => "it has expired".to_string(),
                other => format!("{other:?}"),
            },
            other => other.to_string(),
        };
        return refused(
            url,
            format!(
                "the server's certificate at {at} was refused: {why}. Nothing was sent to it; check the host name and \
                 sslrootcert=, or ask your database administrator for the server's CA"
            ),
        );
    }
    // The whole chain: `invalid configuration` says little, its cause (`password missing`) says it.
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    if text.contains("server does not support TLS") {
        return refused(
            url,
            format!("the server at {at} does not offer TLS; a team register is only reached over TLS (sslmode=verify-full)"),
        );
    }
    if text.contains("password missing") && !had_password {
        return refused(
            url,
            format!(
                "the server at {at} asks for {}'s password, and none was found: set RIGHTSDESK_DB_PASSWORD or PGPASSWORD, \
                 add a ~/.pgpass line, or store it in the OS keyring",
                url.user
            ),
        );
    }
    if let Some(io) = io_error(e) {
        return refused(
            url,
            format!("cannot reach the PostgreSQL server at {at} ({}): check that it runs and that the address is right", io.kind()),
        );
    }
    if text.contains("timeout") || text.contains("timed out") {
        return refused(url, format!("cannot reach the PostgreSQL server at {at} (no answer within 10 s)"));
    }
    refused(url, format!("cannot connect to the PostgreSQL server at {at}: {text}"))
}

/// A server error in words: its message and SQLSTATE, never its DETAIL (which may quote a
/// row's values), nor the message of a data exception (class 22, which may quote a value).
pub(crate) fn server_error(e: postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            if code.starts_with("22") {
                Error::Internal(format!("PostgreSQL refused a value ({code})"))
            } else {
                Error::Internal(format!("PostgreSQL: {} ({code})", db.message()))
            }
        }
        None => Error::Internal(format!("PostgreSQL: {e}")),
    }
}

/// SQLSTATE 25006 (`read_only_sql_transaction`): a change the server refused because it only
/// reads, said as the officer should read it. `in_recovery` asks the server whether it is a
/// standby (`pg_is_in_recovery()`): a read replica shows what the primary committed and takes
/// no change; otherwise the database or the login is set read-only. Any other error is
/// returned as it is. The transaction rolled back, so nothing was written.
pub fn read_only_refusal(url: &PgUrl, e: Error, in_recovery: impl FnOnce() -> Option<bool>) -> Error {
    let read_only =
        matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "25006") || matches!(&e, Error::Internal(m) if m.ends_with("(25006)"));
    if !read_only {
        return e;
    }
    let at = format!("{}:{}", url.host, url.port);
    if in_recovery() == Some(true) {
        return Error::invalid(
            "db",
            format!(
                "this server is a read-only copy (replica) — the team register at {at} shows what the primary server \
                 committed but takes no change: make it on the primary (ask your database administrator for its \
                 address); nothing was written"
            ),
        );
    }
    Error::invalid(
        "db",
        format!(
            "the server at {at} accepts no change to {}: the database or the login {} is set to read-only \
             (default_transaction_read_only); nothing was written",
            url.dbname, url.user
        ),
    )
}

#[cfg(test)]
mod read_only_tests {
    use super::*;

    #[test]
    fn a_write_refused_by_a_replica_is_said_plainly() {
        let url = PgUrl::parse("postgresql://officer@localhost:5433/rightsdesk?sslmode=verify-full").unwrap();
        let refused = || Error::Postgres { sqlstate: "25006".into(), message: "cannot execute INSERT in a read-only transaction".into() };
        let e = read_only_refusal(&url, refused(), || Some(true)).to_string();
        assert!(e.contains("this server is a read-only copy (replica)") && e.contains("nothing was written"), "{e}");
        let e = read_only_refusal(&url, refused(), || Some(false)).to_string();
        assert!(e.contains("set to read-only") && !e.contains("replica"), "{e}");
        let other = Error::Postgres { sqlstate: "42501".into(), message: "permission denied".into() };
        assert!(matches!(read_only_refusal(&url, other, || panic!("not asked")), Error::Postgres { .. }));
    }
}
