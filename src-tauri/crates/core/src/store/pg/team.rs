//! People and roles of a team register, enforced by the server: three group roles per
//! database and one login role per person, member of one of them.
//!
//! - officer: reads everything and works on requests (registers, changes, writes the
//!   timeline, tasks, letters, packages...), but may not change the settings, the data map
//!   or letter templates, delete or purge requests, or redact the timeline;
//! - auditor: reads everything, changes nothing;
//! - admin: everything an officer may, plus settings, data map, templates and the
//!   retention purge.
//!
//! Roles are cluster-wide in PostgreSQL, so the group roles carry the database's name:
//! `rightsdesk_officer` ... for a database named `rightsdesk`, `rightsdesk_<db>_officer` ...
//! for any other; two registers on one server never share a role. Creating people
//! (`team add`) needs CREATEROLE: the database administrator who ran `team init` does it.

use super::connect::server_error;
use crate::error::{Error, Result};

/// A person's role in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamRole {
    Officer,
    Auditor,
    Admin,
}

impl TeamRole {
    pub const ALL: [TeamRole; 3] = [TeamRole::Officer, TeamRole::Auditor, TeamRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Officer => "officer",
            TeamRole::Auditor => "auditor",
            TeamRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<TeamRole> {
        TeamRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Error::invalid("role", format!("{s:?} is not a role: officer, auditor or admin")))
    }
}

/// The group role of `role` in the database `dbname`.
pub fn group_role(dbname: &str, role: TeamRole) -> String {
    if dbname == "rightsdesk" {
        format!("rightsdesk_{}", role.as_str())
    } else {
        format!("rightsdesk_{dbname}_{}", role.as_str())
    }
}

/// The team role of the login on this register (`session_user`, a member of the group role):
/// admin, then officer, then auditor, the first it is in; none when it is in none of them (or a
/// group role is missing). The one answer the app's window and the CLI's refusals use.
pub fn role_of(db: &crate::store::PgDb) -> Result<Option<TeamRole>> {
    crate::store::Store::from(db).read(|c| {
        let dbname: String = c.query_row("SELECT current_database()::text", &[], |r| r.get(0))?;
        for role in [TeamRole::Admin, TeamRole::Officer, TeamRole::Auditor] {
            let group = group_role(&dbname, role);
            // `pg_has_role` fails on a role that does not exist: asked only of one that does.
            let member = c.query_row(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = CAST(?1 AS TEXT)) \
                 THEN pg_has_role(session_user, CAST(?1 AS TEXT), 'MEMBER') ELSE false END",
                &[&group.as_str()],
                |r| r.get::<bool>(0),
            )?;
            if member {
                return Ok(Some(role));
            }
        }
        Ok(None)
    })
}

/// `name` quoted as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What an officer may write, table by table, besides reading everything. Every table of
/// the schema is in exactly one of [`OFFICER_WRITES`], [`ADMIN_ONLY`] and [`KEPT_BY_SERVER`]
/// (a test checks it), so a new table cannot be forgotten.
pub const OFFICER_WRITES: &[(&str, &str)] = &[
    ("requests", "INSERT, UPDATE"),
    ("events", "INSERT"),
    ("audit_chain", "INSERT"),
    ("audit_states", "INSERT"),
    ("tasks", "INSERT, UPDATE"),
    ("identity_checks", "INSERT"),
    ("evidence", "INSERT, UPDATE, DELETE"),
    // The sealed bytes of stored files (PostgreSQL migration 7): as the evidence rows.
    ("stored_chunks", "INSERT, DELETE"),
    ("letters", "INSERT, UPDATE"),
    ("reminders_given", "INSERT"),
    ("packages", "INSERT"),
    ("imports", "INSERT"),
    ("saved_filters", "INSERT, UPDATE, DELETE"),
    ("search_deferred", "INSERT, DELETE"),
    ("request_submissions", "INSERT"),
    ("package_statements", "INSERT, UPDATE"),
    ("mailbox_folders", "INSERT, UPDATE"),
    ("intake_items", "INSERT, UPDATE"),
    ("owner_mails", "INSERT"),
    ("owner_replies", "INSERT, UPDATE"),
    ("processor_roles", "INSERT, UPDATE"),
    // A schedule's explanation, kept once (migration 12): written with the requests, never changed.
    ("schedule_explanations", "INSERT"),
];

/// Tables only an admin writes (an officer and an auditor read them).
pub const ADMIN_ONLY: &[&str] = &["settings", "systems", "letter_templates"];

/// Tables nobody writes directly: the server's triggers keep them (or `team init` does).
pub const KEPT_BY_SERVER: &[&str] = &[
    "schema_version",
    "events_issued",
    "request_days",
    "request_statuses",
    "request_open_kinds",
    "request_open_dates",
    "request_open_notices",
];

/// What `team init` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    /// The schema version found before (0: a new register).
    pub from_version: usize,
    pub to_version: usize,
    /// The group roles, created now or already there.
    pub roles: Vec<String>,
    /// The group roles created by this run.
    pub created: Vec<String>,
}

