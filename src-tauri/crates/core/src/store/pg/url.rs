//! A team register's address, `postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full`,
//! and where its password comes from: `RIGHTSDESK_DB_PASSWORD`, libpq's `PGPASSWORD`
//! and `~/.pgpass` (or `PGPASSFILE`), or the OS keyring. The password is never part of
//! the address, never stored in the clear, never in an error or a log.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secrets::SecretStore;

/// The address of a team register, as parsed from `--db` or `RIGHTSDESK_DB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgUrl {
    pub user: String,
    pub host: String,
    pub port: u16,
    pub dbname: String,
    /// `sslrootcert=FILE`: the CA(s) the server's certificate must chain to; without it,
    /// the system's roots (and `~/.postgresql/root.crt` when there is one).
    pub sslrootcert: Option<PathBuf>,
}

/// Whether `db` (a `--db` value) names a team register rather than a file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

fn bad(reason: impl Into<String>) -> Error {
    Error::invalid("db", reason)
}

/// `%XX` decoded (user, database and option values may be percent-encoded).
fn decode(s: &str, what: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(b) = hex else { return Err(bad(format!("the {what} in the address has a malformed %-escape"))) };
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad(format!("the {what} in the address is not UTF-8")))
}

impl PgUrl {
    /// Parses `postgresql://USER@HOST[:PORT]/DBNAME[?sslmode=verify-full][&sslrootcert=FILE]`.
    /// Refused, naming what is wrong: a password in the address, a missing user or
    /// database, an `sslmode` other than `verify-full` (the server's certificate is always
    /// verified, against its host name), an option Rightsdesk does not know.
    pub fn parse(url: &str) -> Result<PgUrl> {
        let rest = url
            .strip_prefix("postgresql://")
            .or_else(|| url.strip_prefix("postgres://"))
            .ok_or_else(|| bad("a team register's address starts with postgresql://"))?;
        let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = main.split_once('/').unwrap_or((main, ""));
        let (userinfo, hostport) =
            authority.rsplit_once('@').ok_or_else(|| bad("the address names no user: postgresql://USER@HOST:PORT/DBNAME"))?;
        if userinfo.contains(':') {
            return Err(bad("the address must not hold a password (it would be stored and shown in the clear); \
                 give it in RIGHTSDESK_DB_PASSWORD, PGPASSWORD, ~/.pgpass or the OS keyring"));
        }
        let user = decode(userinfo, "user")?;
        if user.is_empty() {
            return Err(bad("the address names no user: postgresql://USER@HOST:PORT/DBNAME"));
        }
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("the address has an unclosed [IPv6] host"))?;
            (h.to_string(), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(bad("the address names no host: postgresql://USER@HOST:PORT/DBNAME"));
        }
        let port = match port {
            None | Some("") => 5432,
            Some(p) => {
                p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| bad("the port in the address is not a number from 1 to 65535"))?
            }
        };
        let dbname = decode(path.trim_end_matches('/'), "database name")?;
        if dbname.is_empty() {
            return Err(bad("the address names no database: postgresql://USER@HOST:PORT/DBNAME"));
        }
        let mut sslrootcert = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value, key)?;
            match key {
                "sslmode" if value == "verify-full" => {}
                "sslmode" => {
                    return Err(bad(format!(
                        "sslmode={value} is not supported: a team register is reached over TLS with the server's \
                         certificate verified against its name (sslmode=verify-full)"
                    )))
                }
                "sslrootcert" if value == "system" => sslrootcert = None,
                "sslrootcert" if !value.is_empty() => sslrootcert = Some(PathBuf::from(value)),
                "password" => {
                    return Err(bad(
                        "the address must not hold a password; give it in RIGHTSDESK_DB_PASSWORD, PGPASSWORD, ~/.pgpass or the OS keyring",
                    ))
                }
                other => return Err(bad(format!("the option {other:?} in the address is not supported (sslmode, sslrootcert)"))),
            }
        }
        Ok(PgUrl { user, host, port, dbname, sslrootcert })
    }

    /// `postgresql://USER@HOST:PORT/DBNAME`: what messages name (never a password).
    pub fn display(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("postgresql://{}@{host}:{}/{}", self.user, self.port, self.dbname)
    }

    /// The OS keyring entry holding this user's password: `postgresql:USER@HOST:PORT/DBNAME`.
    pub fn keyring_name(&self) -> String {
        format!("postgresql:{}@{}:{}/{}", self.user, self.host, self.port, self.dbname)
    }
}

/// Where a password was found (for messages; never the password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    RightsdeskEnv,
    PgPassword,
    PgPassFile,
    Keyring,
}

/// The password for `url`: `RIGHTSDESK_DB_PASSWORD`, then `PGPASSWORD`, then the first
/// matching line of the password file (`PGPASSFILE`, else `~/.pgpass`; as libpq, it is
/// ignored unless only its owner can read it), then the OS keyring. `None` when none has
/// one: the server may not ask (a `trust` or certificate login).
pub fn password(url: &PgUrl, secrets: &dyn SecretStore) -> Result<Option<(Zeroizing<String>, PasswordSource)>> {
    for (var, source) in [("RIGHTSDESK_DB_PASSWORD", PasswordSource::RightsdeskEnv), ("PGPASSWORD", PasswordSource::PgPassword)] {
        if let Some(p) = std::env::var_os(var) {
            let p = p.into_string().map_err(|_| Error::invalid("db", format!("{var} is not UTF-8")))?;
            if !p.is_empty() {
                return Ok(Some((Zeroizing::new(p), source)));
            }
        }
    }
    if let Some(file) = pgpass_path() {
        if let Some(p) = pgpass_lookup(&file, url)? {
            return Ok(Some((p, PasswordSource::PgPassFile)));
        }
    }
    match secrets.get(&url.keyring_name()) {
        Ok(Some(p)) => Ok(Some((Zeroizing::new(p), PasswordSource::Keyring))),
        // No keyring is no password from it: the other sources were tried, and the server
        // may not ask; when it does, the message lists every source.
        Ok(None) | Err(_) => Ok(None),
    }
}

