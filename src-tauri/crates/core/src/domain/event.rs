//! The kinds of timeline events: the closed set of what the register records.
//!
//! A stored event keeps its kind for good (the audit chain seals the text), so
//! this enum reads every spelling a Rightsdesk ever wrote, and writes one.
//! It lives in the domain (the vocabulary) rather than in `store::events`,
//! which re-exports it: the timeline entry ([`super::TimelineEvent`]) carries
//! it, and the store already stands on the domain.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What happened to a request or to the register, as the timeline names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    // A request's life.
    Registered,
    Imported,
    StatusChanged,
    /// A clock event for the deadline engine (data `{"event": ClockEvent}`).
    Clock,
    DatesRecomputed,
    RequestsLinked,
    // Work on it.
    IdentityChecked,
    EvidenceAdded,
    EvidenceRemoved,
    TasksCreated,
    TaskUpdated,
    TasksOverridden,
    PackageBuilt,
    PackageFactStated,
    // Letters.
    Acknowledged,
    LetterQueued,
    LetterSent,
    LetterRetry,
    LetterFailed,
    LetterUnknown,
    LetterResend,
    TemplateChanged,
    // The register's settings and data map.
    /// Earlier versions wrote the identity document period's change as
    /// `setting-changed`; that spelling is still read as this kind.
    #[serde(alias = "setting-changed")]
    SettingsChanged,
    FilterSaved,
    FilterDeleted,
    DatamapImported,
    SystemAdded,
    SystemChanged,
    SystemRemoved,
    // Retention and backups.
    PersonalDataPurged,
    RetentionPurge,
    BackupRestored,
    /// Written by earlier versions when a purge removed a request's row; its
    /// seal names the request (no longer written, still read by `audit verify`).
    RequestRemoved,
    // The audit trail itself.
    AuditAnchored,
    AuditBaseline,
    /// A request row found changed behind Rightsdesk's back (see `store::events::check_before_change`).
    RequestStateMismatch,
    // The privacy mailbox (issue 17): a reply filed on a request, an intake item linked to one, one dismissed.
    MailReceived,
    IntakeLinked,
    IntakeDismissed,
}

impl EventKind {
    pub const ALL: [EventKind; 39] = [
        EventKind::Registered,
        EventKind::Imported,
        EventKind::StatusChanged,
        EventKind::Clock,
        EventKind::DatesRecomputed,
        EventKind::RequestsLinked,
        EventKind::IdentityChecked,
        EventKind::EvidenceAdded,
        EventKind::EvidenceRemoved,
        EventKind::TasksCreated,
        EventKind::TaskUpdated,
        EventKind::TasksOverridden,
        EventKind::PackageBuilt,
        EventKind::PackageFactStated,
        EventKind::Acknowledged,
        EventKind::LetterQueued,
        EventKind::LetterSent,
        EventKind::LetterRetry,
        EventKind::LetterFailed,
        EventKind::LetterUnknown,
        EventKind::LetterResend,
        EventKind::TemplateChanged,
        EventKind::SettingsChanged,
        EventKind::FilterSaved,
        EventKind::FilterDeleted,
        EventKind::DatamapImported,
        EventKind::SystemAdded,
        EventKind::SystemChanged,
        EventKind::SystemRemoved,
        EventKind::PersonalDataPurged,
        EventKind::RetentionPurge,
        EventKind::BackupRestored,
        EventKind::RequestRemoved,
        EventKind::AuditAnchored,
        EventKind::AuditBaseline,
        EventKind::RequestStateMismatch,
        EventKind::MailReceived,
        EventKind::IntakeLinked,
        EventKind::IntakeDismissed,
    ];

