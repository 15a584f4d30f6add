//! A request's status and the transitions the core allows.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// received → awaiting identity → in progress ⇄ paused / awaiting clarification
/// → completed | refused (with a reason) | withdrawn | duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Received,
    AwaitingIdentity,
    InProgress,
    Paused,
    AwaitingClarification,
    Completed,
    Refused,
    Withdrawn,
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::AwaitingIdentity,
        Status::InProgress,
        Status::Paused,
        Status::AwaitingClarification,
        Status::Completed,
        Status::Refused,
        Status::Withdrawn,
        Status::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::AwaitingIdentity => "awaiting-identity",
            Status::InProgress => "in-progress",
            Status::Paused => "paused",
            Status::AwaitingClarification => "awaiting-clarification",
            Status::Completed => "completed",
            Status::Refused => "refused",
            Status::Withdrawn => "withdrawn",
            Status::Duplicate => "duplicate",
        }
    }

    /// The closed statuses: the request is answered or ended, and no longer
    /// runs against a deadline. SQL says the same with [`CLOSED_SQL`].
    pub const CLOSED: [Status; 4] = [Status::Completed, Status::Refused, Status::Withdrawn, Status::Duplicate];

    /// A closed request no longer runs against a deadline.
    pub fn is_closed(self) -> bool {
        Status::CLOSED.contains(&self)
    }

    /// Whether moving to `to` needs a reason recorded with it.
    pub fn needs_reason(to: Status) -> bool {
        matches!(to, Status::Refused | Status::Duplicate)
    }

    /// The statuses reachable from this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Received => &[AwaitingIdentity, InProgress, AwaitingClarification, Refused, Withdrawn, Duplicate],
            AwaitingIdentity => &[InProgress, AwaitingClarification, Refused, Withdrawn, Duplicate],
            InProgress => &[Paused, AwaitingClarification, AwaitingIdentity, Completed, Refused, Withdrawn, Duplicate],
            Paused | AwaitingClarification => &[InProgress, Refused, Withdrawn, Duplicate],
            Completed | Refused | Withdrawn | Duplicate => &[],
        }
    }

    pub fn can_move_to(self, to: Status) -> bool {
        self.next().contains(&to)
    }
}

/// The text of [`CLOSED_SQL`], for a `const` built with `concat!`.
macro_rules! closed_sql {
    () => {
        "(status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate')"
    };
}
pub(crate) use closed_sql;

/// Whether `status` is one of [`Status::CLOSED`], as one SQL expression
/// (`NOT` it for the open ones; a unit test keeps the two the same). The
/// indexes and triggers of `requests` are declared with this very text
/// (migration 30), which lets the planner use them. Comparisons, not `status
/// IN (...)`: SQLite evaluates an IN list of more than two constants through a
/// temporary B-tree built each time a statement runs, and every request written
/// evaluates this in ten indexes and triggers.
pub const CLOSED_SQL: &str = closed_sql!();

/// [`CLOSED_SQL`] of a qualified status column (`r.status`).
pub fn closed_sql_of(column: &str) -> String {
    CLOSED_SQL.replace("status", column)
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Status::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_list_of_closed_statuses_is_the_rust_one() {
        let rendered: Vec<String> = Status::CLOSED.iter().map(|s| format!("status = '{s}'")).collect();
        assert_eq!(CLOSED_SQL, format!("({})", rendered.join(" OR ")));
        let qualified: Vec<String> = Status::CLOSED.iter().map(|s| format!("r.status = '{s}'")).collect();
        assert_eq!(closed_sql_of("r.status"), format!("({})", qualified.join(" OR ")));
        for s in Status::ALL {
            assert_eq!(s.is_closed(), s.next().is_empty(), "{s}: closed exactly when nothing follows it");
        }
    }

    #[test]
    fn a_completed_request_cannot_be_reopened() {
        assert!(!Status::Completed.can_move_to(Status::InProgress));
        assert!(Status::Completed.next().is_empty());
    }

    #[test]
    fn work_can_pause_and_resume() {
        assert!(Status::InProgress.can_move_to(Status::Paused));
        assert!(Status::Paused.can_move_to(Status::InProgress));
        assert!(Status::InProgress.can_move_to(Status::AwaitingClarification));
        assert!(Status::AwaitingClarification.can_move_to(Status::InProgress));
    }

    #[test]
    fn a_request_is_not_completed_before_work_starts() {
        assert!(!Status::Received.can_move_to(Status::Completed));
        assert!(!Status::AwaitingIdentity.can_move_to(Status::Completed));
    }

    #[test]
    fn every_status_round_trips_through_its_name() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
    }
}
