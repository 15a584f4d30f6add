use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

use super::key::DbKey;
use super::migrations;
use crate::error::{Error, Result};

/// The database handle shared by the app's commands and the CLI.
pub struct Db {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Kept for online backups (the copy is keyed like the original); `None` in memory.
    key: Mutex<Option<DbKey>>,
    /// The writer lock (`store::lock`), released after the connection closes; `None` for readers.
    writer_lock: Option<super::lock::WriterLock>,
    /// The writer's WAL checkpoints, run on a connection of their own (see [`Checkpointer`]).
    checkpointer: Mutex<Option<Checkpointer>>,
    /// The file's format, for the other connections to it (the checkpointer's, a backup's copy).
    hmac: PageHmac,
}

impl Drop for Db {
    fn drop(&mut self) {
        // The checkpointer's connection closes first, so the writer's is the last and
        // folds the WAL back into the file as it closes.
        if let Some(c) = self.checkpointer.get_mut().unwrap_or_else(|p| p.into_inner()).take() {
            c.stop();
        }
    }
}

/// Commits the checkpointer lets pass before it checkpoints while they keep coming.
const CHECKPOINT_COMMITS: u32 = 64;
/// How long after the last commit the checkpointer waits before it checkpoints what is left.
const CHECKPOINT_IDLE: std::time::Duration = std::time::Duration::from_millis(200);