    /// Spellings written by earlier versions, and the kind each one is.
    pub const LEGACY: [(&'static str, EventKind); 1] = [("setting-changed", EventKind::SettingsChanged)];

    /// The kind as written to `events.kind` (and as serde writes it).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Registered => "registered",
            EventKind::Imported => "imported",
            EventKind::StatusChanged => "status-changed",
            EventKind::Clock => "clock",
            EventKind::DatesRecomputed => "dates-recomputed",
            EventKind::RequestsLinked => "requests-linked",
            EventKind::IdentityChecked => "identity-checked",
            EventKind::EvidenceAdded => "evidence-added",
            EventKind::EvidenceRemoved => "evidence-removed",
            EventKind::TasksCreated => "tasks-created",
            EventKind::TaskUpdated => "task-updated",
            EventKind::TasksOverridden => "tasks-overridden",
            EventKind::PackageBuilt => "package-built",
            EventKind::PackageFactStated => "package-fact-stated",
            EventKind::Acknowledged => "acknowledged",
            EventKind::LetterQueued => "letter-queued",
            EventKind::LetterSent => "letter-sent",
            EventKind::LetterRetry => "letter-retry",
            EventKind::LetterFailed => "letter-failed",
            EventKind::LetterUnknown => "letter-unknown",
            EventKind::LetterResend => "letter-resend",
            EventKind::TemplateChanged => "template-changed",
            EventKind::SettingsChanged => "settings-changed",
            EventKind::FilterSaved => "filter-saved",
            EventKind::FilterDeleted => "filter-deleted",
            EventKind::DatamapImported => "datamap-imported",
            EventKind::SystemAdded => "system-added",
            EventKind::SystemChanged => "system-changed",
            EventKind::SystemRemoved => "system-removed",
            EventKind::PersonalDataPurged => "personal-data-purged",
            EventKind::RetentionPurge => "retention-purge",
            EventKind::BackupRestored => "backup-restored",
            EventKind::RequestRemoved => "request-removed",
            EventKind::AuditAnchored => "audit-anchored",
            EventKind::AuditBaseline => "audit-baseline",
            EventKind::RequestStateMismatch => "request-state-mismatch",
            EventKind::MailReceived => "mail-received",
            EventKind::IntakeLinked => "intake-linked",
            EventKind::IntakeDismissed => "intake-dismissed",
        }
    }

    /// The kind of a stored event: today's spelling or an earlier one.
    /// `None` for a kind no Rightsdesk wrote.
    pub fn from_stored(s: &str) -> Option<EventKind> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .or_else(|| EventKind::LEGACY.into_iter().find(|(old, _)| *old == s).map(|(_, k)| k))
    }

    /// The stored spellings of `kinds` (earlier ones included) as an SQL list,
    /// `('a', 'b')`, for `kind IN …`. The names are fixed kebab-case words, so
    /// they need no escaping.
    pub fn sql_list(kinds: &[EventKind]) -> String {
        let names = kinds.iter().flat_map(|&k| {
            let old = EventKind::LEGACY.iter().filter(move |(_, l)| *l == k).map(|(old, _)| *old);
            std::iter::once(k.as_str()).chain(old)
        });
        format!("({})", names.map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", "))
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for EventKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_written_as_serde_names_it_and_read_back() {
        for kind in EventKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<EventKind>(&format!("\"{kind}\"")).unwrap(), kind);
            assert_eq!(EventKind::from_stored(kind.as_str()), Some(kind));
        }
        let names: std::collections::HashSet<_> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), EventKind::ALL.len(), "no two kinds share a name");
    }

    #[test]
    fn the_old_spelling_of_a_settings_change_still_reads_and_is_written_the_new_way() {
        assert_eq!(EventKind::from_stored("setting-changed"), Some(EventKind::SettingsChanged));
        assert_eq!(serde_json::from_str::<EventKind>("\"setting-changed\"").unwrap(), EventKind::SettingsChanged);
        assert_eq!(EventKind::SettingsChanged.as_str(), "settings-changed");
        assert_eq!(serde_json::to_string(&EventKind::SettingsChanged).unwrap(), "\"settings-changed\"");
    }

    #[test]
    fn a_kind_no_rightsdesk_wrote_is_not_guessed() {
        assert_eq!(EventKind::from_stored("note"), None);
        assert_eq!(EventKind::from_stored("Registered"), None);
        assert!(serde_json::from_str::<EventKind>("\"note\"").is_err());
    }

    #[test]
    fn an_sql_list_names_old_spellings_too() {
        assert_eq!(EventKind::sql_list(&[EventKind::Registered, EventKind::Clock]), "('registered', 'clock')");
        assert_eq!(EventKind::sql_list(&[EventKind::SettingsChanged]), "('settings-changed', 'setting-changed')");
    }
}
