//! What went wrong in the background, for the window's status line.
//!
//! The app runs some work nobody asked for at that moment: the daily backup and
//! the audit anchor after opening, the refresh of open requests' dates to this
//! version's rules, the outbox sending every minute. A failure there has no
//! form to show it beside, so it is kept here (the newest per job), written to
//! the log (code and job only, never the message, which may name a path the
//! officer chose), and shown by the window's status line (`app_status`) until
//! the same job succeeds.

use std::sync::Mutex;

use rightsdesk_core::clock::Clock;
use rightsdesk_core::error::ErrorCode;
use rightsdesk_core::Error;
use serde::Serialize;

/// A job the app runs by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum BackgroundJob {
    /// The daily backup into the backup folder, when the officer turned it on.
    DailyBackup,
    /// The audit trail's head mailed to the officer's own mailbox once a day.
    AuditAnchor,
    /// Open requests' dates recomputed under this version's rules at opening.
    RuleRefresh,
    /// Due letters sent, and retried, every minute.
    Outbox,
    /// The privacy mailbox read every poll interval (`mailbox_watch`).
    Mailbox,
    /// The team register's changes by others, listened for (`team_watch`).
    TeamUpdates,
}

impl BackgroundJob {
    fn as_str(self) -> &'static str {
        match self {
            BackgroundJob::DailyBackup => "daily-backup",
            BackgroundJob::AuditAnchor => "audit-anchor",
            BackgroundJob::RuleRefresh => "rule-refresh",
            BackgroundJob::Outbox => "outbox",
            BackgroundJob::Mailbox => "mailbox",
            BackgroundJob::TeamUpdates => "team-updates",
        }
    }
}

/// One failed background job, as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Problem {
    pub job: BackgroundJob,
    /// The error's code, when the job stopped with an error (not for letters the server refused).
    pub code: Option<ErrorCode>,
    /// What went wrong, in the core's words (which never quote personal data).
    pub message: String,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
}

/// What the status line shows: the background jobs whose last run failed.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct AppStatus {
    pub problems: Vec<Problem>,
}

/// The newest failure of each background job, until it next succeeds.
#[derive(Debug, Default)]
pub struct StatusBoard {
    problems: Mutex<Vec<Problem>>,
}

impl StatusBoard {
    /// Records how a run of `job` ended: an error is logged and shown; success clears what was shown.
    pub fn record<T>(&self, job: BackgroundJob, clock: &dyn Clock, result: &Result<T, Error>) {
        match result {
            Ok(_) => self.clear(job),
            Err(e) => {
                tracing::error!(job = job.as_str(), code = %e.code(), "background job failed");
                self.set(Problem { job, code: Some(e.code()), message: e.to_string(), at: clock.now().to_rfc3339() });
            }
        }
    }

    /// Shows a failure that is no error of the job itself (letters the server refused).
    pub fn report(&self, job: BackgroundJob, clock: &dyn Clock, message: String) {
        tracing::warn!(job = job.as_str(), "background job reported a problem");
        self.set(Problem { job, code: None, message, at: clock.now().to_rfc3339() });
    }

    pub fn clear(&self, job: BackgroundJob) {
        self.lock().retain(|p| p.job != job);
    }

    /// The failures now shown, oldest first.
    pub fn status(&self) -> AppStatus {
        AppStatus { problems: self.lock().clone() }
    }

    fn set(&self, problem: Problem) {
        let mut problems = self.lock();
        problems.retain(|p| p.job != problem.job);
        problems.push(problem);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Problem>> {
        self.problems.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rightsdesk_core::clock::FixedClock;

    #[test]
    fn a_failed_job_is_shown_until_it_next_succeeds_and_only_its_newest_failure() {
        let board = StatusBoard::default();
        let failed: Result<(), Error> =
            Err(Error::Io(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "the backup folder is read-only")));
        board.record(BackgroundJob::DailyBackup, &FixedClock::at("2026-03-02"), &failed);
        board.record(BackgroundJob::RuleRefresh, &FixedClock::at("2026-03-02"), &Err::<(), _>(Error::Internal("boom".into())));
        board.record(BackgroundJob::DailyBackup, &FixedClock::at("2026-03-03"), &failed);
        let shown = board.status().problems;
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(shown[1].job, BackgroundJob::DailyBackup);
        assert_eq!(shown[1].at, "2026-03-03T12:00:00+00:00", "the newest failure of a job replaces the older");
        assert_eq!(shown[1].code, Some(ErrorCode::Io));
        assert!(shown[1].message.contains("read-only"), "{}", shown[1].message);

        board.record(BackgroundJob::DailyBackup, &FixedClock::at("2026-03-04"), &Ok(()));
        let shown = board.status().problems;
        assert_eq!(shown.iter().map(|p| p.job).collect::<Vec<_>>(), [BackgroundJob::RuleRefresh], "a success clears its job only");
    }

    #[test]
    fn the_status_crosses_ipc_with_kebab_case_jobs() {
        let board = StatusBoard::default();
        board.report(BackgroundJob::Outbox, &FixedClock::at("2026-03-02"), "1 letter could not be sent".into());
        let json = serde_json::to_value(board.status()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "problems": [{ "job": "outbox", "code": null, "message": "1 letter could not be sent", "at": "2026-03-02T12:00:00+00:00" }] })
        );
    }
}
