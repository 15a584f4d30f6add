//! Sending a letter now: queue it, send the outbox, read the letter back.
//!
//! The one path the app's "Send" button and `rightsdesk letter --send` take.
//! The letter is stored in the outbox first; sending at once is a convenience,
//! so when the mail server is not set up, no password is known or the run
//! fails, the letter stays queued (the outbox retries it) and the caller hears
//! why beside the letter, not instead of it.

use crate::clock::Clock;
use crate::domain::RequestId;
use crate::error::Result;
use crate::letters::compose::Attachment;
use crate::letters::draft::{self, LetterInput};
use crate::letters::outbox::{self, Letter};
use crate::letters::sender::{self, SendReport, Smtp};
use crate::secrets::SecretStore;
use crate::settings::mail as settings;
use crate::store::Store;

/// Where the SMTP password may come from (after `RIGHTSDESK_SMTP_PASSWORD`):
/// what was typed this session, then the OS keyring.
pub struct Passwords<'a> {
    pub keyring: &'a dyn SecretStore,
    pub session: &'a dyn SecretStore,
}

impl Passwords<'_> {
    /// The settings and password a sending run uses: an error that says what to
    /// do when no mail server is set up or its password is not known.
    pub fn smtp<'a>(&self, store: impl Into<Store<'a>>) -> Result<Smtp> {
        let settings = settings::require(store)?;
        let password = settings::resolve_password(&settings, self.keyring, self.session)?;
        Ok(Smtp { settings, password })
    }
}

/// A letter queued and sent at once, as far as that went.
pub struct SentNow {
    /// The letter as stored after the run: `sent`, or still `queued`, `failed`, `unknown`.
    pub letter: Letter,
    /// The sending run, or why there was none or it stopped (the letter stays in the outbox).
    pub report: Result<SendReport>,
}

/// Queues a letter to the subject of `request_id` and sends the outbox at once.
/// An error means nothing was queued; a failed send is in [`SentNow::report`].
pub fn send_now<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    passwords: &Passwords<'_>,
    request_id: &str,
    input: &LetterInput,
    attachments: &[Attachment],
    actor: &str,
) -> Result<SentNow> {
    let db = store.into();
    let queued = draft::queue(db, clock, &RequestId::from(request_id), input, attachments, actor)?;
    let report = passwords.smtp(db).and_then(|smtp| sender::send_due(db, clock, &smtp, actor));
    let letter = db.read(|c| outbox::get(c, &queued.id))?;
    Ok(SentNow { letter, report })
}
