//! Turns a rendered letter into the exact bytes handed to the server: headers
//! (Date, Message-ID, From, To, Reply-To, Subject), multipart/alternative with
//! the plain text first and the HTML second, and attachments around them in a
//! multipart/mixed. The Message-ID is decided here, before any attempt to send,
//! and stays with the letter for every retry.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart};
use lettre::Message;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::letters::render::Rendered;
use crate::settings::mail::MailSettings;

/// A file sent with a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the outbox keeps about an attachment (its bytes are in the raw message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttachmentInfo {
    pub name: String,
    pub content_type: String,
    pub size: u32,
}

/// A message ready for the outbox.
#[derive(Debug, Clone)]
pub struct Composed {
    pub message_id: String,
    pub raw: Vec<u8>,
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub to_display: String,
    pub attachments: Vec<AttachmentInfo>,
}

fn mailbox(field: &'static str, name: &str, address: &str) -> Result<Mailbox> {
    let address = address.trim().parse().map_err(|_| Error::invalid(field, "is not a valid email address"))?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Mailbox::new(Some(name).filter(|n| !n.is_empty()), address))
}

/// A new Message-ID at the sender's domain: unique, and the same on every retry.
pub fn new_message_id(settings: &MailSettings) -> String {
    format!("<{}@{}>", uuid::Uuid::now_v7(), settings.sender_domain())
}

/// Builds the message. `to` is the recipient's name and address; the officer's
/// own address (if set) gets a blind copy for the record.
pub fn compose(
    settings: &MailSettings,
    to: (&str, &str),
    letter: &Rendered,
    attachments: &[Attachment],
    now: DateTime<Utc>,
    copy_to_officer: bool,
) -> Result<Composed> {
    let total: usize = attachments.iter().map(|a| a.bytes.len()).sum();
    if total > settings.max_attachment_bytes as usize {
        return Err(Error::invalid(
            "attachments",
            format!(
                "the attachments add up to {:.1} MB; the limit set for this mail server is {:.1} MB — send a delivery note with a download link instead",
                total as f64 / 1_048_576.0,
                f64::from(settings.max_attachment_bytes) / 1_048_576.0
            ),
        ));
    }
    let message_id = new_message_id(settings);
    let from = mailbox("from_address", &settings.from_name, &settings.from_address)?;
    let to_box = mailbox("to", to.0, to.1)?;
    let mut builder = Message::builder()
        .from(from)
        .to(to_box.clone())
        .subject(letter.subject.clone())
        .message_id(Some(message_id.clone()))
        .date(std::time::SystemTime::from(now))
        .user_agent("Rightsdesk".into());
    if let Some(r) = &settings.reply_to {
        builder = builder.reply_to(mailbox("reply_to", "", r)?);
    }
    if copy_to_officer {
        if let Some(o) = settings.officer_address.as_deref().filter(|o| !o.eq_ignore_ascii_case(to.1.trim())) {
            builder = builder.bcc(mailbox("officer_address", "", o)?);
        }
    }
    let alternative = MultiPart::alternative_plain_html(letter.text.clone(), letter.html.clone());
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in attachments {
            let ct = ContentType::parse(&a.content_type)
                .map_err(|_| Error::invalid("attachments", format!("{} has an invalid content type", a.name)))?;
            mixed = mixed.singlepart(MimeAttachment::new(a.name.clone()).body(a.bytes.clone(), ct));
        }
        mixed
    };
    let message = builder.multipart(body).map_err(|e| Error::invalid("to", format!("the message cannot be built: {e}")))?;
    let envelope = message.envelope();
    Ok(Composed {
        message_id,
        envelope_from: envelope.from().map(|a| a.to_string()).unwrap_or_default(),
        envelope_to: envelope.to().iter().map(|a| a.to_string()).collect(),
        to_display: to_box.to_string(),
        raw: message.formatted(),
        attachments: attachments
            .iter()
            .map(|a| AttachmentInfo {
                name: a.name.clone(),
                content_type: a.content_type.clone(),
                size: u32::try_from(a.bytes.len()).unwrap_or(u32::MAX),
            })
            .collect(),
    })
}