/// Copies the write-ahead log back into the database file on a thread and a
/// connection of its own (issue 21), so no write waits for it: the writer's
/// automatic checkpoint is off, and after every commit the writer only wakes
/// this thread. It checkpoints (PASSIVE: never blocking the writer or a
/// reader) once [`CHECKPOINT_COMMITS`] commits have gone by, or once the
/// register has been quiet for [`CHECKPOINT_IDLE`]. Crash safety is SQLite's
/// as before: a checkpoint only copies committed pages, and a WAL left by a
/// crash is replayed on the next open.
struct Checkpointer {
    shared: std::sync::Arc<(Mutex<CheckpointState>, std::sync::Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct CheckpointState {
    commits: u32,
    stop: bool,
    /// The thread could not open its connection: the writer checkpoints itself again.
    failed: bool,
}

impl Checkpointer {
    /// Starts the thread. It opens its own connection to the file when it
    /// first checkpoints, on the thread: a passphrase's key derivation delays
    /// neither the opening nor a write, and a session that writes little (a
    /// CLI command) never opens it.
    fn start(path: &Path, key: &DbKey, hmac: PageHmac) -> Result<Checkpointer> {
        let shared = std::sync::Arc::new((Mutex::new(CheckpointState::default()), std::sync::Condvar::new()));
        let theirs = shared.clone();
        let (path, key) = (path.to_path_buf(), key.clone());
        let thread = std::thread::Builder::new().name("db-checkpoint".into()).spawn(move || {
            let open = || -> Result<Connection> {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(&path, flags)?;
                apply_key(&conn, &key, hmac)?;
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
                conn.pragma_update(None, "wal_autocheckpoint", 0)?;
                Ok(conn)
            };
            Checkpointer::run(open, &theirs);
        })?;
        Ok(Checkpointer { shared, thread: Some(thread) })
    }

    fn failed(&self) -> bool {
        self.shared.0.lock().unwrap_or_else(|p| p.into_inner()).failed
    }

    fn run(open: impl Fn() -> Result<Connection>, shared: &(Mutex<CheckpointState>, std::sync::Condvar)) {
        let (state, wake) = shared;
        let mut conn: Option<Connection> = None;
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if s.stop {
                return;
            }
            if s.commits == 0 {
                s = wake.wait(s).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            if s.commits < CHECKPOINT_COMMITS {
                let (again, waited) = wake.wait_timeout(s, CHECKPOINT_IDLE).unwrap_or_else(|p| p.into_inner());
                s = again;
                if !waited.timed_out() {
                    continue;
                }
            }
            s.commits = 0;
            drop(s);
            if conn.is_none() {
                match open() {
                    Ok(c) => conn = Some(c),
                    Err(e) => {
                        tracing::warn!(code = %e.code(), "no background checkpointer; the writer checkpoints itself");
                        state.lock().unwrap_or_else(|p| p.into_inner()).failed = true;
                        return;
                    }
                }
            }
            let Some(conn) = conn.as_ref() else { return };
            if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0)) {
                tracing::warn!(error = %e, "a background checkpoint failed; the next one retries");
            }
            s = state.lock().unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Tells the thread a commit went by.
    fn committed(&self) {
        let (state, wake) = &*self.shared;
        state.lock().unwrap_or_else(|p| p.into_inner()).commits += 1;
        wake.notify_one();
    }

    /// Stops the thread and closes its connection.
    fn stop(mut self) {
        let (state, wake) = &*self.shared;
        state.lock().unwrap_or_else(|p| p.into_inner()).stop = true;
        wake.notify_one();
        if let Some(t) = self.thread.take() {
            // A panic on the checkpointer's thread lost only checkpoints; the writer's close does the last one.
            let _ = t.join();
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

/// The page cache of a connection, in KiB (negative: SQLite's "KiB, not pages").
const CACHE_KIB: i64 = -16_384;
/// The page cache during a bulk write ([`Db::write_bulk`]): 1 GiB, allocated
/// only as used, so that a large import's table stays in memory while its
/// indexes are built again (each build scans the whole table).
const BULK_CACHE_KIB: i64 = -1_048_576;
/// The page cache during a read that passes once over a table ([`Db::read_passing`]).
const PASSING_CACHE_KIB: i64 = -1_024;

const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether the file at `path` is an unencrypted SQLite database.
pub fn is_plaintext_sqlite(path: &Path) -> bool {
    let mut header = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header)).is_ok() && &header == PLAINTEXT_HEADER
}

/// Waits, once per process, until SQLCipher has started. `sqlite3_initialize`
/// marks SQLite initialised before it runs SQLCipher's own start-up
/// (`SQLITE_EXTRA_INIT`, outside its mutex), so a connection opened by another
/// thread at that moment failed its `PRAGMA key` ("An error occurred with
/// PRAGMA key or rekey"), as parallel tests in a fresh process did now and then.
/// A throwaway in-memory connection keyed until it succeeds waits that out; the
/// first to come runs it, any other waits for it.
fn sqlcipher_started() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        for _ in 0..1_000 {
            let keyed = Connection::open_in_memory().and_then(|c| c.execute_batch("PRAGMA key = 'start-up check';"));
            if keyed.is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

/// How the pages of a register's file are authenticated: SQLCipher's
/// `cipher_hmac_algorithm`, a property of the file that a connection must be
/// told before it reads a page. Everything else is SQLCipher 4's default
/// (AES-256-CBC, PBKDF2-HMAC-SHA512 with 256,000 iterations for a passphrase,
/// 4 KiB pages).
///
/// Files created since issue 21 (item 6) use HMAC-SHA256: every page written
/// is encrypted and authenticated, and on processors with SHA extensions
/// (x86-64 since about 2017-2019, ARMv8) SHA-256 is about twice as fast as
/// SHA-512 (`openssl speed`: 1.7 against 0.8 GB/s here), so a registration,
/// which writes some 42 pages, took 0.96 instead of 1.10 ms. A 256-bit HMAC
/// key and tag are SQLCipher's own choice for its version 3 and for
/// FIPS builds; the key derivation is unchanged. Files created before stay in
/// HMAC-SHA512 and open as they are ([`open_keyed`] tries both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageHmac {
    Sha256,
    Sha512,
}

impl PageHmac {
    /// What a new file is written in.
    pub const NEW: PageHmac = PageHmac::Sha256;
    /// Every format a file may be in, the one of new files first.
    const ALL: [PageHmac; 2] = [PageHmac::Sha256, PageHmac::Sha512];

    /// The pragma that tells a keyed connection (or, with `schema`, an attached database) this format.
    pub fn pragma(self, schema: Option<&str>) -> String {
        let name = match self {
            PageHmac::Sha256 => "HMAC_SHA256",
            PageHmac::Sha512 => "HMAC_SHA512",
        };
        match schema {
            Some(s) => format!("PRAGMA {s}.cipher_hmac_algorithm = {name};"),
            None => format!("PRAGMA cipher_hmac_algorithm = {name};"),
        }
    }
}

/// Keys `conn` for a file in the format `hmac`; nothing is read yet.
pub(crate) fn apply_key(conn: &Connection, key: &DbKey, hmac: PageHmac) -> Result<()> {
    sqlcipher_started();
    // SQLCipher would log a wrong key's decryption failure on stderr; the caller reports it instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let sql = zeroize::Zeroizing::new(format!("PRAGMA key = {};", key.pragma_value().as_str()));
    conn.execute_batch(&sql)?;
    conn.execute_batch(&hmac.pragma(None))?;
    Ok(())
}

/// Opens the encrypted file at `path` with `key`, in the format its pages were
/// written in ([`PageHmac`]): each format in turn, until the schema can be
/// read. A new or empty file gets [`PageHmac::NEW`]. A file no format opens
/// gives the last attempt's error: SQLite's "not a database" for a wrong key
/// (callers report [`Error::WrongKey`]). A failed attempt reads page 1 only
/// and writes nothing; with a passphrase it costs one more key derivation.
pub(crate) fn open_keyed(path: &Path, flags: OpenFlags, key: &DbKey) -> std::result::Result<(Connection, PageHmac), OpenKeyedError> {
    let mut last = None;
    for hmac in PageHmac::ALL {
        let conn = Connection::open_with_flags(path, flags).map_err(OpenKeyedError::Open)?;
        apply_key(&conn, key, hmac).map_err(OpenKeyedError::Key)?;
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => return Ok((conn, hmac)),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => last = Some(e),
            Err(e) => return Err(OpenKeyedError::Read(e)),
        }
    }
    Err(OpenKeyedError::Read(last.unwrap_or(rusqlite::Error::InvalidQuery)))
}

/// Why [`open_keyed`] failed: the file could not be opened, keyed, or read (a wrong key among others).
#[derive(Debug)]
pub(crate) enum OpenKeyedError {
    Open(rusqlite::Error),
    Key(Error),
    Read(rusqlite::Error),
}

impl OpenKeyedError {
    /// The error of opening the register shown as `shown`: a file that `existed` and reads as
    /// "not a database" with every format was given the wrong key; anything else could not be opened.
    fn opening(self, shown: &str, existed: bool) -> Error {
        match self {
            OpenKeyedError::Read(e) if existed && e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                Error::WrongKey { path: shown.to_string() }
            }
            OpenKeyedError::Open(e) | OpenKeyedError::Read(e) => Error::Open { path: shown.to_string(), reason: e.to_string() },
            OpenKeyedError::Key(e) => e,
        }
    }
}

impl From<OpenKeyedError> for Error {
    fn from(e: OpenKeyedError) -> Error {
        match e {
            OpenKeyedError::Open(e) | OpenKeyedError::Read(e) => e.into(),
            OpenKeyedError::Key(e) => e,
        }
    }
}

/// Runs `f` in one IMMEDIATE transaction on `conn`; commits if it returns Ok, rolls back otherwise.
fn immediate<T>(conn: &mut Connection, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    crate::crash_point::hit("db.write.begun");
    let value = f(&tx)?;
    crate::crash_point::hit("db.write.before-commit");
    tx.commit()?;
    crate::crash_point::hit("db.write.committed");
    Ok(value)
}

/// Runs `f` in one DEFERRED (read) transaction on `conn`: a consistent snapshot.
fn deferred<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let value = f(&tx)?;
    tx.finish()?;
    Ok(value)
}

