//! The data map's rows (`datamap::{all, get, find_by_name, upsert}`) and
//! `datamap::list` on both stores through the store interface: the same test
//! bodies on an encrypted SQLite file and on a team register on a real
//! PostgreSQL 15 (working as a team admin, who may change the data map).
//!
//! `datamap::save` and `delete` (which also append a timeline event) are tested
//! on both stores in `events_stores.rs`. Here the rows are written directly, and
//! the map's file import and export (`datamap::io`) and the starter map go
//! through the services.

#[path = "common/stores.rs"]
mod stores;

use chrono::{TimeZone, Utc};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
use rightsdesk_core::datamap::{self, starter, SystemInput, SystemRole, SystemText};
use rightsdesk_core::error::ErrorCode;
use stores::Fresh;

on_both_stores!(
    systems_are_listed_by_name_with_letter_case_aside,
    a_system_comes_back_whole_and_by_name_in_any_letter_case,
    a_system_is_changed_in_place_by_its_id,
    a_name_another_system_has_is_refused_naming_name_and_nothing_is_written,
    a_map_imported_from_a_file_reads_back_and_a_bad_row_writes_nothing,
    the_starter_map_goes_only_into_an_empty_map,
);

fn at(hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, hour, 0, 0).unwrap()
}

fn system(name: &str, role: &str) -> datamap::ValidSystem {
    SystemInput {
        name: name.into(),
        vendor: "Example Vendor".into(),
        role: role.into(),
        text: SystemText {
            purposes: "Customer support".into(),
            location: "Frankfurt, DE".into(),
            retention: "3 years".into(),
            legal_duty: "HGB § 257: invoices 10 years".into(),
            how_to_delete: "Admin → Contacts → Delete (asks twice)".into(),
            ..Default::default()
        },
    }
    .validate()
    .unwrap()
}

fn systems_are_listed_by_name_with_letter_case_aside(r: &Fresh) {
    r.store()
        .write(|c| {
            for name in ["zendesk", "CRM", "billing", "Analytics"] {
                datamap::upsert(c, None, &system(name, "processor"), at(9))?;
            }
            Ok(())
        })
        .unwrap();
    let names: Vec<String> = datamap::list(r.store()).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Analytics", "billing", "CRM", "zendesk"]);
}

fn a_system_comes_back_whole_and_by_name_in_any_letter_case(r: &Fresh) {
    let id = r.store().write(|c| datamap::upsert(c, None, &system("CRM", "own"), at(9))).unwrap();
    let back = r.store().read(|c| datamap::get(c, &id)).unwrap();
    assert_eq!(back.name, "CRM");
    assert_eq!(back.role, SystemRole::Own);
    assert_eq!(back.text.how_to_delete, "Admin → Contacts → Delete (asks twice)");
    assert_eq!(back.text.legal_duty, "HGB § 257: invoices 10 years");
    assert_eq!((back.created_at, back.updated_at), (at(9), at(9)));
    for asked in ["crm", " CRM ", "Crm"] {
        assert_eq!(r.store().read(|c| datamap::find_by_name(c, asked)).unwrap().map(|s| s.id), Some(id.clone()), "{asked:?}");
    }
    assert_eq!(r.store().read(|c| datamap::find_by_name(c, "CRMs")).unwrap(), None);
    let e = r.store().read(|c| datamap::get(c, "no-such-id")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
}

fn a_system_is_changed_in_place_by_its_id(r: &Fresh) {
    let id = r.store().write(|c| datamap::upsert(c, None, &system("CRM", "own"), at(9))).unwrap();
    let again = r.store().write(|c| datamap::upsert(c, Some(&id), &system("CRM (EU)", "sub-processor"), at(11))).unwrap();
    assert_eq!(again, id);
    let all = datamap::list(r.store()).unwrap();
    assert_eq!(all.len(), 1, "changed, not added");
    assert_eq!((all[0].name.as_str(), all[0].role), ("CRM (EU)", SystemRole::SubProcessor));
    assert_eq!((all[0].created_at, all[0].updated_at), (at(9), at(11)), "created stays, updated moves");
}

fn a_name_another_system_has_is_refused_naming_name_and_nothing_is_written(r: &Fresh) {
    r.store().write(|c| datamap::upsert(c, None, &system("CRM", "own"), at(9))).unwrap();
    let e = r
        .store()
        .write(|c| {
            datamap::upsert(c, None, &system("Billing", "processor"), at(10))?;
            datamap::upsert(c, None, &system("crm", "processor"), at(10))
        })
        .unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::Invalid, Some("name")), "{e}");
    let names: Vec<String> = datamap::list(r.store()).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["CRM"], "neither the duplicate nor the other system of its transaction was written");
}

fn names(r: &Fresh) -> Vec<String> {
    datamap::list(r.store()).unwrap().into_iter().map(|s| s.name).collect()
}

fn a_map_imported_from_a_file_reads_back_and_a_bad_row_writes_nothing(r: &Fresh) {
    let clock = FixedClock::at("2026-12-02");
    r.store().write(|c| datamap::upsert(c, None, &system("CRM", "own"), at(9))).unwrap();
    let csv = "name,role,purposes\ncrm,own,Support tickets\nPayroll,processor,Salaries\n";
    let summary = datamap_io::import(r.store(), &clock, csv, DataFormat::Csv, "ada").unwrap();
    assert_eq!((summary.added, summary.updated), (1, 1));
    assert_eq!(
        names(r),
        ["crm", "Payroll"],
        "CRM matched by name in any letter case and updated (its name as the file spells it), Payroll added"
    );
    let exported = datamap_io::export(r.store(), DataFormat::Json).unwrap();
    assert!(exported.contains("Support tickets") && exported.contains("Salaries"), "{exported}");

    let bad = "name,role\nBilling,processor\n,own\n";
    let e = datamap_io::import(r.store(), &clock, bad, DataFormat::Csv, "ada").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Invalid, "{e}");
    assert_eq!(names(r), ["crm", "Payroll"], "the good row of a refused file is not written either");
}

fn the_starter_map_goes_only_into_an_empty_map(r: &Fresh) {
    let clock = FixedClock::at("2026-12-02");
    let summary = starter::load(r.store(), &clock, "ada").unwrap();
    assert!(summary.added >= 10, "{summary:?}");
    assert!(names(r).iter().any(|n| n == "Stripe"));
    let e = starter::load(r.store(), &clock, "ada").unwrap_err();
    assert_eq!(e.field(), Some("datamap"), "{e}");
}