/// Creates or upgrades the register in the database `client` is connected to, creates
/// its group roles and grants them their rights: one transaction, all or nothing. Run
/// again, it changes nothing that is already right (and grants what a newer version adds).
pub fn init(client: &mut postgres::Client) -> Result<InitReport> {
    let mut tx = client.transaction().map_err(server_error)?;
    let dbname: String = tx.query_one("SELECT current_database()", &[]).map_err(server_error)?.get(0);
    // A GRANT by someone who may not grant is only a warning in PostgreSQL: without this
    // check an officer's `team init` would report rights it never granted.
    let may: bool = tx
        .query_one(
            "SELECT r.rolsuper OR (r.rolcreaterole AND pg_has_role(session_user, d.datdba, 'MEMBER')) \
             FROM pg_roles r, pg_database d WHERE r.rolname = session_user AND d.datname = current_database()",
            &[],
        )
        .map_err(server_error)?
        .get(0);
    if !may {
        return Err(not_an_administrator("create the register, its roles and their rights"));
    }
    let from = super::migrations::apply(&mut tx).map_err(|e| explain_privilege(e, "create the register's tables"))?;
    let mut roles = Vec::new();
    let mut created = Vec::new();
    for role in TeamRole::ALL {
        let name = group_role(&dbname, role);
        let exists: bool =
            tx.query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&name]).map_err(server_error)?.get(0);
        if !exists {
            tx.batch_execute(&format!("CREATE ROLE {} NOLOGIN", ident(&name)))
                .map_err(|e| explain_privilege(server_error(e), "create the register's roles (CREATEROLE)"))?;
            created.push(name.clone());
        }
        roles.push(name);
    }
    let [officer, auditor, admin] = [&roles[0], &roles[1], &roles[2]].map(|r| ident(r));
    let db = ident(&dbname);
    let mut grants = format!(
        "REVOKE ALL ON DATABASE {db} FROM PUBLIC;\n\
         GRANT CONNECT ON DATABASE {db} TO {officer}, {auditor}, {admin};\n\
         GRANT USAGE ON SCHEMA public TO {officer}, {auditor}, {admin};\n\
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO {officer}, {auditor}, {admin};\n\
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {officer}, {admin};\n\
         GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {officer}, {auditor}, {admin};\n"
    );
    for (table, privileges) in OFFICER_WRITES {
        grants.push_str(&format!("GRANT {privileges} ON {table} TO {officer};\n"));
        grants.push_str(&format!("GRANT INSERT, UPDATE, DELETE ON {table} TO {admin};\n"));
    }
    for table in ADMIN_ONLY {
        grants.push_str(&format!("GRANT INSERT, UPDATE, DELETE ON {table} TO {admin};\n"));
    }
    // The first file stored makes the key they are sealed under (PostgreSQL migration 7).
    grants.push_str(&format!("GRANT EXECUTE ON FUNCTION rightsdesk_evidence_key(text) TO {officer}, {admin};\n"));
    tx.batch_execute(&grants).map_err(|e| explain_privilege(server_error(e), "grant the roles their rights"))?;
    tx.commit().map_err(server_error)?;
    Ok(InitReport { from_version: from, to_version: super::migrations::SCHEMA_VERSION, roles, created })
}

fn not_an_administrator(doing: &str) -> Error {
    Error::invalid(
        "db",
        format!(
            "only a database administrator may {doing}: `rightsdesk team init` and `team add` are run by a superuser, \
             or by the database's owner with CREATEROLE; nothing was changed"
        ),
    )
}

fn explain_privilege(e: Error, doing: &str) -> Error {
    match e {
        Error::Internal(m) if m.contains("(42501)") => Error::invalid(
            "db",
            format!(
                "the server refused to {doing}: `rightsdesk team init` and `team add` are run by a database administrator \
                 (a superuser, or the database's owner with CREATEROLE); nothing was changed ({m})"
            ),
        ),
        other => other,
    }
}

/// A person added: their login and the one-time password, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Added {
    pub name: String,
    pub role: TeamRole,
    pub group: String,
    /// Given to the person once; it stops working at `valid_until`.
    pub password: String,
    /// RFC 3339 UTC: the password expires then (`VALID UNTIL`); the person (or an
    /// administrator) sets their own before with `ALTER ROLE ... PASSWORD`.
    pub valid_until: String,
}

/// How long a first password lasts.
pub const FIRST_PASSWORD_DAYS: i64 = 7;

/// A login role's name: what PostgreSQL accepts unquoted, so that it reads the same in
/// `psql`, `.pgpass` and every timeline (it is the actor on record).
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(Error::invalid(
            "name",
            "a team member's login is 1 to 63 characters: lower-case letters, digits and _, starting with a letter (e.g. ana_lopez)",
        ));
    }
    if name.starts_with("pg_") || name.starts_with("rightsdesk_") {
        return Err(Error::invalid("name", "a team member's login may not start with pg_ or rightsdesk_ (reserved)"));
    }
    Ok(())
}

