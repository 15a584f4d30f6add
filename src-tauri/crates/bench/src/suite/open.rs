//! Opening the database as the app does before its window appears: the
//! passphrase's key derivation (SQLCipher's PBKDF2), the schema check, and the
//! scan of open requests for dates computed by older rules. For information:
//! part of the app's start (no target of its own).

use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::Result;

use super::Target;
use crate::report::Figure;
use crate::timing::measure_info;

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    // The register is already open for writing in this process (`t.db`, which
    // holds the writer lock): a second `Db::open` is refused at once, and timing
    // that refusal measured 0.02 ms. So the measured opening is a read-only one
    // (the same key derivation and schema check, no lock), followed by the rule
    // check on the register already open; the first opening must succeed.
    let key = rightsdesk_core::store::DbKey::passphrase(t.key)?;
    drop(rightsdesk_core::store::Db::open_read_only(t.path, &key)?);
    let samples = (t.effort.samples / 20).max(3);
    let stats = measure_info(samples, |_| -> Result<()> {
        let db = rightsdesk_core::store::Db::open_read_only(t.path, &key)?;
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM request_statuses", [], |r| r.get::<_, i64>(0))?))?;
        rightsdesk_core::requests::schedules::refresh_after_rule_update(t.db, &t.clock, &current_actor())?;
        Ok(())
    });
    Ok(vec![Figure::new("open the database (passphrase KDF, schema, rule check)", Some(t.size), "p50", stats.p50, "ms", None)
        .note("what the app does before its window appears (opened read-only here: the bench holds the writer lock); a key from the OS keyring skips the KDF")])
}
