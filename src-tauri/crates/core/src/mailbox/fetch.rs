//! Reading the privacy mailbox over IMAP (async-imap on a current-thread tokio
//! runtime, TLS through rustls with the system's roots and an optional extra CA).
//!
//! The folder is opened read-only (`EXAMINE`) unless filed messages are to be
//! flagged or moved. The new messages are listed with their sizes (`UID FETCH
//! <last+1>:* (UID RFC822.SIZE)`), then read in UID order: small ones a batch
//! at a time (`BODY.PEEK[]`), each one larger than [`STREAM_ABOVE`] a range at
//! a time (`BODY.PEEK[]<offset.size>`), every range sealed into the evidence
//! folder as it arrives ([`stored::Staging`]) and scanned for the preview and
//! the attachments ([`parse::Scanner`]), so a 25 MB attachment passes through
//! in flat memory. Each message is filed with the folder's last UID
//! in ONE write transaction ([`Store::write`]), so a kill mid-fetch neither loses
//! a message nor files one twice: the next fetch starts after the last one
//! committed, and `UNIQUE (folder, uidvalidity, uid)` makes a repeat a no-op.
//! A changed UIDVALIDITY re-reads the folder and skips what is already filed
//! (same Message-ID, arrival time and size; or the same bytes).
//!
//! Errors name the server (`host:port`) and what went wrong, never the
//! account, a sender or a subject.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::oauth::{self, Credential};
use super::settings::{self as mailbox_settings, MailboxSettings, OnFiled, Security};
use super::{parse, store};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::evidence::stored;
use crate::secrets::SecretStore;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Dialect, Store};

/// How long connecting, the TLS handshake and the login may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The query for each new small message: the server's arrival time and size, and the exact bytes without setting `\Seen`.
const FETCH_QUERY: &str = "(UID INTERNALDATE RFC822.SIZE BODY.PEEK[])";
/// A message larger than this (RFC822.SIZE) is read a range at a time and streamed to disk.
pub const STREAM_ABOVE: u32 = 1 << 20;
/// The range read at a time from a large message.
pub const RANGE: u32 = 1 << 20;
/// Small messages read with one command: at most this many, of at most this many bytes together.
const BATCH: usize = 250;
const BATCH_BYTES: u64 = 8 << 20;

/// What one fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FetchReport {
    /// New items in the intake.
    pub new_items: u32,
    /// Replies filed on their request's timeline.
    pub replies: u32,
    /// Messages read again and found already filed (after a changed UIDVALIDITY).
    pub already_filed: u32,
    /// Messages filed with a warning (unreadable in part).
    pub warnings: u32,
    /// Whether the folder's UIDVALIDITY had changed since the last fetch.
    pub uidvalidity_changed: bool,
}

/// What `mailbox test` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ServerCheck {
    pub server: String,
    pub capabilities: Vec<String>,
    pub folder: String,
    pub messages: u32,
}

pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Io for T {}
pub(crate) type Stream = Box<dyn Io>;
pub(crate) type Session = async_imap::Session<Stream>;

