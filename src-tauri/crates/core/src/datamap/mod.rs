//! The data map: the organisation's systems and processors, what they hold,
//! where, for how long and why, and how to search, export and delete there.

pub mod io;
pub mod starter;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::{interface, Conn, Row, Store};

/// Who runs the system: the organisation itself, a processor, or a processor's sub-processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum SystemRole {
    Own,
    Processor,
    SubProcessor,
}

impl SystemRole {
    pub const ALL: [SystemRole; 3] = [SystemRole::Own, SystemRole::Processor, SystemRole::SubProcessor];

    pub fn as_str(self) -> &'static str {
        match self {
            SystemRole::Own => "own",
            SystemRole::Processor => "processor",
            SystemRole::SubProcessor => "sub-processor",
        }
    }

    pub fn parse(s: &str) -> Option<SystemRole> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        match s.as_str() {
            "own" | "own-system" | "internal" => Some(SystemRole::Own),
            _ => SystemRole::ALL.into_iter().find(|r| r.as_str() == s),
        }
    }
}

/// What an officer writes about a system, in free text: what it holds, where, for
/// how long and why, and how to search, export and delete there. Shared by the
/// stored [`System`] and the [`SystemInput`] an officer or an import row supplies;
/// flattened, so its fields sit at the top level of the JSON (and the CSV columns).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SystemText {
    pub purposes: String,
    pub data_categories: String,
    pub data_subjects: String,
    /// Where the data is, e.g. "AWS us-east-1, USA".
    pub location: String,
    /// The transfer safeguard, e.g. "SCCs", "adequacy decision".
    pub transfer_safeguard: String,
    /// How long the data is kept, e.g. "7 years".
    pub retention: String,
    /// The legal duty that keeps data through an erasure request, e.g. "tax law: payment records 7 years".
    pub legal_duty: String,
    pub owner_contact: String,
    pub how_to_search: String,
    pub how_to_export: String,
    pub how_to_delete: String,
    /// The lawful basis of the processing, as the cover letter states it (e.g. "Contract, Art. 6(1)(b)").
    pub legal_basis: String,
    /// Where the data comes from when not from the subject (GDPR Art. 15(1)(g)), for the cover letter.
    pub source: String,
    /// Automated decision-making (GDPR Art. 15(1)(h)): "none", or the logic involved, its significance and its
    /// envisaged consequences. Empty means not recorded.
    pub automated_decisions: String,
}

/// One system or processor of the data map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct System {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub role: SystemRole,
    #[serde(flatten)]
    pub text: SystemText,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an officer (or an import row) supplies for a system. Free text; the
/// role is one of `own`, `processor`, `sub-processor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SystemInput {
    pub name: String,
    pub vendor: String,
    pub role: String,
    #[serde(flatten)]
    pub text: SystemText,
}

/// The columns of the CSV format, in order; also the JSON field names.
pub const FIELDS: [&str; 17] = [
    "name",
    "vendor",
    "role",
    "purposes",
    "data_categories",
    "data_subjects",
    "location",
    "transfer_safeguard",
    "retention",
    "legal_duty",
    "owner_contact",
    "how_to_search",
    "how_to_export",
    "how_to_delete",
    "legal_basis",
    "source",
    "automated_decisions",
];

/// A validated system input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSystem {
    pub role: SystemRole,
    pub input: SystemInput,
}

impl SystemInput {
    /// The value of the field named in [`FIELDS`].
    pub fn field(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "vendor" => &self.vendor,
            "role" => &self.role,
            "purposes" => &self.text.purposes,
            "data_categories" => &self.text.data_categories,
            "data_subjects" => &self.text.data_subjects,
            "location" => &self.text.location,
            "transfer_safeguard" => &self.text.transfer_safeguard,
            "retention" => &self.text.retention,
            "legal_duty" => &self.text.legal_duty,
            "owner_contact" => &self.text.owner_contact,
            "how_to_search" => &self.text.how_to_search,
            "how_to_export" => &self.text.how_to_export,
            "legal_basis" => &self.text.legal_basis,
            "source" => &self.text.source,
            "automated_decisions" => &self.text.automated_decisions,
            _ => &self.text.how_to_delete,
        }
    }

    pub(crate) fn field_mut(&mut self, name: &str) -> &mut String {
        match name {
            "name" => &mut self.name,
            "vendor" => &mut self.vendor,
            "role" => &mut self.role,
            "purposes" => &mut self.text.purposes,
            "data_categories" => &mut self.text.data_categories,
            "data_subjects" => &mut self.text.data_subjects,
            "location" => &mut self.text.location,
            "transfer_safeguard" => &mut self.text.transfer_safeguard,
            "retention" => &mut self.text.retention,
            "legal_duty" => &mut self.text.legal_duty,
            "owner_contact" => &mut self.text.owner_contact,
            "how_to_search" => &mut self.text.how_to_search,
            "how_to_export" => &mut self.text.how_to_export,
            "legal_basis" => &mut self.text.legal_basis,
            "source" => &mut self.text.source,
            "automated_decisions" => &mut self.text.automated_decisions,
            _ => &mut self.text.how_to_delete,
        }
    }

    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<ValidSystem> {
        let mut clean = SystemInput::default();
        for f in FIELDS {
            let max = if f == "name" { 200 } else { 2000 };
            *clean.field_mut(f) = crate::domain::text(field_name(f), self.field(f), max)?;
        }
        if clean.name.is_empty() {
            return Err(Error::invalid("name", "is required"));
        }
        // Names, vendors, roles and locations are printed one per line (task lists, packages, the CLI).
        for f in ["name", "vendor", "role", "location"] {
            crate::domain::one_line(field_name(f), clean.field(f))?;
        }
        let role = if clean.role.is_empty() {
            SystemRole::Processor
        } else {
            SystemRole::parse(&clean.role).ok_or_else(|| Error::invalid("role", "is one of: own, processor, sub-processor"))?
        };
        clean.role = role.as_str().to_string();
        Ok(ValidSystem { role, input: clean })
    }
}

