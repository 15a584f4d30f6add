//! Saved filters: the officer names a view of the request list and returns to it.

use serde_json::json;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::requests::rows::RequestFilter;
use crate::requests::saved_filter_rows::{self as rows, SavedFilter};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::Store;

/// Saves `filter` under `name`; a name already in use is replaced (same id), so
/// "save" on an open view updates it. Paging (limit, offset) is not kept.
/// On either store; on a team register the actor on record is the person logged in.
pub fn save<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, name: &str, filter: &RequestFilter, actor: &str) -> Result<SavedFilter> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "a saved filter needs a name"));
    }
    if name.chars().count() > 80 {
        return Err(Error::invalid("name", "is longer than 80 characters"));
    }
    let filter = RequestFilter { limit: None, offset: None, ..filter.clone() };
    let now = clock.now();
    store.into().write(|tx| {
        let id = match rows::find_by_name(tx, name)? {
            Some(existing) => {
                rows::delete(tx, &existing)?;
                existing
            }
            None => uuid::Uuid::now_v7().to_string(),
        };
        rows::insert(tx, &id, name, &filter, now)?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent { kind: EventKind::FilterSaved, summary: format!("Saved filter “{name}”"), data: json!({ "id": id }) },
        )?;
        rows::get(tx, &id)
    })
}

/// Every saved filter, by name; on either store.
pub fn list<'a>(store: impl Into<Store<'a>>) -> Result<Vec<SavedFilter>> {
    store.into().read(|c| rows::all(c))
}

/// Deletes a saved filter, on either store.
pub fn delete<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, actor: &str) -> Result<()> {
    let now = clock.now();
    store.into().write(|tx| {
        let saved = rows::get(tx, id)?;
        rows::delete(tx, id)?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::FilterDeleted,
                summary: format!("Deleted saved filter “{}”", saved.name),
                data: json!({ "id": id }),
            },
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::Status;
    use crate::requests::rows::SortOrder;
    use crate::store::Db;

    #[test]
    fn a_saved_filter_comes_back_by_name_and_saving_the_same_name_replaces_it() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let overdue =
            RequestFilter { status: Some(Status::InProgress), sort: SortOrder::SubjectAsc, offset: Some(400), ..Default::default() };
        let saved = save(&db, &clock, "  In progress ", &overdue, "t").unwrap();
        assert_eq!(saved.name, "In progress");
        assert_eq!(saved.filter.offset, None, "paging is not part of a view");
        let again = save(&db, &clock, "in progress", &RequestFilter { open_only: true, ..Default::default() }, "t").unwrap();
        assert_eq!(again.id, saved.id);
        let all = list(&db).unwrap();
        assert_eq!(all.len(), 1);
        assert!(all[0].filter.open_only);
        delete(&db, &clock, &saved.id, "t").unwrap();
        assert!(list(&db).unwrap().is_empty());
        assert_eq!(save(&db, &clock, " ", &overdue, "t").unwrap_err().field(), Some("name"));
    }
}