/// The certificates of a PEM text; an error naming `extra_ca_pem` when there are none.
pub(crate) fn parse_ca(pem: &str) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>> {
    use rustls_pki_types::pem::PemObject;
    let bad = || Error::invalid("extra_ca_pem", "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
    let certs =
        rustls_pki_types::CertificateDer::pem_slice_iter(pem.as_bytes()).collect::<std::result::Result<Vec<_>, _>>().map_err(|_| bad())?;
    if certs.is_empty() {
        return Err(bad());
    }
    Ok(certs)
}

fn tls_connector(settings: &MailboxSettings) -> Result<tokio_rustls::TlsConnector> {
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(pem) = &settings.extra_ca_pem {
        for cert in parse_ca(pem)? {
            roots.add(cert).map_err(|_| Error::invalid("extra_ca_pem", "is not a usable CA certificate"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

fn unreachable(settings: &MailboxSettings, what: impl std::fmt::Display) -> Error {
    Error::invalid("imap", format!("cannot reach the IMAP server at {}: {what}; nothing was filed, try again later", settings.server()))
}

/// An IMAP error in words without personal data (a parse error may quote the server's bytes).
pub(crate) fn imap_error(settings: &MailboxSettings, doing: &str, e: &async_imap::error::Error) -> Error {
    use async_imap::error::Error as E;
    let why = match e {
        E::Io(io) => format!("connection error ({})", io.kind()),
        E::ConnectionLost => "the connection was lost".to_string(),
        E::No(_) => "the server said no".to_string(),
        E::Bad(_) => "the server did not understand the command".to_string(),
        E::Parse(_) => "the server's answer could not be read".to_string(),
        E::Validate(_) => "a folder or login name the protocol cannot carry".to_string(),
        _ => "an unexpected error".to_string(),
    };
    Error::invalid("imap", format!("the IMAP server at {} failed while {doing}: {why}", settings.server()))
}

async fn tls_wrap(settings: &MailboxSettings, tcp: TcpStream) -> Result<Stream> {
    let connector = tls_connector(settings)?;
    let name =
        rustls_pki_types::ServerName::try_from(settings.host.clone()).map_err(|_| Error::invalid("host", "is not a valid host name"))?;
    let tls = tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name, tcp))
        .await
        .map_err(|_| unreachable(settings, "the TLS handshake timed out"))?
        .map_err(|e| unreachable(settings, format!("the TLS handshake failed ({e})")))?;
    Ok(Box::new(tls))
}

/// Reads the server's greeting.
async fn greet<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug>(
    settings: &MailboxSettings,
    client: &mut async_imap::Client<T>,
) -> Result<()> {
    let greeting = tokio::time::timeout(CONNECT_TIMEOUT, client.read_response())
        .await
        .map_err(|_| unreachable(settings, "the server sent no greeting"))?
        .map_err(|e| unreachable(settings, format!("no greeting ({})", e.kind())))?;
    match greeting {
        Some(_) => Ok(()),
        None => Err(unreachable(settings, "the server closed the connection")),
    }
}

/// Connects, secures and logs in (LOGIN with the password, or AUTHENTICATE with the OAuth access token).
pub(crate) async fn login(settings: &MailboxSettings, credential: &Credential) -> Result<Session> {
    let username = settings.username.as_deref().ok_or_else(|| Error::invalid("username", "is required to log in to the IMAP server"))?;
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((settings.host.as_str(), settings.port)))
        .await
        .map_err(|_| unreachable(settings, "the connection timed out"))?
        .map_err(|e| {
            unreachable(settings, format!("{} ({})", e.kind(), e.raw_os_error().map_or(String::new(), |n| format!("os error {n}"))))
        })?;
    let client: async_imap::Client<Stream> = match settings.security {
        Security::Tls => {
            let mut client = async_imap::Client::new(tls_wrap(settings, tcp).await?);
            greet(settings, &mut client).await?;
            client
        }
        Security::None => {
            let mut client = async_imap::Client::new(Box::new(tcp) as Stream);
            greet(settings, &mut client).await?;
            client
        }
        Security::Starttls => {
            let mut plain = async_imap::Client::new(tcp);
            greet(settings, &mut plain).await?;
            plain.run_command_and_check_ok("STARTTLS", None).await.map_err(|e| imap_error(settings, "starting TLS", &e))?;
            // No greeting follows STARTTLS.
            async_imap::Client::new(tls_wrap(settings, plain.into_inner()).await?)
        }
    };
    let result = match credential {
        Credential::Password(password) => client.login(username, password.as_str()).await,
        Credential::Token(token) => {
            let mechanism = settings.oauth.as_ref().map(|o| o.mechanism).unwrap_or_default();
            let mut sasl = oauth::Sasl::new(mechanism, username, &settings.host, settings.port, token);
            client.authenticate(mechanism.name(), &mut sasl).await
        }
    };
    match result {
        Ok(session) => Ok(session),
        Err((async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_), _)) if matches!(credential, Credential::Token(_)) => {
            oauth::forget(settings);
            Err(Error::invalid(
                "imap",
                format!(
                    "the mailbox at {} refused the access token; sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`) (or check that the server accepts {})",
                    settings.server(),
                    settings.oauth.as_ref().map(|o| o.mechanism).unwrap_or_default().name()
                ),
            ))
        }
        Err((async_imap::error::Error::No(_), _)) => Err(Error::invalid(
            "imap",
            format!("the IMAP server at {} refused the login; check the username and the password", settings.server()),
        )),
        Err((e, _)) => Err(imap_error(settings, "logging in", &e)),
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::Internal(format!("no async runtime: {e}")))
}

/// Logs in and reports the server's capabilities and the folder's message count (`mailbox test`).
pub fn test(settings: &MailboxSettings, keyring: &dyn SecretStore) -> Result<ServerCheck> {
    runtime()?.block_on(async {
        let credential = oauth::credential(settings, keyring).await?;
        let mut session = login(settings, &credential).await?;
        let caps = session.capabilities().await.map_err(|e| imap_error(settings, "listing its capabilities", &e))?;
        let mut capabilities: Vec<String> = caps
            .iter()
            .map(|c| match c {
                async_imap::types::Capability::Imap4rev1 => "IMAP4rev1".to_string(),
                async_imap::types::Capability::Auth(a) => format!("AUTH={a}"),
                async_imap::types::Capability::Atom(a) => a.clone(),
            })
            .collect();
        capabilities.sort();
        let mailbox = session.examine(&settings.folder).await.map_err(|e| imap_error(settings, "opening the folder", &e))?;
        let _ = session.logout().await;
        Ok(ServerCheck { server: settings.server(), capabilities, folder: settings.folder.clone(), messages: mailbox.exists })
    })
}

/// Reads the new messages of the mailbox's folder and files each one: a reply on its
/// request's timeline, anything else as an intake item. Idempotent.
///
/// On a team register any officer's workstation may fetch, and two fetching the
/// same mailbox at once file each message once: each message is filed in a
/// writing transaction (serial on either store) that first looks for the
/// folder's `(uidvalidity, uid)`, and the row's `UNIQUE (folder, uidvalidity,
/// uid)` turns a repeat into nothing (`ON CONFLICT DO NOTHING`). The kept mail
/// goes where the store keeps stored files ([`crate::evidence::place`]); a large
/// one is staged in a temporary folder of this workstation on the way.
pub fn fetch<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, keyring: &dyn SecretStore, actor: &str) -> Result<FetchReport> {
    let db = store.into();
    let settings = mailbox_settings::require(db)?;
    // Where a large mail is staged while it is read: the evidence folder on the local file
    // (renamed into place), a temporary folder on a team register (its bytes go to `stored_chunks`).
    let (dir, _staging_dir) = match db {
        Store::Sqlite(file) => (crate::evidence::dir(file)?, None),
        Store::Postgres(_) => {
            let temp = tempfile::tempdir()?;
            (temp.path().to_path_buf(), Some(temp))
        }
    };
    let report = runtime()?.block_on(async {
        let credential = oauth::credential(&settings, keyring).await?;
        let mut session = login(&settings, &credential).await?;
        let folder = &settings.folder;
        let mailbox = if settings.on_filed == OnFiled::Leave {
            session.examine(folder).await
        } else {
            session.select(folder).await
        }
        .map_err(|e| imap_error(&settings, "opening the folder", &e))?;
        let uidvalidity = mailbox.uid_validity.ok_or_else(|| Error::invalid("imap", "the server gave the folder no UIDVALIDITY"))?;
        let known = off_runtime(db, || db.read(|c| store::folder_state(c, folder)))?;
        let changed = known.is_some_and(|(v, _)| v != uidvalidity);
        let last = match known {
            Some((v, last)) if v == uidvalidity => last,
            _ => 0,
        };
        let mut report = FetchReport { uidvalidity_changed: changed, ..FetchReport::default() };
        if changed {
            tracing::warn!(folder_uidvalidity = uidvalidity, "the mailbox folder's UIDVALIDITY changed; reading it again");
        }
        let mut filed_uids = Vec::new();
        let listed = if mailbox.exists > 0 { list_new(&mut session, &settings, last).await? } else { Vec::new() };
        let rescan = changed || known.is_none();
        let mut staging_key = None;
        let mut i = 0;
        while i < listed.len() {
            let mut fetched = Vec::new();
            if listed[i].1 > STREAM_ABOVE {
                let (uid, size) = listed[i];
                i += 1;
                if staging_key.is_none() {
                    staging_key = Some(off_runtime(db, || stored::staging_key(db))?);
                }
                let key = staging_key.clone().expect("set above");
                // A message expunged while it was read is not filed: it is no longer there to file.
                let Some((arrived, staged, parsed)) = stream_one(&mut session, &settings, &dir, key, uid).await? else { continue };
                let size = u32::try_from(staged.sealed.size).unwrap_or(size);
                fetched.push((uid, arrived, size, Content::Streamed(Box::new((staged, parsed)))));
            } else {
                let (mut j, mut bytes) = (i, 0u64);
                while j < listed.len() && listed[j].1 <= STREAM_ABOVE && j - i < BATCH && bytes < BATCH_BYTES {
                    bytes += u64::from(listed[j].1);
                    j += 1;
                }
                let set = listed[i..j].iter().map(|(uid, _)| uid.to_string()).collect::<Vec<_>>().join(",");
                i = j;
                let mut stream =
                    session.uid_fetch(set, FETCH_QUERY).await.map_err(|e| imap_error(&settings, "fetching messages", &e))?;
                while let Some(message) = stream.try_next().await.map_err(|e| imap_error(&settings, "fetching messages", &e))? {
                    let Some(uid) = message.uid else { continue };
                    if uid <= last {
                        continue;
                    }
                    let arrived = message.internal_date().map(|d| d.with_timezone(&Utc));
                    let size = message.size.unwrap_or(message.body().map_or(0, |b| b.len() as u32));
                    let outcome = file_one(db, &dir, clock, actor, folder, uidvalidity, rescan, (uid, arrived, size, Content::Whole(message.body().unwrap_or_default())))?;
                    count(&mut report, &mut filed_uids, uid, outcome);
                }
            }
            for one in fetched {
                let uid = one.0;
                let outcome = file_one(db, &dir, clock, actor, folder, uidvalidity, rescan, one)?;
                count(&mut report, &mut filed_uids, uid, outcome);
            }
        }
        if !filed_uids.is_empty() && settings.on_filed != OnFiled::Leave {
            let set = filed_uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            let done = match (settings.on_filed, settings.move_to.as_deref()) {
                (OnFiled::Flag, _) => match session.uid_store(&set, "+FLAGS (\\Flagged)").await {
                    Ok(s) => s.try_collect::<Vec<_>>().await.map(|_| ()),
                    Err(e) => Err(e),
                },
                (OnFiled::Move, Some(to)) => session.uid_mv(&set, to).await,
                _ => Ok(()),
            };
            // The messages are filed already; a server that refuses the flag or move loses nothing.
            if let Err(e) = done {
                tracing::warn!(error = %imap_error(&settings, "flagging or moving filed messages", &e), "mailbox action after filing failed");
            }
        }
        let _ = session.logout().await;
        tracing::info!(
            new_items = report.new_items,
            replies = report.replies,
            already_filed = report.already_filed,
            warnings = report.warnings,
            "mailbox fetched"
        );
        Ok::<_, Error>(report)
    })?;
    announce(db, &report);
    Ok(report)
}

/// On a team register, tells every open window (and the app's or the CLI's fetch alike) that new
/// mail was filed: one change notice of no request, delivered at commit, as the events' trigger
/// sends for a request (new intake items are not events). Best effort: a window that misses it
/// shows the items when it next reads its Inbox.
fn announce(db: Store<'_>, report: &FetchReport) {
    if report.new_items == 0 || db.dialect() != Dialect::Postgres {
        return;
    }
    let sent = off_runtime(db, || db.write(|c| c.execute_batch(&format!("NOTIFY {}", crate::store::pg::CHANGES_CHANNEL))));
    if let Err(e) = sent {
        tracing::warn!(code = %e.code(), "the other windows were not told of the new mail");
    }
}

/// The UIDs after `last` and their sizes, in UID order.
async fn list_new(session: &mut Session, settings: &MailboxSettings, last: u32) -> Result<Vec<(u32, u32)>> {
    let mut stream = session
        .uid_fetch(format!("{}:*", last + 1), "(UID RFC822.SIZE)")
        .await
        .map_err(|e| imap_error(settings, "listing new messages", &e))?;
    let mut listed = Vec::new();
    while let Some(message) = stream.try_next().await.map_err(|e| imap_error(settings, "listing new messages", &e))? {
        // `n:*` names the last message even when its UID is below n.
        if let Some(uid) = message.uid.filter(|uid| *uid > last) {
            listed.push((uid, message.size.unwrap_or(0)));
        }
    }
    listed.sort_unstable();
    listed.dedup_by_key(|(uid, _)| *uid);
    Ok(listed)
}

/// Reads a large message a range at a time, sealing each range to disk and
/// scanning it as it passes; only one range is held. None when the server no
/// longer has the message.
async fn stream_one(
    session: &mut Session,
    settings: &MailboxSettings,
    dir: &std::path::Path,
    key: zeroize::Zeroizing<[u8; 32]>,
    uid: u32,
) -> Result<Option<(Option<DateTime<Utc>>, stored::Staged, parse::Parsed)>> {
    let mut staging = stored::Staging::new(key, dir)?;
    let mut scanner = parse::Scanner::default();
    let mut arrived = None;
    loop {
        let offset = staging.size();
        let query =
            if offset == 0 { format!("(UID INTERNALDATE BODY.PEEK[]<0.{RANGE}>)") } else { format!("(UID BODY.PEEK[]<{offset}.{RANGE}>)") };
        let mut got = None;
        let mut stream = session.uid_fetch(uid.to_string(), &query).await.map_err(|e| imap_error(settings, "fetching a message", &e))?;
        while let Some(message) = stream.try_next().await.map_err(|e| imap_error(settings, "fetching a message", &e))? {
            if message.uid != Some(uid) {
                continue;
            }
            if offset == 0 {
                arrived = message.internal_date().map(|d| d.with_timezone(&Utc));
            }
            let range = message.body().unwrap_or_default();
            staging.write(range)?;
            scanner.feed(range);
            got = Some(range.len());
        }
        drop(stream);
        crate::crash_point::hit("mailbox.range");
        match got {
            None => return Ok(None),
            Some(n) if n < RANGE as usize => break,
            Some(_) => {}
        }
    }
    if staging.size() == 0 {
        // An empty message is sealed as a bare line break, as a small one is.
        staging.write(b"\r\n")?;
    }
    Ok(Some((arrived, staging.finish()?, scanner.finish())))
}

fn count(report: &mut FetchReport, filed_uids: &mut Vec<u32>, uid: u32, outcome: Filed) {
    match outcome {
        Filed::Item { warning } => {
            report.new_items += 1;
            report.warnings += u32::from(warning);
            filed_uids.push(uid);
        }
        Filed::Reply => {
            report.replies += 1;
            filed_uids.push(uid);
        }
        Filed::Already => report.already_filed += 1,
    }
}

/// Runs a call on the register from inside the IMAP runtime. The PostgreSQL
/// client blocks on a runtime of its own, which tokio refuses inside another, so
/// on a team register the call runs on a thread of its own (the runtime waits);
/// SQLite's calls run here.
fn off_runtime<T: Send>(store: Store<'_>, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    match store {
        Store::Sqlite(_) => f(),
        Store::Postgres(_) => std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))),
    }
}