/// Whether a legal duty on the data map cites its law: a section, article or
/// paragraph sign, or a named act, code, regulation or statute ("HGB § 257",
/// "AO § 147", "21 CFR Part 11", "GDPR Art. 17(3)(b)"). A duty that cites none
/// is the organisation's own policy: letters never present it as a legal obligation.
pub fn duty_cites_law(duty: &str) -> bool {
    let d = duty.to_lowercase();
    let d = format!(" {} ", d.replace(['(', ')', ',', ';', ':'], " "));
    [
        "§",
        " art. ",
        " article ",
        " artikel ",
        " s. ",
        " ss. ",
        " section ",
        " cfr ",
        " u.s.c. ",
        " act ",
        " code ",
        " regulation ",
        " gesetz",
        "gesetz ",
        " hgb ",
        " ao ",
        " ustg ",
        " loi ",
        " statute ",
        " directive ",
    ]
    .iter()
    .any(|m| d.contains(m))
}

/// The `'static` name of a field, for errors.
pub fn field_name(f: &str) -> &'static str {
    FIELDS.iter().copied().find(|x| *x == f).unwrap_or("field")
}

impl From<&System> for SystemInput {
    fn from(s: &System) -> Self {
        SystemInput { name: s.name.clone(), vendor: s.vendor.clone(), role: s.role.as_str().to_string(), text: s.text.clone() }
    }
}

// ---- rows ----------------------------------------------------------------------

const COLUMNS: &str = "id, name, vendor, role, purposes, data_categories, data_subjects, location, transfer_safeguard, \
     retention, legal_duty, owner_contact, how_to_search, how_to_export, how_to_delete, created_at, updated_at, \
     legal_basis, source, automated_decisions";

fn from_row(r: &Row<'_>) -> Result<System> {
    let id: String = r.get(0)?;
    let role: String = r.get(3)?;
    Ok(System {
        role: row::known("systems", "role", &id, &role, SystemRole::parse)?,
        created_at: row::instant("systems", "created_at", &id, &r.get::<String>(15)?)?,
        updated_at: row::instant("systems", "updated_at", &id, &r.get::<String>(16)?)?,
        id,
        name: r.get(1)?,
        vendor: r.get(2)?,
        text: SystemText {
            purposes: r.get(4)?,
            data_categories: r.get(5)?,
            data_subjects: r.get(6)?,
            location: r.get(7)?,
            transfer_safeguard: r.get(8)?,
            retention: r.get(9)?,
            legal_duty: r.get(10)?,
            owner_contact: r.get(11)?,
            how_to_search: r.get(12)?,
            how_to_export: r.get(13)?,
            how_to_delete: r.get(14)?,
            legal_basis: r.get(17)?,
            source: r.get(18)?,
            automated_decisions: r.get(19)?,
        },
    })
}

// On the store interface (`store::Conn`): the same calls on SQLite and PostgreSQL.
// Names compare with letter case aside as `lower(name)`: ASCII only on both, as
// SQLite's NOCASE column and the PostgreSQL schema's unique index fold them.

/// Every system, by name with letter case aside.
pub fn all<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<System>> {
    conn.into().query_map(&format!("SELECT {COLUMNS} FROM systems ORDER BY lower(name), name"), &[], from_row)
}

/// The system `id`, or [`Error::NotFound`].
pub fn get<'a>(conn: impl Into<Conn<'a>>, id: &str) -> Result<System> {
    conn.into()
        .query_opt(&format!("SELECT {COLUMNS} FROM systems WHERE id = ?1"), &[&id], from_row)?
        .ok_or(Error::NotFound { entity: "system" })
}

/// The system named `name` (trimmed), letter case aside.
pub fn find_by_name<'a>(conn: impl Into<Conn<'a>>, name: &str) -> Result<Option<System>> {
    conn.into().query_opt(&format!("SELECT {COLUMNS} FROM systems WHERE lower(name) = lower(?1)"), &[&name.trim()], from_row)
}

