//! The number and reference a registration gets, given by the request's insert itself
//! (`requests::rows::insert_next`): the number after the highest, the reference
//! `DSR-<year of receipt>-<number, at least four digits>`, on both stores, past 9,999.

mod common;
#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::requests;
use stores::Fresh;

on_both_stores!(references_count_on_past_four_digits_without_a_gap);

fn references_count_on_past_four_digits_without_a_gap(r: &Fresh) {
    let store = r.store();
    let clock = FixedClock::at("2026-02-10");
    let first = requests::register(store, &clock, &common::gdpr_access("Ada Example", "2025-12-30"), "officer").unwrap();
    assert_eq!(first.reference, "DSR-2025-0001", "the year is the year of receipt");
    // As if 9,997 more had come before the next one.
    store.write(|c| c.execute("UPDATE requests SET number = 9998 WHERE id = ?1", &[&first.id])).unwrap();
    let next = requests::register(store, &clock, &common::gdpr_access("Bob Sample", "2026-02-02"), "officer").unwrap();
    assert_eq!(next.reference, "DSR-2026-9999");
    let after = requests::register(store, &clock, &common::gdpr_access("Cleo Test", "2026-02-03"), "officer").unwrap();
    assert_eq!(after.reference, "DSR-2026-10000", "five digits, none cut off");
    let numbers: Vec<i64> = store.read(|c| c.query_map("SELECT number FROM requests ORDER BY number", &[], |r| r.get(0))).unwrap();
    assert_eq!(numbers, [9998, 9999, 10000], "numbered on from the highest");
    let stored = requests::detail(store, &clock, "dsr-2026-10000").unwrap();
    assert_eq!(stored.request.id, after.id, "found by its reference as stored");
}