/// Files one message in its own write transaction, with the folder's last UID.
#[allow(clippy::too_many_arguments)]
fn file_one(
    db: Store<'_>,
    dir: &std::path::Path,
    clock: &dyn Clock,
    actor: &str,
    folder: &str,
    uidvalidity: u32,
    rescan: bool,
    (uid, arrived, size, content): (u32, Option<DateTime<Utc>>, u32, Content<'_>),
) -> Result<Filed> {
    let fetched = Fetched { folder, uidvalidity, uid, arrived, size, content, rescan };
    let outcome = off_runtime(db, || db.write(|tx| file_in(tx, dir, clock, fetched, actor)))?;
    crate::crash_point::hit("mailbox.filed");
    Ok(outcome)
}

/// A message's bytes: in memory, or sealed to disk as they arrived (a large one).
enum Content<'a> {
    Whole(&'a [u8]),
    /// Boxed: the staged file and the parsed headers are large beside a slice.
    Streamed(Box<(stored::Staged, parse::Parsed)>),
}

/// One message as the server gave it.
struct Fetched<'a> {
    folder: &'a str,
    uidvalidity: u32,
    uid: u32,
    arrived: Option<DateTime<Utc>>,
    size: u32,
    content: Content<'a>,
    /// The folder is read from its start (first fetch or a changed UIDVALIDITY): skip messages already filed.
    rescan: bool,
}

