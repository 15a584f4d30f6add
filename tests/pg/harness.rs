//! A real PostgreSQL for the team register's tests: Debian's PostgreSQL 15 (`postgresql`,
//! binaries in `/usr/lib/postgresql/15/bin`), a throwaway cluster per test in a temporary
//! directory as `../shared/DESKTOP-TESTING.md` describes: `initdb` as the `postgres` user
//! (it refuses root) with scram-sha-256, listening on loopback only on a free port, its
//! socket in the temporary directory, and TLS with a certificate for `localhost` and
//! `127.0.0.1` signed by a CA generated in the test (clients connect with
//! `sslmode=verify-full`). One database, [`DBNAME`], is created; the superuser is
//! [`ADMIN`]. A server that cannot start FAILS the test (never skips); it is stopped on drop.
//! Shared through `#[path]` (like `tests/imap/harness.rs`); it needs `rcgen` and `tempfile`.
#![allow(dead_code)] // each test uses a subset

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = "/usr/lib/postgresql/15/bin";
/// The cluster's superuser (the "database administrator" of the tests).
pub const ADMIN: &str = "pgadmin";
/// The database every test works in.
pub const DBNAME: &str = "rightsdesk";

/// A private CA and a server certificate for `localhost` and `127.0.0.1` signed by it.
pub struct PgTls {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
    /// Whether the certificate names `localhost` (else [`Pg::psql`] checks only the chain).
    pub for_localhost: bool,
}

impl PgTls {
    /// A CA and a server certificate for `localhost` and `127.0.0.1`.
    pub fn generate() -> PgTls {
        PgTls::generate_for(&["localhost"], true)
    }

    /// A CA and a server certificate for the DNS `names` (and `127.0.0.1` when `loopback_ip`):
    /// what a test of a certificate issued for another host starts the server with.
    pub fn generate_for(names: &[&str], loopback_ip: bool) -> PgTls {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose, SanType};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        ca_params.distinguished_name.push(DnType::CommonName, "Rightsdesk PostgreSQL test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        if loopback_ip {
            params.subject_alt_names.push(SanType::IpAddress(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)));
        }
        params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("localhost"));
        let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
        PgTls { ca_pem: ca.pem(), cert_pem: cert.pem(), key_pem: key.serialize_pem(), for_localhost: names.contains(&"localhost") }
    }
}

pub struct Pg {
    dir: tempfile::TempDir,
    pub port: u16,
    admin_password: String,
    tls: PgTls,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A password no other test run shares (the cluster lives only as long as the test).
fn fresh_password() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("admin-{}-{nanos}", std::process::id())
}

fn as_postgres(program: &str) -> Command {
    let mut c = Command::new("runuser");
    c.args(["-u", "postgres", "--"]).arg(Path::new(BIN).join(program));
    c
}

