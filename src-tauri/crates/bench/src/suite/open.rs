//! Opening the database as the app does before its window appears: the
//! passphrase's key derivation (SQLCipher's PBKDF2), the schema check, and the
//! scan of open requests for dates computed by older rules. For information:
//! part of the app's start (no target of its own).

use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::Result;

use super::Target;
use crate::report::Figure;
use crate::timing::measure;

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    let samples = (t.effort.samples / 20).max(3);
    let stats = measure(1, samples, |_| -> Result<()> {
        let db = super::open(t.path, t.key)?;
        rightsdesk_core::requests::schedules::refresh_after_rule_update(&db, &t.clock, &current_actor())?;
        Ok(())
    });
    Ok(vec![Figure::new("open the database (passphrase KDF, schema, rule check)", Some(t.size), "p50", stats.p50, "ms", None)
        .note("what the app does before its window appears; a key from the OS keyring skips the KDF")])
}
