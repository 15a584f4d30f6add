//! The clock event a letter stands for is decided when it is queued and recorded
//! (through `deadlines`, which stores it as a `clock` timeline event and
//! recomputes the dates) only once the server has accepted it, dated that day.

use chrono::NaiveDate;

use crate::deadlines::ClockEvent;

/// The same event, dated `on` (the day a letter was actually sent).
pub fn dated(ev: ClockEvent, on: NaiveDate) -> ClockEvent {
    match ev {
        ClockEvent::IdentityRequested { .. } => ClockEvent::IdentityRequested { on },
        ClockEvent::IdentityReceived { .. } => ClockEvent::IdentityReceived { on },
        ClockEvent::ClarificationRequested { .. } => ClockEvent::ClarificationRequested { on },
        ClockEvent::ClarificationReceived { .. } => ClockEvent::ClarificationReceived { on },
        ClockEvent::FeeRequested { .. } => ClockEvent::FeeRequested { on },
        ClockEvent::FeePaid { .. } => ClockEvent::FeePaid { on },
        ClockEvent::CostNotice { .. } => ClockEvent::CostNotice { on },
        ClockEvent::Paused { reason, .. } => ClockEvent::Paused { on, reason },
        ClockEvent::Resumed { .. } => ClockEvent::Resumed { on },
        ClockEvent::ExtensionNoticeSent { reason, until, .. } => ClockEvent::ExtensionNoticeSent { on, reason, until },
    }
}