fn check(what: &str, out: std::io::Result<Output>) -> Output {
    let out = out.unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl Pg {
    /// Starts a fresh cluster with TLS and the database [`DBNAME`].
    pub fn start() -> Pg {
        Pg::start_with_tls(PgTls::generate())
    }

    /// As [`Pg::start`], with the server certificate (and CA) `tls`.
    pub fn start_with_tls(tls: PgTls) -> Pg {
        assert!(
            Path::new(BIN).join("initdb").exists() && Path::new(BIN).join("psql").exists(),
            "PostgreSQL 15 is not installed ({BIN}): apt-get install postgresql (scripts/install-deps.sh)"
        );
        let dir = tempfile::Builder::new().prefix("rightsdesk-pg").tempdir().unwrap();
        let admin_password = fresh_password();
        let d = dir.path();
        std::fs::write(d.join("pw"), format!("{admin_password}\n")).unwrap();
        std::fs::write(d.join("server.crt"), &tls.cert_pem).unwrap();
        std::fs::write(d.join("server.key"), &tls.key_pem).unwrap();
        std::fs::write(d.join("ca.crt"), &tls.ca_pem).unwrap();
        check("chown of the cluster folder", Command::new("chown").args(["-R", "postgres:postgres"]).arg(d).output());
        check("chmod of the server key", Command::new("chmod").arg("600").arg(d.join("server.key")).output());
        // The CA file is read by the tests' clients (root and, through the CLI, root too).
        check("chmod of the cluster folder", Command::new("chmod").arg("755").arg(d).output());
        check(
            "initdb",
            as_postgres("initdb")
                .arg("-D")
                .arg(d.join("data"))
                .args(["-A", "scram-sha-256", "-U", ADMIN, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
                .arg(format!("--pwfile={}", d.join("pw").display()))
                .output(),
        );
        let _ = std::fs::remove_file(d.join("pw"));
        let port = free_port();
        let pg = Pg { dir, port, admin_password, tls };
        pg.run();
        pg.admin_sql("postgres", &format!("CREATE DATABASE {DBNAME}"));
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    pub fn run(&self) {
        let d = self.dir.path();
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={} \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB",
            self.port,
            d.display(),
            d.join("server.crt").display(),
            d.join("server.key").display()
        );
        let out = as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(d.join("log"))
            .args(["-w", "-t", "30", "-o", &opts, "start"])
            .stdin(Stdio::null())
            .output();
        let log = std::fs::read_to_string(d.join("log")).unwrap_or_default();
        let out = out.expect("run pg_ctl");
        assert!(out.status.success(), "PostgreSQL did not start:\n{}\n{log}", String::from_utf8_lossy(&out.stderr));
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "PostgreSQL does not accept connections on port {}:\n{log}", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (fast shutdown: open sessions are ended).
    pub fn stop(&self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = as_postgres("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "fast", "-w", "-t", "30", "stop"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }

    /// The PEM file of the CA that signed the server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// The server's log (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// The superuser's password (what a database administrator types).
    pub fn admin_password(&self) -> &str {
        &self.admin_password
    }

    /// `postgresql://USER@localhost:PORT/rightsdesk?sslmode=verify-full&sslrootcert=CA`.
    pub fn url(&self, user: &str) -> String {
        format!("postgresql://{user}@localhost:{}/{DBNAME}?sslmode=verify-full&sslrootcert={}", self.port, self.ca_file().display())
    }

    /// [`Pg::url`] for the superuser [`ADMIN`].
    pub fn admin_url(&self) -> String {
        self.url(ADMIN)
    }

    /// Runs `sql` with `psql` (not Rightsdesk's client) as `user` over TLS with `verify-full`
    /// (`verify-ca` when the server's certificate was made for another host on purpose),
    /// in `db`: the server's answer, `Ok(stdout)` or `Err(stderr)`. What the permission tests
    /// use to show that the server itself refuses a write.
    pub fn psql(&self, user: &str, password: &str, db: &str, sql: &str) -> Result<String, String> {
        let conninfo = format!(
            "host=localhost port={} user={user} dbname={db} sslmode={} sslrootcert={}",
            self.port,
            if self.tls.for_localhost { "verify-full" } else { "verify-ca" },
            self.ca_file().display()
        );
        let out = Command::new(Path::new(BIN).join("psql"))
            .arg(conninfo)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .env("PGPASSWORD", password)
            .env_remove("PGSERVICE")
            .env("PGPASSFILE", "/dev/null")
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    /// A streaming standby of this server, read-only (a hot standby, what an organisation's
    /// read replica is): `pg_basebackup -R -X stream` from this server over TLS (`verify-full`),
    /// as the `postgres` user, into a new temporary directory, started on another loopback
    /// port with the same certificate and CA (it is issued for `localhost` and `127.0.0.1`),
    /// the same superuser and password. Returns once it accepts connections and is in recovery;
    /// [`Pg::wait_replayed`] waits until it has replayed what this server wrote. Stopped on drop.
    pub fn start_standby(&self) -> Pg {
        let dir = tempfile::Builder::new().prefix("rightsdesk-pg-standby").tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("server.crt"), &self.tls.cert_pem).unwrap();
        std::fs::write(d.join("server.key"), &self.tls.key_pem).unwrap();
        std::fs::write(d.join("ca.crt"), &self.tls.ca_pem).unwrap();
        check("chown of the standby's folder", Command::new("chown").args(["-R", "postgres:postgres"]).arg(d).output());
        check("chmod of the server key", Command::new("chmod").arg("600").arg(d.join("server.key")).output());
        check("chmod of the standby's folder", Command::new("chmod").arg("755").arg(d).output());
        let conninfo = format!(
            "host={} port={} user={ADMIN} sslmode={} sslrootcert={}",
            if self.tls.for_localhost { "localhost" } else { "127.0.0.1" },
            self.port,
            if self.tls.for_localhost { "verify-full" } else { "verify-ca" },
            self.ca_file().display()
        );
        check(
            "pg_basebackup",
            as_postgres("pg_basebackup")
                .arg("-d")
                .arg(conninfo)
                .arg("-D")
                .arg(d.join("data"))
                .args(["-R", "-X", "stream", "-c", "fast", "--no-sync"])
                .env("PGPASSWORD", &self.admin_password)
                .env("PGPASSFILE", "/dev/null")
                .stdin(Stdio::null())
                .output(),
        );
        let tls = PgTls {
            ca_pem: self.tls.ca_pem.clone(),
            cert_pem: self.tls.cert_pem.clone(),
            key_pem: self.tls.key_pem.clone(),
            for_localhost: self.tls.for_localhost,
        };
        let standby = Pg { dir, port: free_port(), admin_password: self.admin_password.clone(), tls };
        standby.run();
        let in_recovery = standby.admin_sql("postgres", "SELECT pg_is_in_recovery()");
        assert_eq!(in_recovery, "t", "the standby is not in recovery:\n{}", standby.log());
        standby
    }

    /// Waits (up to 30 s) until `standby` has replayed everything this server has committed so far.
    /// The insert position, not the write position (`pg_current_wal_lsn`): the test cluster runs
    /// with `synchronous_commit=off`, so a commit just returned may still sit in the WAL buffers,
    /// past the write position, and a wait up to that position returned before the standby had
    /// the row (seen once in `team_replica`: "request not found" on the replica).
    pub fn wait_replayed(&self, standby: &Pg) {
        let lsn = self.admin_sql("postgres", "SELECT pg_current_wal_insert_lsn()");
        let caught_up = format!("SELECT coalesce(pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn, false)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while standby.admin_sql("postgres", &caught_up) != "t" {
            assert!(Instant::now() < deadline, "the standby did not replay up to {lsn}:\n{}", standby.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// [`Pg::psql`] as the superuser; panics when the server refuses.
    pub fn admin_sql(&self, db: &str, sql: &str) -> String {
        self.psql(ADMIN, &self.admin_password, db, sql).unwrap_or_else(|e| panic!("psql as {ADMIN} failed: {e}\n{sql}"))
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.stop();
    }
}
