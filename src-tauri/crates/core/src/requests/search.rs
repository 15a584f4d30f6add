//! Finding requests: one page of the list and how many match in all, so the
//! UI can show 100,000 requests as one scrolling list without loading them all.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::clock::Clock;
use crate::domain::{Request, RequestType, Status, Subject};
use crate::error::Result;
use crate::requests::rows::{self as rows, RequestFilter};
use crate::store::{events, Store};

/// The largest page the UI may ask for at once.
pub const MAX_PAGE: u32 = 1_000;

/// One page of the request list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestPage {
    /// How many requests match the filter in all.
    pub total: u32,
    /// Where this page starts in the whole list.
    pub offset: u32,
    /// As of which point of the timeline the page was read: the register's highest event
    /// number, read before the rows. A bulk action sends it back, and is refused if one of
    /// the selected requests changed after it (`store::version::ensure_unchanged_since`).
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub as_of: i64,
    pub requests: Vec<Request>,
}

/// A request as a row of the register's list shows it: the request without its channel,
/// notes, times and schedule, but with the schedule's internal target. A schedule (with the
/// explanation of each of its dates) is about three quarters of a request's JSON: a page of
/// 200 list rows is a quarter of the size of 200 requests, which the window receives, parses
/// and keeps at start-up (issue 21, item 6).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListRow {
    pub id: String,
    pub reference: String,
    #[serde(rename = "type")]
    pub request_type: RequestType,
    pub regime: String,
    pub jurisdiction: String,
    pub subject: Subject,
    pub status: Status,
    /// The legal due date in force (after any extension); none where the law sets no date.
    pub due: Option<NaiveDate>,
    /// Days from today (organisation's zone) to `due`; negative when overdue; none once closed.
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub days_left: Option<i64>,
    /// The organisation's own earlier target date (the schedule's `target`), if it sets one.
    pub target: Option<NaiveDate>,
}

impl From<Request> for ListRow {
    fn from(r: Request) -> Self {
        ListRow {
            id: r.id,
            reference: r.reference,
            request_type: r.request_type,
            regime: r.regime,
            jurisdiction: r.jurisdiction,
            subject: r.subject,
            status: r.status,
            due: r.due,
            days_left: r.days_left,
            target: r.schedule.target,
        }
    }
}

/// One page of the request list as the window's list shows it ([`RequestPage`] with [`ListRow`]s).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListPage {
    /// How many requests match the filter in all.
    pub total: u32,
    /// Where this page starts in the whole list.
    pub offset: u32,
    /// As [`RequestPage::as_of`].
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub as_of: i64,
    pub requests: Vec<ListRow>,
}

impl From<RequestPage> for ListPage {
    fn from(p: RequestPage) -> Self {
        ListPage { total: p.total, offset: p.offset, as_of: p.as_of, requests: p.requests.into_iter().map(ListRow::from).collect() }
    }
}