/// Keeps `password` for `url` in the OS keyring, once the server has accepted it (a
/// password that does not log in is never kept). Where no keyring is reachable, says so.
pub fn remember(url: &PgUrl, password: &str, secrets: &dyn SecretStore) -> Result<()> {
    drop(super::connect(url, Some(password))?);
    secrets.set(&url.keyring_name(), password).map_err(|e| {
        Error::invalid("db", format!("the password works, but it could not be kept: {e}; use PGPASSWORD or ~/.pgpass instead"))
    })
}

/// Removes the password for `url` from the OS keyring; `false` when none was kept.
pub fn forget(url: &PgUrl, secrets: &dyn SecretStore) -> Result<bool> {
    let name = url.keyring_name();
    let had = secrets.get(&name).ok().flatten().is_some();
    if had {
        secrets.delete(&name).map_err(|e| Error::invalid("db", format!("the keyring refused to remove the password: {e}")))?;
    }
    Ok(had)
}

fn pgpass_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass"))
}

/// The password of the first line of the pgpass file `file` that matches `url`
/// (`host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped).
/// A missing file is no password; a file others can read is ignored (as libpq does).
pub fn pgpass_lookup(file: &Path, url: &PgUrl) -> Result<Option<Zeroizing<String>>> {
    let Ok(meta) = std::fs::metadata(file) else { return Ok(None) };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
            return Ok(None);
        }
    }
    #[cfg(not(unix))]
    if !meta.is_file() {
        return Ok(None);
    }
    let text = Zeroizing::new(std::fs::read_to_string(file).map_err(Error::Io)?);
    let port = url.port.to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = pgpass_fields(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if matches(&fields[0], &url.host)
            && matches(&fields[1], &port)
            && matches(&fields[2], &url.dbname)
            && matches(&fields[3], &url.user)
        {
            // The password is the rest of the line: a ':' in it that is not escaped stays.
            return Ok(Some(Zeroizing::new(fields[4..].iter().map(|f| f.as_str()).collect::<Vec<_>>().join(":"))));
        }
    }
    Ok(None)
}

/// A pgpass line split at its unescaped colons, escapes removed.
fn pgpass_fields(line: &str) -> Vec<Zeroizing<String>> {
    let mut fields = vec![Zeroizing::new(String::new())];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' => fields.push(Zeroizing::new(String::new())),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_user_host_port_database_and_its_ca() {
        let u = PgUrl::parse("postgresql://ana%40dpo@db.example.org:6543/privacy?sslmode=verify-full&sslrootcert=/etc/ca.pem").unwrap();
        assert_eq!(u.user, "ana@dpo");
        assert_eq!(u.host, "db.example.org");
        assert_eq!(u.port, 6543);
        assert_eq!(u.dbname, "privacy");
        assert_eq!(u.sslrootcert.as_deref(), Some(Path::new("/etc/ca.pem")));
        assert_eq!(u.display(), "postgresql://ana@dpo@db.example.org:6543/privacy");
        let d = PgUrl::parse("postgres://ana@[::1]/privacy").unwrap();
        assert_eq!((d.host.as_str(), d.port, d.sslrootcert), ("::1", 5432, None));
    }

    #[test]
    fn a_password_a_weaker_sslmode_or_a_missing_part_is_refused_by_name() {
        for (url, says) in [
            ("postgresql://ana:secret@h/db", "must not hold a password"),
            ("postgresql://ana@h/db?password=secret", "must not hold a password"),
            ("postgresql://ana@h/db?sslmode=require", "sslmode=require is not supported"),
            ("postgresql://ana@h/db?sslmode=disable", "sslmode=disable is not supported"),
            ("postgresql://h/db", "names no user"),
            ("postgresql://ana@h", "names no database"),
            ("postgresql://ana@h:99999/db", "port"),
            ("postgresql://ana@h/db?application_name=x", "not supported"),
        ] {
            let e = PgUrl::parse(url).unwrap_err().to_string();
            assert!(e.contains(says), "{url}: {e}");
            assert!(!e.contains("secret"), "{url}: the password is never repeated: {e}");
        }
    }

    #[test]
    fn the_pgpass_file_matches_with_wildcards_and_escapes_and_is_ignored_when_others_can_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "# comment\nother:5432:*:ana:nope\ndb.example.org:6543:priv\\:acy:*:first\\:pass:word\n*:*:*:ana:fallback\n")
            .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let url = |db: &str| PgUrl { user: "ana".into(), host: "db.example.org".into(), port: 6543, dbname: db.into(), sslrootcert: None };
        assert_eq!(pgpass_lookup(&file, &url("priv:acy")).unwrap().as_deref().map(String::as_str), Some("first:pass:word"));
        assert_eq!(pgpass_lookup(&file, &url("other")).unwrap().as_deref().map(String::as_str), Some("fallback"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!(pgpass_lookup(&file, &url("other")).unwrap(), None, "a file others can read is ignored, as libpq does");
        }
        assert_eq!(pgpass_lookup(&dir.path().join("none"), &url("other")).unwrap(), None);
    }
}