/// Inserts or (when `id` is given) updates a system; returns its id. A name
/// another system has is refused naming `name`, nothing written.
pub fn upsert<'a>(conn: impl Into<Conn<'a>>, id: Option<&str>, v: &ValidSystem, now: DateTime<Utc>) -> Result<String> {
    let (i, t) = (&v.input, &v.input.text);
    let id = match id {
        Some(id) => id.to_string(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    conn.into()
        .execute(
            "INSERT INTO systems (id, name, vendor, role, purposes, data_categories, data_subjects, location, \
         transfer_safeguard, retention, legal_duty, owner_contact, how_to_search, how_to_export, how_to_delete, \
         created_at, updated_at, legal_basis, source, automated_decisions) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?18, ?19) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, vendor = excluded.vendor, role = excluded.role, \
         purposes = excluded.purposes, data_categories = excluded.data_categories, data_subjects = excluded.data_subjects, \
         location = excluded.location, transfer_safeguard = excluded.transfer_safeguard, retention = excluded.retention, \
         legal_duty = excluded.legal_duty, owner_contact = excluded.owner_contact, how_to_search = excluded.how_to_search, \
         how_to_export = excluded.how_to_export, how_to_delete = excluded.how_to_delete, updated_at = excluded.updated_at, \
         legal_basis = excluded.legal_basis, source = excluded.source, automated_decisions = excluded.automated_decisions",
            &[
                &id,
                &i.name,
                &i.vendor,
                &v.role.as_str(),
                &t.purposes,
                &t.data_categories,
                &t.data_subjects,
                &t.location,
                &t.transfer_safeguard,
                &t.retention,
                &t.legal_duty,
                &t.owner_contact,
                &t.how_to_search,
                &t.how_to_export,
                &t.how_to_delete,
                &now.to_rfc3339(),
                &t.legal_basis,
                &t.source,
                &t.automated_decisions,
            ],
        )
        .map_err(|e| if interface::is_unique_violation(&e) { Error::invalid("name", "another system already has this name") } else { e })?;
    Ok(id)
}

// ---- services ------------------------------------------------------------------

/// The whole data map, by name; on either store.
pub fn list<'a>(store: impl Into<Store<'a>>) -> Result<Vec<System>> {
    store.into().read(|c| all(c))
}

/// Adds a system (`id` none) or changes one.
/// On either store; on a team register the actor on record is the person logged in.
pub fn save<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: Option<&str>, input: &SystemInput, actor: &str) -> Result<System> {
    let valid = input.validate()?;
    let now = clock.now();
    store.into().write(|tx| {
        if let Some(id) = id {
            get(tx, id)?;
        }
        let (kind, verb) = if id.is_none() { (EventKind::SystemAdded, "added") } else { (EventKind::SystemChanged, "changed") };
        let id = upsert(tx, id, &valid, now)?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent { kind, summary: format!("Data map: {verb} {}", valid.input.name), data: json!({ "system_id": id }) },
        )?;
        get(tx, &id)
    })
}

/// Removes a system from the map. Tasks already generated from it keep its name.
/// On either store.
pub fn delete<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, actor: &str) -> Result<()> {
    let now = clock.now();
    store.into().write(|tx| {
        let system = get(tx, id)?;
        tx.execute("DELETE FROM systems WHERE id = ?1", &[&id])?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::SystemRemoved,
                summary: format!("Data map: removed {}", system.name),
                data: json!({ "system_id": id }),
            },
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    fn stripe() -> SystemInput {
        SystemInput {
            name: "Stripe".into(),
            role: "sub-processor".into(),
            text: SystemText {
                purposes: "Payment processing".into(),
                legal_duty: "Tax law: payment records 7 years".into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_system_is_added_changed_and_removed_with_a_record_of_each() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let s = save(&db, &clock, None, &stripe(), "officer").unwrap();
        assert_eq!(s.role, SystemRole::SubProcessor);
        let later = FixedClock::at("2026-11-24");
        let changed = save(
            &db,
            &later,
            Some(&s.id),
            &SystemInput { text: SystemText { retention: "7 years".into(), ..stripe().text }, ..stripe() },
            "officer",
        )
        .unwrap();
        assert_eq!(changed.text.retention, "7 years");
        assert_eq!(list(&db).unwrap().len(), 1);
        delete(&db, &later, &s.id, "officer").unwrap();
        assert!(list(&db).unwrap().is_empty());
        let kinds: Vec<String> = db.read(|c| Ok(crate::store::events::chain(c)?.into_iter().map(|r| r.kind).collect())).unwrap();
        assert_eq!(kinds, ["system-added", "system-changed", "system-removed"]);
    }

    #[test]
    fn a_system_needs_a_name_and_a_known_role_and_a_unique_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let err = save(&db, &clock, None, &SystemInput { name: " ".into(), ..stripe() }, "o").unwrap_err();
        assert_eq!(err.field(), Some("name"));
        let err = save(&db, &clock, None, &SystemInput { role: "vendor".into(), ..stripe() }, "o").unwrap_err();
        assert_eq!(err.field(), Some("role"));
        save(&db, &clock, None, &stripe(), "o").unwrap();
        let err = save(&db, &clock, None, &SystemInput { name: "STRIPE".into(), ..stripe() }, "o").unwrap_err();
        assert_eq!(err.to_string(), "name: another system already has this name");
    }
}
