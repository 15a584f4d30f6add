//! One service test, two stores (issue 18): a fresh register in an encrypted
//! SQLite file, and a fresh team register on a real PostgreSQL 15 (the harness
//! `tests/pg/harness.rs`; `team init` applies the schema and grants, `team add`
//! creates the person the test works as, who connects over TLS with
//! `verify-full` as the app does). [`on_both_stores!`] runs a test body on each.
//!
//! A test file declares `#[path = "common/stores.rs"] mod stores;`. A PostgreSQL
//! that cannot start FAILS the test (the harness panics); it is never skipped.
#![allow(dead_code)] // each test binary uses a subset

#[path = "../../../../../tests/pg/harness.rs"]
pub mod pg;

use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{Db, DbKey, PgDb, Store};

/// A fresh team database set up by `team init` (no one added), and its database
/// administrator's register: what a move into a team register (`team migrate`) writes to.
pub fn empty_team_database() -> (pg::Pg, PgDb) {
    let pg = pg::Pg::start();
    let url = PgUrl::parse(&pg.admin_url()).unwrap();
    let mut admin = rightsdesk_core::store::pg::connect(&url, Some(pg.admin_password())).expect("connect as the administrator");
    team::init(&mut admin).expect("team init");
    drop(admin);
    let team = PgDb::connect(&url, Some(pg.admin_password())).expect("connect as the administrator");
    (pg, team)
}

/// A fresh register on one of the two stores, and what keeps it alive.
pub enum Fresh {
    Sqlite { db: Db, _dir: tempfile::TempDir },
    Postgres { db: PgDb, pg: Box<pg::Pg>, url: String, password: String },
}

/// The team member the PostgreSQL leg works as: an admin (settings, data map,
/// everything an officer does).
pub const PERSON: &str = "ada_admin";

impl Fresh {
    pub fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("r.sqlite3"), &DbKey::passphrase("stores test passphrase").unwrap()).unwrap();
        Fresh::Sqlite { db, _dir: dir }
    }

    /// A new cluster, `team init` by its database administrator, [`PERSON`] added as an admin and connected.
    pub fn postgres() -> Fresh {
        Fresh::postgres_as(TeamRole::Admin)
    }

    /// As [`Fresh::postgres`], working as a person in `role`.
    pub fn postgres_as(role: TeamRole) -> Fresh {
        let pg = pg::Pg::start();
        let admin_url = PgUrl::parse(&pg.admin_url()).unwrap();
        let mut admin = rightsdesk_core::store::pg::connect(&admin_url, Some(pg.admin_password())).expect("connect as the administrator");
        team::init(&mut admin).expect("team init");
        let added = team::add(&mut admin, PERSON, role, chrono::Utc::now()).expect("team add");
        let url = pg.url(PERSON);
        let db = PgDb::connect(&PgUrl::parse(&url).unwrap(), Some(&added.password)).expect("connect as the person");
        Fresh::Postgres { db, pg: Box::new(pg), url, password: added.password }
    }

    /// Sets up what a test needs beyond the register's schema (a table of its
    /// own): `sqlite` runs in a writing transaction; `postgres` runs as the
    /// database administrator (a team member may not create tables), with
    /// `{person}` replaced by the login the test works as.
    pub fn set_up(&self, sqlite: &str, postgres: &str) {
        match self {
            Fresh::Sqlite { db, .. } => db.write(|tx| Ok(tx.execute_batch(sqlite)?)).unwrap(),
            Fresh::Postgres { pg, .. } => {
                pg.admin_sql(pg::DBNAME, &postgres.replace("{person}", PERSON));
            }
        }
    }

    pub fn store(&self) -> Store<'_> {
        match self {
            Fresh::Sqlite { db, .. } => Store::from(db),
            Fresh::Postgres { db, .. } => Store::from(db),
        }
    }

    /// Another client of the same register, as a second window or officer is:
    /// on PostgreSQL a connection of its own; on SQLite the one writer (one
    /// writing process per file, `store::lock`), shared.
    pub fn client(&self) -> Client<'_> {
        match self {
            Fresh::Sqlite { db, .. } => Client::Shared(db),
            Fresh::Postgres { url, password, .. } => {
                Client::Own(PgDb::connect(&PgUrl::parse(url).unwrap(), Some(password)).expect("connect again"))
            }
        }
    }
}

/// A client of a [`Fresh`] register ([`Fresh::client`]).
pub enum Client<'a> {
    Shared(&'a Db),
    Own(PgDb),
}

impl Client<'_> {
    pub fn store(&self) -> Store<'_> {
        match self {
            Client::Shared(db) => Store::from(*db),
            Client::Own(db) => Store::from(db),
        }
    }
}

/// `on_both_stores!(a_test, another_test);` makes `a_test::sqlite` and
/// `a_test::postgres`, each calling `a_test(&Fresh)` on a fresh register.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&super::stores::Fresh::sqlite());
                }
                #[test]
                fn postgres() {
                    super::$name(&super::stores::Fresh::postgres());
                }
            }
        )*
    };
}