/// Creates the login role `name` in `role`'s group, with a new random password that
/// expires after [`FIRST_PASSWORD_DAYS`]. Refuses a name that exists.
pub fn add(client: &mut postgres::Client, name: &str, role: TeamRole, now: chrono::DateTime<chrono::Utc>) -> Result<Added> {
    check_name(name)?;
    let mut tx = client.transaction().map_err(server_error)?;
    let may: bool =
        tx.query_one("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user", &[]).map_err(server_error)?.get(0);
    if !may {
        return Err(not_an_administrator("create a login"));
    }
    let dbname: String = tx.query_one("SELECT current_database()", &[]).map_err(server_error)?.get(0);
    let group = group_role(&dbname, role);
    let group_exists: bool =
        tx.query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&group]).map_err(server_error)?.get(0);
    if !group_exists {
        return Err(Error::invalid("db", "this database has no Rightsdesk register: run `rightsdesk team init` first"));
    }
    let exists: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&name]).map_err(server_error)?.get(0);
    if exists {
        return Err(Error::invalid("name", format!("{name} already has a login on this server; nothing was changed")));
    }
    let password = one_time_password()?;
    let valid_until = (now + chrono::Duration::days(FIRST_PASSWORD_DAYS)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // CREATE ROLE takes no parameters: the password is a literal of hex digits and '-',
    // which needs no escaping. The server stores it hashed (scram-sha-256).
    tx.batch_execute(&format!(
        "CREATE ROLE {} LOGIN PASSWORD '{}' VALID UNTIL '{valid_until}' IN ROLE {}",
        ident(name),
        password.as_str(),
        ident(&group)
    ))
    .map_err(|e| explain_privilege(server_error(e), "create the login"))?;
    tx.commit().map_err(server_error)?;
    Ok(Added { name: name.to_string(), role, group, password: password.to_string(), valid_until })
}

/// 24 random bytes as hex in groups of eight: 192 bits, easy to read out.
fn one_time_password() -> Result<zeroize::Zeroizing<String>> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 24]);
    getrandom::fill(bytes.as_mut()).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    let hex = zeroize::Zeroizing::new(hex::encode(bytes.as_ref()));
    Ok(zeroize::Zeroizing::new(hex.as_bytes().chunks(8).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("-")))
}

/// A team member, as `team list` shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub name: String,
    pub role: TeamRole,
    /// Whether the role may log in now (a login role, not past its `VALID UNTIL`).
    pub can_log_in: bool,
    /// RFC 3339 UTC, when the password expires; none when it does not.
    pub valid_until: Option<String>,
}

/// Everyone in one of this register's groups, by name (someone in two groups is listed
/// once per group).
pub fn list(client: &mut postgres::Client) -> Result<Vec<Member>> {
    let dbname: String = client.query_one("SELECT current_database()", &[]).map_err(server_error)?.get(0);
    let mut members = Vec::new();
    for role in TeamRole::ALL {
        let group = group_role(&dbname, role);
        let rows = client
            .query(
                "SELECT m.rolname::text, m.rolcanlogin AND (m.rolvaliduntil IS NULL OR m.rolvaliduntil > now()), \
                        to_char(m.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
                 FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member \
                 WHERE g.rolname = $1",
                &[&group],
            )
            .map_err(server_error)?;
        for r in rows {
            members.push(Member { name: r.get(0), role, can_log_in: r.get(1), valid_until: r.get(2) });
        }
    }
    members.sort_by(|a, b| a.name.cmp(&b.name).then((a.role as u8).cmp(&(b.role as u8))));
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_roles_carry_the_database_so_two_registers_on_one_server_do_not_share_them() {
        assert_eq!(group_role("rightsdesk", TeamRole::Officer), "rightsdesk_officer");
        assert_eq!(group_role("privacy", TeamRole::Auditor), "rightsdesk_privacy_auditor");
        assert_ne!(group_role("a", TeamRole::Admin), group_role("b", TeamRole::Admin));
    }

    #[test]
    fn every_table_of_the_schema_has_its_grants_decided() {
        let sql: String = super::super::migrations::MIGRATIONS.concat();
        let tables: Vec<&str> =
            sql.lines().filter_map(|l| l.strip_prefix("CREATE TABLE ")).map(|l| l.split_whitespace().next().unwrap()).collect();
        assert!(tables.len() > 25, "{tables:?}");
        let decided: Vec<&str> =
            OFFICER_WRITES.iter().map(|(t, _)| *t).chain(ADMIN_ONLY.iter().copied()).chain(KEPT_BY_SERVER.iter().copied()).collect();
        for t in &tables {
            assert_eq!(decided.iter().filter(|d| *d == t).count(), 1, "{t}: in exactly one grant list");
        }
        for d in &decided {
            assert!(tables.contains(d), "{d}: no such table");
        }
    }

    #[test]
    fn a_login_is_a_plain_lower_case_name_and_the_first_password_is_long_and_random() {
        for bad in ["", "Ana", "ana lopez", "1ana", "ana;drop", "pg_x", "rightsdesk_officer", &"a".repeat(64)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        check_name("ana_lopez2").unwrap();
        let (a, b) = (one_time_password().unwrap(), one_time_password().unwrap());
        assert_ne!(*a, *b);
        assert_eq!(a.len(), 48 + 5);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
    }
}