/// The page of `filter` starting at `filter.offset` (default 0), of at most
/// `filter.limit` (default 200, at most [`MAX_PAGE`]) requests, with the total.
pub fn page<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, filter: &RequestFilter) -> Result<RequestPage> {
    let offset = filter.offset.unwrap_or(0);
    let filter = RequestFilter { limit: Some(filter.limit.unwrap_or(200).clamp(1, MAX_PAGE)), offset: Some(offset), ..filter.clone() };
    let today = move |zone: &str| -> NaiveDate { clock.today(zone.parse::<Tz>().unwrap_or(Tz::UTC)) };
    store.into().read(|c| {
        // Read first: a change committed between this and the rows makes a later bulk
        // action refuse needlessly (safe); the other order could let a stale one through.
        let as_of = events::highest_seq_issued(c)?;
        let (total, requests) = rows::page(c, &filter, today)?;
        Ok(RequestPage { total: u32::try_from(total).unwrap_or(u32::MAX), offset, as_of, requests })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::{NewRequest, RequestType};
    use crate::requests;
    use crate::requests::rows::SortOrder;
    use crate::store::Db;

    fn add(db: &Db, clock: &FixedClock, name: &str, email: &str, notes: &str) -> String {
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name.into(),
            subject_email: email.into(),
            received: "2025-02-01".into(),
            notes: notes.into(),
            ..Default::default()
        };
        requests::register(db, clock, &input, "t").unwrap().reference
    }

    #[test]
    fn one_search_finds_subjects_emails_references_ids_and_notes() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let ada = add(&db, &clock, "Ada Example", "ada@example.org", "");
        let bob = add(&db, &clock, "Bob Sample", "bob@corp.example", "Wants the CRM tickets of 2023");
        let search = |q: &str| {
            let f = RequestFilter { search: Some(q.into()), ..Default::default() };
            page(&db, &clock, &f).unwrap().requests.into_iter().map(|r| r.reference).collect::<Vec<_>>()
        };
        assert_eq!(search("ada ex"), vec![ada.clone()]);
        assert_eq!(search("CORP.example"), vec![bob.clone()]);
        assert_eq!(search("crm tickets"), vec![bob.clone()], "notes are searched");
        assert_eq!(search(&bob.to_lowercase()), vec![bob.clone()]);
        let id = requests::detail(&db, &clock, &ada).unwrap().request.id;
        assert_eq!(search(&id), vec![ada]);
    }

    #[test]
    fn pages_of_a_long_list_do_not_overlap_and_carry_the_total() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        for i in 0..25 {
            add(&db, &clock, &format!("Person {:02}", 24 - i), "p@example.org", "");
        }
        let mut seen = Vec::new();
        for offset in [0, 10, 20] {
            let f = RequestFilter { sort: SortOrder::SubjectAsc, limit: Some(10), offset: Some(offset), ..Default::default() };
            let p = page(&db, &clock, &f).unwrap();
            assert_eq!(p.total, 25);
            assert_eq!(p.offset, offset);
            seen.extend(p.requests.into_iter().map(|r| r.subject.name));
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted, "sorted by subject, no row twice");
        assert_eq!(seen.len(), 25);
        let desc = RequestFilter { sort: SortOrder::ReferenceDesc, limit: Some(1), ..Default::default() };
        assert_eq!(page(&db, &clock, &desc).unwrap().requests[0].reference, "DSR-2025-0025");
    }

    #[test]
    fn the_window_s_list_page_carries_each_row_s_dates_without_the_schedule() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        add(&db, &clock, "Ada Example", "ada@example.org", "");
        let full = page(&db, &clock, &RequestFilter::default()).unwrap();
        let lean = ListPage::from(full.clone());
        let (r, row) = (&full.requests[0], &lean.requests[0]);
        assert_eq!((lean.total, lean.offset, lean.as_of), (full.total, full.offset, full.as_of));
        assert_eq!((&row.id, &row.reference, row.status, row.due, row.days_left), (&r.id, &r.reference, r.status, r.due, r.days_left));
        assert_eq!(row.subject, r.subject);
        assert!(r.schedule.target.is_some(), "GDPR's schedule sets an internal target");
        assert_eq!(row.target, r.schedule.target);
        let json = serde_json::to_value(&lean).unwrap();
        assert_eq!(json["requests"][0]["type"], "access");
        assert!(json["requests"][0].get("schedule").is_none());
        let (lean_size, full_size) = (serde_json::to_vec(&lean).unwrap().len(), serde_json::to_vec(&full).unwrap().len());
        assert!(lean_size * 2 < full_size, "{lean_size} bytes against {full_size}");
    }

    fn found(db: &Db, clock: &FixedClock, q: &str) -> (u32, Vec<String>) {
        let f = RequestFilter { search: Some(q.into()), sort: SortOrder::ReferenceAsc, ..Default::default() };
        let p = page(db, clock, &f).unwrap();
        (p.total, p.requests.into_iter().map(|r| r.subject.name).collect())
    }

    #[test]
    fn search_finds_part_of_an_email_or_a_name_in_any_letter_case_and_accent() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        add(&db, &clock, "Élodie Dupré", "elodie.dupre@courrier.example", "");
        add(&db, &clock, "Ada Lovelace", "ada@analytical.example", "");
        add(&db, &clock, "Grace Hopper", "grace@navy.example", "Asked about Élodie's case too");
        let names = |q: &str| found(&db, &clock, q).1;
        assert_eq!(names("dupre@courr"), vec!["Élodie Dupré"], "part of an email");
        assert_eq!(names("LOVEL"), vec!["Ada Lovelace"], "part of a name, upper case");
        assert_eq!(names("@NAVY.Example"), vec!["Grace Hopper"]);
        assert_eq!(names("élodie"), vec!["Élodie Dupré", "Grace Hopper"], "name and notes");
        assert_eq!(names("ELODIE DUPRE"), vec!["Élodie Dupré"], "accents and case ignored");
        assert_eq!(names("dupré"), vec!["Élodie Dupré"]);
        assert_eq!(found(&db, &clock, "example").0, 3, "the total counts every match");
        assert!(names("lovelace hopper").is_empty(), "a phrase, not any of its words");
        assert!(names("\"ada\" OR *").is_empty(), "search syntax in the term is plain text");
    }

    #[test]
    fn search_terms_of_one_or_two_characters_still_find_substrings() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        add(&db, &clock, "Jo Li", "jl@x.example", "");
        add(&db, &clock, "Maria Quiroga", "mq@y.example", "");
        assert_eq!(found(&db, &clock, "LI").1, vec!["Jo Li"]);
        assert_eq!(found(&db, &clock, "q").1, vec!["Maria Quiroga"]);
        assert_eq!(found(&db, &clock, "y.").1, vec!["Maria Quiroga"]);
    }

    #[test]
    fn search_follows_a_subject_erased_or_a_request_removed() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let ada = add(&db, &clock, "Ada Lovelace", "ada@analytical.example", "");
        let bob = add(&db, &clock, "Bob Sample", "bob@corp.example", "");
        // What a retention purge does to a closed request's subject (purge).
        db.write(|tx| {
            tx.execute("UPDATE requests SET subject_name = '[erased]', subject_email = NULL, notes = '' WHERE reference = ?1", [&ada])?;
            tx.execute("DELETE FROM events WHERE request_id = (SELECT id FROM requests WHERE reference = ?1)", [&bob])?;
            tx.execute("DELETE FROM tasks WHERE request_id = (SELECT id FROM requests WHERE reference = ?1)", [&bob])?;
            tx.execute("DELETE FROM requests WHERE reference = ?1", [&bob])?;
            Ok(())
        })
        .unwrap();
        assert!(found(&db, &clock, "lovelace").1.is_empty(), "the erased name is not found");
        assert_eq!(found(&db, &clock, "[erased]").1, vec!["[erased]"]);
        assert!(found(&db, &clock, "sample").1.is_empty(), "the removed request is not found");
    }

    #[test]
    fn a_term_few_requests_match_pages_in_the_same_order_as_the_whole_list_with_its_total() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        for i in 0..90 {
            let (name, notes) = match i % 3 {
                0 => (format!("Élodie Dupré {i}"), String::new()),
                1 => (format!("Person {i}"), if i % 2 == 0 { "Écrit pour Mme DUPRE".to_string() } else { String::new() }),
                _ => (format!("Person {i}"), String::new()),
            };
            let input = NewRequest {
                request_type: RequestType::Access,
                regime: "eu-gdpr".into(),
                jurisdiction: "DE".into(),
                subject_name: name,
                subject_email: format!("p{i}@example.org"),
                received: format!("2025-01-{:02}", 1 + (i * 7) % 28),
                notes,
                ..Default::default()
            };
            requests::register(&db, &clock, &input, "t").unwrap();
        }
        // Closed requests sort after open ones by due date; some have no due date.
        db.write(|tx| {
            tx.execute("UPDATE requests SET status = 'completed', closed_on = '2025-02-01' WHERE number % 4 = 0", [])?;
            tx.execute("UPDATE requests SET due = NULL WHERE number % 5 = 0", [])?;
            Ok(())
        })
        .unwrap();
        let refs = |search: Option<&str>, sort: SortOrder, open_only: bool, offset: u32, limit: u32| {
            let f = RequestFilter {
                search: search.map(str::to_string),
                sort,
                open_only,
                limit: Some(limit),
                offset: Some(offset),
                ..Default::default()
            };
            let p = page(&db, &clock, &f).unwrap();
            (p.total, p.requests.into_iter().map(|r| (r.reference, r.subject.name, r.notes)).collect::<Vec<_>>())
        };
        let matches = |(_, name, notes): &(String, String, String)| name.contains("Dupré") || notes.contains("DUPRE");
        let sorts = [
            SortOrder::DueAsc,
            SortOrder::DueDesc,
            SortOrder::SubjectAsc,
            SortOrder::ReceivedDesc,
            SortOrder::ReferenceDesc,
            SortOrder::StatusAsc,
        ];
        for sort in sorts {
            for open_only in [false, true] {
                // The whole list, in its order, without a search: the page of matches must be a slice of its matching requests.
                let (all, whole) = refs(None, sort, open_only, 0, 1_000);
                assert_eq!(all as usize, whole.len());
                let expected: Vec<_> = whole.into_iter().filter(matches).collect();
                assert!(expected.len() > 20, "{sort:?}: enough matches for several pages");
                for term in ["dupre", "DUPRÉ", "upr"] {
                    for (offset, limit) in [(0, 7), (7, 7), (14, 100), (40, 10), (200, 5)] {
                        let (total, got) = refs(Some(term), sort, open_only, offset, limit);
                        let want: Vec<_> = expected.iter().skip(offset as usize).take(limit as usize).cloned().collect();
                        assert_eq!(total as usize, expected.len(), "{term} {sort:?} open {open_only}: the total counts every match");
                        assert_eq!(got, want, "{term} {sort:?} open {open_only} offset {offset}");
                    }
                }
            }
        }
        // A phrase that straddles two words of the name, and one of the name only.
        let (total, got) = refs(Some("odie dup"), SortOrder::ReferenceAsc, false, 0, 100);
        assert_eq!(total, 30);
        assert!(got.iter().all(|(_, name, _)| name.starts_with("Élodie Dupré")));
        let (_, got) = refs(Some("dupré 3"), SortOrder::ReferenceAsc, false, 0, 100);
        let names: Vec<_> = got.into_iter().map(|(_, name, _)| name).collect();
        assert_eq!(names, ["Élodie Dupré 3", "Élodie Dupré 30", "Élodie Dupré 33", "Élodie Dupré 36", "Élodie Dupré 39"]);
    }

    #[test]
    fn a_term_most_requests_match_pages_in_the_same_order_as_the_whole_list() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        // More matches than the store reads one by one (it walks the list's order instead).
        for i in 0..2_050 {
            let day = 1 + i % 28;
            let input = NewRequest {
                request_type: RequestType::Access,
                regime: "eu-gdpr".into(),
                jurisdiction: "DE".into(),
                subject_name: format!("Person {i}"),
                subject_email: format!("p{i}@example.org"),
                received: format!("2025-01-{day:02}"),
                ..Default::default()
            };
            requests::register(&db, &clock, &input, "t").unwrap();
        }
        let refs = |search: Option<&str>, offset: u32| {
            let f = RequestFilter { search: search.map(str::to_string), limit: Some(25), offset: Some(offset), ..Default::default() };
            let p = page(&db, &clock, &f).unwrap();
            (p.total, p.requests.into_iter().map(|r| r.reference).collect::<Vec<_>>())
        };
        for offset in [0, 1_000, 2_040] {
            assert_eq!(refs(Some("EXAMPLE.org"), offset), refs(None, offset), "offset {offset}");
        }
        assert_eq!(refs(Some("p2049@"), 0).0, 1);
    }
}