impl Db {
    /// Opens (creating if needed) the encrypted database at `path` with `key`,
    /// and brings its schema up to date. A wrong key, an unencrypted file or a
    /// database from a newer Rightsdesk is refused, untouched.
    pub fn open(path: &Path, key: &DbKey) -> Result<Db> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::Open { path: shown.clone(), reason: e.to_string() })?;
        }
        let existed = path.exists();
        if existed && is_plaintext_sqlite(path) {
            return Err(Error::NotEncrypted { path: shown });
        }
        let writer_lock = super::lock::acquire(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // Reading the schema first turns a wrong key into a clear error before anything is written.
        let (conn, hmac) = open_keyed(path, flags, key).map_err(|e| e.opening(&shown, existed))?;
        let mut db = Db::configure(conn, path.to_path_buf(), hmac)?;
        *db.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        db.writer_lock = Some(writer_lock);
        db.start_checkpointer(key);
        // No path: the officer chose it, and it may name a person.
        tracing::info!(schema_version = super::SCHEMA_VERSION, created = !existed, "register opened for writing");
        Ok(db)
    }

    /// Opens an existing encrypted database for reading only, without the writer
    /// lock (WAL lets it read while a writer works). Nothing is migrated or
    /// written; a write through it fails with SQLite's read-only error.
    pub fn open_read_only(path: &Path, key: &DbKey) -> Result<Db> {
        let shown = path.display().to_string();
        if is_plaintext_sqlite(path) {
            return Err(Error::NotEncrypted { path: shown });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let (conn, hmac) = open_keyed(path, flags, key).map_err(|e| e.opening(&shown, true))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let found = usize::try_from(version).unwrap_or(usize::MAX);
        if found > super::SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found, supported: super::SCHEMA_VERSION });
        }
        if found < super::SCHEMA_VERSION {
            return Err(Error::SchemaTooOld { path: shown });
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        tracing::info!(schema_version = found, "register opened for reading");
        Ok(Db {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            key: Mutex::new(Some(key.clone())),
            writer_lock: None,
            checkpointer: Mutex::new(None),
            hmac,
        })
    }

    /// A private in-memory database, for unit tests of the store.
    pub fn open_in_memory() -> Result<Db> {
        Db::configure(Connection::open_in_memory()?, PathBuf::from(":memory:"), PageHmac::NEW)
    }

    fn configure(mut conn: Connection, path: PathBuf, hmac: PageHmac) -> Result<Db> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Performance (issue 8; ARCHITECTURE.md "Performance"): every page read from
        // the file is decrypted and authenticated, so keep the hot index pages (16 MB,
        // allocated only as used); a registration runs about fifteen statements, each
        // prepared once; and checkpoint the WAL every 4,000 pages instead of 1,000, so
        // a busy index page is copied back (and synced) once rather than four times.
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "wal_autocheckpoint", 4_000)?;
        crate::crash_point::watch(&conn);
        migrations::apply(&mut conn)?;
        Ok(Db { conn: Mutex::new(conn), path, key: Mutex::new(None), writer_lock: None, checkpointer: Mutex::new(None), hmac })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the writer's checkpoints to a [`Checkpointer`]; if its connection
    /// cannot be opened the writer keeps checkpointing itself, as before.
    fn start_checkpointer(&self, key: &DbKey) {
        match Checkpointer::start(&self.path, key, self.hmac) {
            Ok(c) => {
                if let Err(e) = self.lock().pragma_update(None, "wal_autocheckpoint", 0) {
                    tracing::warn!(error = %e, "the writer's automatic checkpoint could not be turned off");
                    c.stop();
                    return;
                }
                *self.checkpointer.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
            }
            Err(e) => tracing::warn!(code = %e.code(), "no background checkpointer; the writer checkpoints itself"),
        }
    }

    /// Stops the background checkpointer and gives the writer its own automatic checkpoint back.
    fn stop_checkpointer(&self, conn: &Connection) -> Result<()> {
        if let Some(c) = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner()).take() {
            c.stop();
            conn.pragma_update(None, "wal_autocheckpoint", 4_000)?;
        }
        Ok(())
    }

    /// Wakes the checkpointer after a commit (`conn`: the writer's, still held);
    /// if it could not start, the writer checkpoints itself again.
    fn committed(&self, conn: &Connection) -> Result<()> {
        let mut slot = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = slot.as_ref() {
            if c.failed() {
                if let Some(c) = slot.take() {
                    c.stop();
                }
                conn.pragma_update(None, "wal_autocheckpoint", 4_000)?;
            } else {
                c.committed();
            }
        }
        Ok(())
    }

    /// The format of the database's file ([`PageHmac`]).
    pub(crate) fn page_hmac(&self) -> PageHmac {
        self.hmac
    }

    /// The key the database was opened with (none for an in-memory database).
    pub(crate) fn key(&self) -> Option<DbKey> {
        self.key.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Runs `f` with the connection itself, outside any transaction (online
    /// backup, a change of journal mode): the background checkpointer's
    /// connection is closed meanwhile (a change of journal mode needs the file
    /// to itself), and opened again after if the database is still in WAL mode.
    pub(crate) fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        let had_checkpointer = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner()).is_some();
        self.stop_checkpointer(&conn)?;
        let value = f(&conn);
        if had_checkpointer {
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            drop(conn);
            if mode.eq_ignore_ascii_case("wal") {
                if let Some(key) = self.key() {
                    self.start_checkpointer(&key);
                }
            }
        }
        value
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half-done
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction; commits if it returns Ok, rolls back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let value = immediate(&mut conn, f)?;
        self.committed(&conn)?;
        Ok(value)
    }

    /// [`Db::write`] for a transaction that writes many thousands of rows (the
    /// CSV import): the page cache may grow to 1 GiB for it, so the table's and indexes'
    /// pages stay in memory instead of being encrypted out to the WAL and read
    /// back (and decrypted) again and again; it returns to 16 MB after.
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        let result = immediate(&mut conn, f);
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        let value = result?;
        self.committed(&conn)?;
        Ok(value)
    }

    /// Frees the pages this connection keeps in its cache (up to [`CACHE_KIB`])
    /// after a job that read most of the register (the daily backup): they
    /// would otherwise stay in the idle app's memory until the cache turned
    /// them over. The next reads fetch (and decrypt) the pages they need again.
    pub fn release_memory(&self) -> Result<()> {
        self.lock().execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// [`Db::read`] for a read that passes once over most of a table (the
    /// start's check of every open request's rule set): its pages go through a
    /// cache of [`PASSING_CACHE_KIB`] instead of filling the 16 MB one with
    /// pages no later query wants, which then stayed in the idle app's memory
    /// (memory freed by SQLite is not all given back to the system). Measured
    /// with `bench-app` at 100,000 requests, idle after its first list: the
    /// app's own process 119 → 102–105 MB PSS (the empty register's floor: 101).
    pub fn read_passing<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        conn.pragma_update(None, "cache_size", PASSING_CACHE_KIB)?;
        let result = deferred(&mut conn, f);
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        result
    }

    /// Runs `f` on a consistent snapshot (a DEFERRED read transaction).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        deferred(&mut self.lock(), f)
    }

    /// Changes the key (SQLCipher rekey): every page is re-encrypted in place.
    pub fn rekey(&self, new_key: &DbKey) -> Result<()> {
        let conn = self.lock();
        // The checkpointer's connection holds the old key: it stops first, and starts again with the new one.
        let had_checkpointer = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner()).is_some();
        self.stop_checkpointer(&conn)?;
        // WAL content must be in the main file before the pages are rewritten.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        crate::crash_point::hit("key.checkpointed");
        let sql = zeroize::Zeroizing::new(format!("PRAGMA rekey = {};", new_key.pragma_value().as_str()));
        conn.execute_batch(&sql)?;
        crate::crash_point::hit("key.rekeyed");
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        drop(conn);
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(new_key.clone());
        if had_checkpointer {
            self.start_checkpointer(new_key);
        }
        Ok(())
    }
}

