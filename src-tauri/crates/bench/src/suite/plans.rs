//! Query plans of the statements the benchmarks exercise (`bench-core --explain`),
//! to see which index each one uses. The list statements are written as
//! `requests::rows::list` builds them; keep them in step when it changes.

use rusqlite::Connection;

use rightsdesk_core::domain::CLOSED_SQL;
use rightsdesk_core::Result;

const COLUMNS: &str = "id, reference, request_type, regime, jurisdiction, subject_name, subject_email, identifiers, \
     channel, received_at, received_on, time_zone, status, status_reason, notes, due, schedule, created_at, updated_at";
const SEARCH: &str = "number IN (SELECT rowid FROM requests_search WHERE requests_search MATCH ?1 \
     UNION ALL SELECT number FROM requests WHERE id = ?2)";
const MATCHES: &str = "number IN (SELECT value FROM json_each(?1) UNION ALL SELECT number FROM requests WHERE id = ?2)";
const SHORT_SEARCH: &str = "(subject_name LIKE ?1 ESCAPE '\\' OR subject_email LIKE ?1 ESCAPE '\\' OR reference LIKE ?1 ESCAPE '\\')";

/// (name, SQL) of every statement measured.
pub fn statements() -> Vec<(&'static str, String)> {
    let open = format!("NOT {CLOSED_SQL}");
    let list = |filter: &str| {
        format!("SELECT {COLUMNS} FROM requests WHERE 1 = 1{filter} ORDER BY {CLOSED_SQL}, due IS NULL, due, number LIMIT 100 OFFSET 0")
    };
    vec![
        ("list: first page by due date", list("")),
        ("list: open only", list(&format!(" AND {open}"))),
        ("list: by status", list(" AND status = 'in-progress'")),
        ("list: search, the matching numbers (3+ characters, trigram index)", "SELECT rowid FROM requests_search WHERE requests_search MATCH ?1 LIMIT 2001".into()),
        (
            "list: search, every match in order (up to 2,000; counted by the caller)",
            format!("SELECT number FROM requests WHERE 1 = 1 AND {MATCHES} ORDER BY {CLOSED_SQL}, due IS NULL, due, number"),
        ),
        ("list: search, its page read by number", format!("SELECT {COLUMNS}, number FROM requests WHERE number IN (SELECT value FROM json_each(?1))")),
        ("list: search with more than 2,000 matches", list(&format!(" AND +{SEARCH}"))),
        ("list: search with more than 2,000 matches, its total", format!("SELECT count(*) FROM requests WHERE 1 = 1 AND {SEARCH}")),
        ("list: search (1-2 characters, LIKE)", list(&format!(" AND {SHORT_SEARCH}"))),
        ("detail: the request", format!("SELECT {COLUMNS} FROM requests WHERE id = ?1 OR reference = upper(?1)")),
        ("detail: its timeline", "SELECT seq, at, kind, summary, data, actor FROM events WHERE request_id = ?1 ORDER BY seq".into()),
        ("dashboard: open by status", "SELECT status, count(*) FROM requests WHERE status IN ('received', 'awaiting-identity', 'in-progress', 'paused', 'awaiting-clarification') GROUP BY status".into()),
        ("dashboard: all-time by status", "SELECT status, count(*) FROM requests GROUP BY status".into()),
        ("dashboard: overdue", format!("SELECT count(*) FROM requests WHERE {open} AND due < ?1")),
        ("dashboard: due soon", format!("SELECT count(*) FROM requests WHERE {open} AND due >= ?1 AND due <= ?2")),
        (
            "dashboard: needs, extension notice possible (counted)",
            format!(
                "SELECT count(*) FROM (SELECT id, reference, json_extract(schedule, '$.extension_notice_due') AS d \
                 FROM requests INDEXED BY requests_open_by_extension_notice \
                 WHERE {open} AND json_extract(schedule, '$.extended_due') IS NULL AND d IS NOT NULL \
                 AND d >= ?1 AND d <= ?2 AND (due IS NULL OR due > ?1))"
            ),
        ),
        (
            "dashboard: needs, overdue (listed)",
            format!(
                "SELECT id, reference, due, subject_name, request_type, due FROM requests INDEXED BY requests_open_dashboard \
                 WHERE {open} AND due < ?1 ORDER BY due, number LIMIT 50"
            ),
        ),
        ("dashboard: a listed need's next step, acknowledged", "SELECT EXISTS (SELECT 1 FROM events WHERE request_id = ?1 AND kind = ?2)".into()),
        ("dashboard: a listed need's next step, open tasks", "SELECT count(*) FROM tasks WHERE request_id = ?1 AND status = 'open'".into()),
        ("register: next number", "SELECT COALESCE(MAX(number), 0) + 1 FROM requests".into()),
    ]
}

/// Each statement's plan, one line per step.
pub fn explain(conn: &Connection) -> Result<String> {
    let mut out = String::new();
    for (name, sql) in statements() {
        out.push_str(&format!("{name}:\n"));
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let nulls = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
        let rows = stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
        for row in rows {
            out.push_str(&format!("    {}\n", row?));
        }
    }
    Ok(out)
}
