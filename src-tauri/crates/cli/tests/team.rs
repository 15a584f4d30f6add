//! The team register on a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`):
//! `rightsdesk team init | add | list`, the roles enforced by the server, and connecting.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;

use pg::{Pg, ADMIN, DBNAME};

#[test]
fn the_harness_starts_a_postgresql_15_that_speaks_tls_with_verify_full() {
    let pg = Pg::start();
    let version = pg.admin_sql(DBNAME, "SHOW server_version");
    assert!(version.starts_with("15."), "{version}");
    let ssl = pg.admin_sql(DBNAME, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    assert_eq!(ssl, "t");
    let wrong = pg.psql(ADMIN, "not the password", DBNAME, "SELECT 1").unwrap_err();
    assert!(wrong.contains("password authentication failed"), "{wrong}");
}