/// A file that was not there needs no removing.
fn not_found_is_fine(e: Error) -> Result<()> {
    match e {
        Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => Err(other),
    }
}

/// Encrypts an unencrypted database in place, atomically: the encrypted copy
/// is written beside it, checked, synced, and renamed over the original. If
/// anything fails the original is left as it was.
pub fn encrypt_plaintext(path: &Path, key: &DbKey) -> Result<()> {
    if !is_plaintext_sqlite(path) {
        return Err(Error::invalid("db", "is not an unencrypted SQLite database"));
    }
    let _writer = super::lock::acquire(path)?;
    let tmp = path.with_extension("encrypting");
    // A copy a stopped run left; none is the usual case, and a real problem shows when writing it.
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let tmp_text = tmp.to_str().ok_or_else(|| Error::invalid("db", "path is not valid UTF-8"))?;
        let attach = zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE '{}' AS encrypted KEY {}; {} SELECT sqlcipher_export('encrypted'); \
             PRAGMA encrypted.user_version = {}; DETACH DATABASE encrypted;",
            tmp_text.replace('\'', "''"),
            key.pragma_value().as_str(),
            PageHmac::NEW.pragma(Some("encrypted")),
            conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?,
        ));
        conn.execute_batch(&attach)?;
        drop(conn);
        // Check the copy opens with the key and holds the same requests before replacing anything.
        let check = Connection::open(&tmp)?;
        apply_key(&check, key, PageHmac::NEW)?;
        let ok: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Internal("the encrypted copy failed its integrity check".into()));
        }
        drop(check);
        std::fs::File::open(&tmp)?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        // Cleanup after the error being returned: a copy left behind is removed by the next run.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if let Err(e) = std::fs::remove_file(side).map_err(Error::from).or_else(not_found_is_fine) {
            // Checkpointed (TRUNCATE) above, so empty; SQLite ignores one that does not match.
            tracing::warn!(code = %e.code(), suffix, "a companion file of the unencrypted database could not be removed");
        }
    }
    std::fs::rename(&tmp, path)?;
    crate::files::atomic::sync_dir(&crate::files::atomic::parent_of(path));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: &str) -> DbKey {
        DbKey::passphrase(p).unwrap()
    }

    fn count_settings(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?)).unwrap()
    }

    #[test]
    fn the_file_on_disk_is_encrypted_and_reopens_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        {
            let db = Db::open(&path, &key("correct horse battery")).unwrap();
            db.write(|tx| crate::settings::set(tx, "org.name", "Findable Marker Ltd")).unwrap();
            db.read(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?)).unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(PLAINTEXT_HEADER));
        assert!(!bytes.windows(8).any(|w| w == b"Findable"), "plaintext found in the file");
        let db = Db::open(&path, &key("correct horse battery")).unwrap();
        assert_eq!(count_settings(&db), 1);
    }

    fn cache_kib(c: &Connection) -> Result<i64> {
        Ok(c.pragma_query_value(None, "cache_size", |r| r.get(0))?)
    }

    #[test]
    fn a_passing_read_uses_the_small_cache_and_gives_the_full_one_back_even_when_it_fails() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("r.sqlite3"), &key("correct horse battery")).unwrap();
        db.write(|tx| crate::settings::set(tx, "org.name", "Example Ltd")).unwrap();
        let (inside, settings) =
            db.read_passing(|c| Ok((cache_kib(c)?, c.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0))?))).unwrap();
        assert_eq!((inside, settings), (PASSING_CACHE_KIB, 1));
        assert_eq!(db.read(cache_kib).unwrap(), CACHE_KIB, "the cache is back to its size after the read");
        let failed = db.read_passing(|c| {
            c.query_row("SELECT nothing FROM nowhere", [], |r| r.get::<_, i64>(0))?;
            Ok(())
        });
        assert!(failed.is_err());
        assert_eq!(db.read(cache_kib).unwrap(), CACHE_KIB, "and after a read that failed");
        // Still a connection that writes: the read's transaction was closed.
        db.write(|tx| crate::settings::set(tx, "org.name", "Example Two Ltd")).unwrap();
        db.release_memory().unwrap();
        assert_eq!(count_settings(&db), 1);
    }

    #[test]
    fn a_wrong_key_is_refused_and_the_database_is_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        drop(Db::open(&path, &key("correct horse battery")).unwrap());
        let before = std::fs::read(&path).unwrap();
        let err = Db::open(&path, &key("wrong horse battery")).unwrap_err();
        assert!(matches!(err, Error::WrongKey { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(Db::open(&path, &key("correct horse battery")).is_ok());
    }

    #[test]
    fn a_plaintext_database_is_encrypted_in_place_keeping_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations::apply(&mut conn).unwrap();
            conn.execute("INSERT INTO settings VALUES ('org.name', 'Old Ltd')", []).unwrap();
        }
        let err = Db::open(&path, &key("correct horse battery")).unwrap_err();
        assert!(matches!(err, Error::NotEncrypted { .. }), "{err}");
        encrypt_plaintext(&path, &key("correct horse battery")).unwrap();
        assert!(!is_plaintext_sqlite(&path));
        let db = Db::open(&path, &key("correct horse battery")).unwrap();
        assert_eq!(count_settings(&db), 1);
        // Encrypted in the format of new files.
        assert_eq!(db.page_hmac(), PageHmac::NEW);
    }

    #[test]
    fn rekeying_changes_which_key_opens_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        let db = Db::open(&path, &key("first passphrase")).unwrap();
        db.rekey(&DbKey::random().unwrap()).unwrap();
        db.rekey(&key("second passphrase")).unwrap();
        drop(db);
        assert!(matches!(Db::open(&path, &key("first passphrase")).unwrap_err(), Error::WrongKey { .. }));
        assert!(Db::open(&path, &key("second passphrase")).is_ok());
    }
}