enum Filed {
    Item { warning: bool },
    Reply,
    Already,
}

/// Files one message inside the caller's transaction, with the folder's last UID.
fn file_in(tx: Conn<'_>, dir: &std::path::Path, clock: &dyn Clock, m: Fetched<'_>, actor: &str) -> Result<Filed> {
    store::advance_folder(tx, m.folder, m.uidvalidity, m.uid)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM intake_items WHERE folder = ?1 AND uidvalidity = ?2 AND uid = ?3)",
        &[&m.folder, &m.uidvalidity, &m.uid],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(Filed::Already);
    }
    let now = clock.now();
    let (mut p, sealed) = match m.content {
        Content::Whole(bytes) => {
            let p = parse::parse(bytes);
            let bytes: &[u8] = if bytes.is_empty() { b"\r\n" } else { bytes };
            (p, stored::seal_in(tx, dir, bytes)?)
        }
        Content::Streamed(streamed) => {
            let (staged, parsed) = *streamed;
            (parsed, stored::seal_staged_in(tx, dir, staged)?)
        }
    };
    let arrived = match m.arrived {
        Some(a) => a,
        None => {
            p.warning.get_or_insert_with(|| "the server gave no arrival time; the time it was read is used".into());
            now
        }
    };
    if m.rescan && store::already_filed(tx, m.folder, p.message_id.as_deref(), arrived, m.size, &sealed.sha256)? {
        return Ok(Filed::Already);
    }
    let reply_to = reply_target(tx, &p)?;
    let id = uuid::Uuid::now_v7().to_string();
    let warning = p.warning.is_some();
    let attachments = serde_json::to_string(&p.attachments).map_err(|e| Error::Internal(e.to_string()))?;
    let inserted = tx.execute(
        "INSERT INTO intake_items (id, folder, uidvalidity, uid, message_id, from_name, from_address, subject, internal_date, size, \
         preview, attachments, warning, state, reason, request_id, blob, sha256, fetched_at, decided_at, decided_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) \
         ON CONFLICT (folder, uidvalidity, uid) DO NOTHING",
        &[
            &id,
            &m.folder,
            &m.uidvalidity,
            &m.uid,
            &p.message_id,
            &p.from_name,
            &p.from_address,
            &p.subject,
            &arrived.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            &m.size,
            &p.preview,
            &attachments,
            &p.warning,
            &if reply_to.is_some() { "linked" } else { "new" },
            &reply_to.as_ref().map(|_| "reply"),
            &reply_to,
            &sealed.blob,
            &sealed.sha256,
            &now.to_rfc3339(),
            &reply_to.as_ref().map(|_| now.to_rfc3339()),
            &reply_to.as_ref().map(|_| actor),
        ],
    )?;
    if inserted == 0 {
        // Another workstation filed it first (its transaction committed while this one waited).
        return Ok(Filed::Already);
    }
    let Some(request_id) = reply_to else {
        tracing::info!(item = %id, uid = m.uid, warning, "mailbox message filed in the intake");
        return Ok(Filed::Item { warning });
    };
    let evidence = stored::attach_in(tx, now, &request_id, "received-mail.eml", &sealed, actor)?;
    events::append(
        tx,
        Some(&request_id),
        now,
        actor,
        NewEvent {
            kind: EventKind::MailReceived,
            summary: format!("Mail received from {}: {} (arrived {})", p.sender(), p.subject_or_none(), arrived.to_rfc3339()),
            data: json!({
                "intake_item": id,
                "from": p.from_address,
                "subject": p.subject,
                "received_at": arrived.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "evidence_id": evidence.id,
                "sha256": sealed.sha256,
            }),
        },
    )?;
    // A system owner's reply to our mail about a task: its files become the task's evidence.
    super::owners::on_reply_in(tx, dir, now, &request_id, &id, &evidence.id, &p, &sealed, arrived, actor)?;
    tracing::info!(item = %id, uid = m.uid, request = %request_id, "mailbox reply filed on its request");
    Ok(Filed::Reply)
}

/// The request a message answers: one whose letter it replies to (In-Reply-To, References),
/// else one whose reference its subject carries (`DSR-2026-0042`).
fn reply_target(tx: Conn<'_>, p: &parse::Parsed) -> Result<Option<String>> {
    let by_letter = match tx.dialect() {
        Dialect::Sqlite => "SELECT request_id FROM letters WHERE trim(message_id, '<>') = ?1 AND request_id IS NOT NULL",
        Dialect::Postgres => "SELECT request_id FROM letters WHERE btrim(message_id, '<>') = ?1 AND request_id IS NOT NULL",
    };
    let by_reference = format!("SELECT id FROM requests WHERE {}", crate::requests::rows::reference_is(tx.dialect(), 1));
    for id in &p.replied_ids {
        if let Some(request) = tx.query_opt(by_letter, &[&id.trim_matches(['<', '>'])], |r| r.get::<String>(0))? {
            return Ok(Some(request));
        }
    }
    for reference in parse::references_in(&p.subject) {
        if let Some(request) = tx.query_opt(&by_reference, &[&reference], |r| r.get::<String>(0))? {
            return Ok(Some(request));
        }
    }
    Ok(None)
}
