//! Saved filters' rows (`requests::saved_filter_rows`) and `saved_filters::list`
//! on both stores through the store interface: the same test bodies on an
//! encrypted SQLite file and on a team register on a real PostgreSQL 15.
//!
//! `saved_filters::save` and `delete` (which also append a timeline event) are
//! tested on both stores in `events_stores.rs`. Here the rows are written directly.

#[path = "common/stores.rs"]
mod stores;

use chrono::{TimeZone, Utc};
use rightsdesk_core::domain::Status;
use rightsdesk_core::error::ErrorCode;
use rightsdesk_core::requests::rows::{RequestFilter, SortOrder};
use rightsdesk_core::requests::saved_filter_rows as rows;
use rightsdesk_core::requests::saved_filters;
use stores::Fresh;

on_both_stores!(
    a_filter_comes_back_whole_by_id_and_by_name_in_any_letter_case,
    the_list_is_by_name_with_letter_case_aside,
    a_second_filter_of_the_same_name_is_refused_by_the_store,
    a_deleted_filter_is_gone_and_an_unknown_one_is_not_found,
    a_stored_filter_that_does_not_read_names_its_row,
);

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()
}

fn in_progress() -> RequestFilter {
    RequestFilter { status: Some(Status::InProgress), sort: SortOrder::SubjectAsc, open_only: true, ..Default::default() }
}

fn a_filter_comes_back_whole_by_id_and_by_name_in_any_letter_case(r: &Fresh) {
    r.store().write(|c| rows::insert(c, "0001", "In progress", &in_progress(), now())).unwrap();
    let back = r.store().read(|c| rows::get(c, "0001")).unwrap();
    assert_eq!(back.name, "In progress");
    assert_eq!(back.filter, in_progress());
    for asked in ["In progress", "in PROGRESS", "IN PROGRESS"] {
        assert_eq!(r.store().read(|c| rows::find_by_name(c, asked)).unwrap().as_deref(), Some("0001"), "{asked}");
    }
    assert_eq!(r.store().read(|c| rows::find_by_name(c, "In progres")).unwrap(), None);
}

fn the_list_is_by_name_with_letter_case_aside(r: &Fresh) {
    r.store()
        .write(|c| {
            rows::insert(c, "0001", "zebra", &RequestFilter::default(), now())?;
            rows::insert(c, "0002", "Overdue", &in_progress(), now())?;
            rows::insert(c, "0003", "apple", &RequestFilter::default(), now())?;
            rows::insert(c, "0004", "Mine", &RequestFilter::default(), now())
        })
        .unwrap();
    let names: Vec<String> = saved_filters::list(r.store()).unwrap().into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["apple", "Mine", "Overdue", "zebra"]);
}

fn a_second_filter_of_the_same_name_is_refused_by_the_store(r: &Fresh) {
    r.store().write(|c| rows::insert(c, "0001", "Overdue", &in_progress(), now())).unwrap();
    let e = r.store().write(|c| rows::insert(c, "0002", "OVERDUE", &RequestFilter::default(), now())).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Database, "{e}");
    let all = saved_filters::list(r.store()).unwrap();
    assert_eq!(all.len(), 1, "the refused one was not written");
    assert_eq!(all[0].filter, in_progress(), "the first is unchanged");
}

fn a_deleted_filter_is_gone_and_an_unknown_one_is_not_found(r: &Fresh) {
    r.store().write(|c| rows::insert(c, "0001", "Overdue", &in_progress(), now())).unwrap();
    assert!(r.store().write(|c| rows::delete(c, "0001")).unwrap(), "it was there");
    assert!(!r.store().write(|c| rows::delete(c, "0001")).unwrap(), "and is no more");
    assert!(saved_filters::list(r.store()).unwrap().is_empty());
    let e = r.store().read(|c| rows::get(c, "0001")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert_eq!(e.to_string(), "saved filter not found");
}

fn a_stored_filter_that_does_not_read_names_its_row(r: &Fresh) {
    r.store()
        .write(|c| {
            c.execute(
                "INSERT INTO saved_filters (id, name, filter, created_at) VALUES (?1, ?2, ?3, ?4)",
                &[&"0009", &"Broken", &"{\"status\": \"Ada Example\"}", &now().to_rfc3339()],
            )
        })
        .unwrap();
    let e = saved_filters::list(r.store()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Corrupt, "{e}");
    let message = e.to_string();
    assert!(message.contains("saved_filters.filter of row 0009"), "{message}");
    assert!(!message.contains("Ada"), "never the value: {message}");
}
