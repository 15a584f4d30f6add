//! The retention purge for letters: a letter's recipient, subject line, bodies
//! and exact bytes carry the subject's personal data. They are removed; the
//! letter's kind, language, dates, state, Message-ID and the server's answer
//! stay, so the record still shows that the letter was sent and when.

use crate::error::Result;
use crate::purge::{PurgeScope, Purged, Purger, REMOVED};
use crate::store::Conn;

pub struct Letters;

impl Purger for Letters {
    fn name(&self) -> &'static str {
        "letters"
    }
    fn what(&self) -> &'static str {
        "letters' recipients, subject lines, texts and attachments; their kind, dates, state and Message-ID stay"
    }
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        let mut n = 0u64;
        for id in scope.request_ids {
            n += conn.query_row("SELECT count(*) FROM letters WHERE request_id = ?1 AND to_display <> ?2", &[id, &REMOVED], |r| {
                r.get::<i64>(0)
            })? as u64;
        }
        Ok(n)
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        let now = scope.now.to_rfc3339();
        let empty: Vec<u8> = Vec::new();
        let mut items = 0;
        for id in scope.request_ids {
            items += conn.execute(
                "UPDATE letters SET to_display = ?2, subject = ?2, body_text = ?2, body_html = ?2, raw = ?4, \
                 envelope_to = '[]', attachments = '[]', clock_event = NULL, last_error = NULL, updated_at = ?3 \
                 WHERE request_id = ?1 AND to_display <> ?2",
                &[id, &REMOVED, &now, &empty],
            )? as u64;
        }
        Ok(Purged { items, files_after_commit: Vec::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::RequestId;
    use crate::domain::{NewRequest, RequestType};
    use crate::letters::draft as letters;
    use crate::letters::{outbox, LetterInput};
    use crate::settings::mail as settings;
    use crate::settings::mail::MailSettings;
    use crate::store::Db;

    #[test]
    fn a_purged_letter_keeps_its_record_but_not_the_subjects_data() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2026-11-23");
        let s = MailSettings { host: "localhost".into(), from_address: "privacy@example.org".into(), ..Default::default() };
        settings::save(&db, s).unwrap();
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let r = crate::requests::register(&db, &clock, &input, "t").unwrap();
        let l = letters::queue(
            &db,
            &clock,
            &RequestId::from(&r.id),
            &LetterInput { template: "acknowledgement".into(), ..Default::default() },
            &[],
            "t",
        )
        .unwrap();
        let scope = PurgeScope { request_ids: std::slice::from_ref(&r.id), data_dir: std::path::Path::new("."), now: clock.0 };
        assert_eq!(db.read(|c| Letters.count(c.into(), &scope)).unwrap(), 1);
        assert_eq!(db.write(|tx| Letters.purge(tx.into(), &scope)).unwrap().items, 1);
        let after = db.read(|c| outbox::get(c, &l.id)).unwrap();
        assert_eq!((after.message_id, after.template.as_str()), (l.message_id, "acknowledgement"));
        assert!(!after.body_text.contains("Ada") && !after.to.contains("ada@"));
        assert!(outbox::raw(&db, &l.id).unwrap().is_empty());
        assert_eq!(db.read(|c| Letters.count(c.into(), &scope)).unwrap(), 0, "nothing left to purge");
    }
}
