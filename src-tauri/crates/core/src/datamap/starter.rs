//! A starter data map for a fresh install, to edit rather than type from
//! nothing. It is drawn from a real small software company's published
//! sub-processor list and retention table (FactoryLM's trust page and privacy
//! policy, OpenFactory's GxP audit-log duty; see `/work/shared/seeds`), with
//! the transfer safeguards left for the officer to confirm.

use crate::clock::Clock;
use crate::datamap;
use crate::datamap::io::{self, DataFormat, ImportSummary};
use crate::error::{Error, Result};
use crate::store::Store;

const STARTER: &str = include_str!("../../../../../assets/datamap/starter.json");

/// Loads the starter map into an empty data map. On either store.
pub fn load<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str) -> Result<ImportSummary> {
    let store = store.into();
    if !datamap::list(store)?.is_empty() {
        return Err(Error::invalid("datamap", "the data map is not empty; the starter map is only for a fresh install"));
    }
    io::import(store, clock, STARTER, DataFormat::Json, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn a_fresh_install_gets_a_starter_map_with_the_payment_records_duty() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let summary = load(&db, &clock, "o").unwrap();
        assert!(summary.added >= 10);
        let map = datamap::list(&db).unwrap();
        let stripe = map.iter().find(|s| s.name == "Stripe").unwrap();
        assert!(stripe.text.legal_duty.contains("7 years"));
        assert_eq!(load(&db, &clock, "o").unwrap_err().field(), Some("datamap"));
    }
}
