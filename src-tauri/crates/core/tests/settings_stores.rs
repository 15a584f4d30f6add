//! The organisation's settings (`settings::get`/`set`, the organisation's time
//! zone) on both stores through the store interface: the same test bodies on
//! an encrypted SQLite file and on a team register on a real PostgreSQL 15.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::error::ErrorCode;
use rightsdesk_core::settings;
use rightsdesk_core::settings::mail::{self, MailSettings, Security};
use rightsdesk_core::store::pg::TeamRole;
use rightsdesk_core::Error;
use stores::Fresh;

on_both_stores!(
    a_setting_is_read_back_and_overwritten,
    a_value_comes_back_byte_for_byte,
    the_organisation_time_zone_is_set_and_read,
    a_zone_that_is_not_one_is_refused_naming_the_field_and_nothing_changes,
    a_failed_write_leaves_nothing_behind,
    concurrent_writers_lose_no_update,
    a_reader_sees_what_another_client_committed,
    a_client_that_dies_inside_a_write_leaves_nothing,
    mail_settings_are_saved_whole_and_read_back,
    a_bad_mail_setting_is_refused_naming_its_field_and_nothing_changes,
);

fn a_setting_is_read_back_and_overwritten(r: &Fresh) {
    let store = r.store();
    assert_eq!(store.read(|c| settings::get(c, settings::ORG_NAME)).unwrap(), None, "nothing before it is set");
    store.write(|c| settings::set(c, settings::ORG_NAME, "Example Ltd")).unwrap();
    assert_eq!(store.read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("Example Ltd"));
    store
        .write(|c| {
            settings::set(c, settings::ORG_NAME, "Example GmbH")?;
            settings::set(c, "retention.months.eu-gdpr", "36")
        })
        .unwrap();
    let (name, months) =
        store.read(|c| Ok((settings::get(c, settings::ORG_NAME)?, settings::get(c, "retention.months.eu-gdpr")?))).unwrap();
    assert_eq!(name.as_deref(), Some("Example GmbH"), "the second set replaces the first");
    assert_eq!(months.as_deref(), Some("36"));
}

fn a_value_comes_back_byte_for_byte(r: &Fresh) {
    // Quotes, a question mark and a "?1" in the value, a line break, accents and an emoji:
    // the placeholder translation leaves parameters alone, and text is text on both stores.
    let odd = "Dupont & Fils S.à r.l. — 'why?' \"?1\"\n2nd line 🦀";
    r.store().write(|c| settings::set(c, "letters.footer", odd)).unwrap();
    assert_eq!(r.store().read(|c| settings::get(c, "letters.footer")).unwrap().as_deref(), Some(odd));
}

fn the_organisation_time_zone_is_set_and_read(r: &Fresh) {
    let tz = settings::set_org_time_zone(r.store(), "America/New_York").unwrap();
    assert_eq!(tz, chrono_tz::America::New_York);
    assert_eq!(settings::org_time_zone(r.store()).unwrap(), chrono_tz::America::New_York);
    assert_eq!(r.store().read(|c| settings::get(c, settings::ORG_TIME_ZONE)).unwrap().as_deref(), Some("America/New_York"));
    settings::set_org_time_zone(r.store(), "Europe/Berlin").unwrap();
    assert_eq!(settings::org_time_zone(r.store()).unwrap(), chrono_tz::Europe::Berlin);
}

fn a_zone_that_is_not_one_is_refused_naming_the_field_and_nothing_changes(r: &Fresh) {
    settings::set_org_time_zone(r.store(), "Europe/Paris").unwrap();
    for bad in ["Mars/Olympus_Mons", "", "Europe/Paris; DROP TABLE settings"] {
        let e = settings::set_org_time_zone(r.store(), bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Invalid, "{bad:?}: {e}");
        assert_eq!(e.field(), Some("time_zone"), "{bad:?}: {e}");
        assert_eq!(settings::org_time_zone(r.store()).unwrap(), chrono_tz::Europe::Paris, "{bad:?} changed the zone");
    }
}

fn a_failed_write_leaves_nothing_behind(r: &Fresh) {
    r.store().write(|c| settings::set(c, settings::ORG_NAME, "Before Ltd")).unwrap();
    let e = r
        .store()
        .write(|c| {
            settings::set(c, settings::ORG_NAME, "Half Written Ltd")?;
            settings::set(c, "backup.keep", "9")?;
            Err::<(), _>(Error::invalid("keep", "refused after two writes"))
        })
        .unwrap_err();
    assert_eq!(e.field(), Some("keep"));
    let (name, keep) = r.store().read(|c| Ok((settings::get(c, settings::ORG_NAME)?, settings::get(c, "backup.keep")?))).unwrap();
    assert_eq!(name.as_deref(), Some("Before Ltd"), "the transaction's first write was rolled back");
    assert_eq!(keep, None, "and its second");
    // The store still works after the rolled-back transaction.
    r.store().write(|c| settings::set(c, "backup.keep", "3")).unwrap();
    assert_eq!(r.store().read(|c| settings::get(c, "backup.keep")).unwrap().as_deref(), Some("3"));
}

/// Four clients each add 1 to a counter 25 times by reading it and writing it
/// back in one writing transaction: writers are serial on both stores, so the
/// counter ends at 100. (On PostgreSQL each client has its own connection; under
/// plain READ COMMITTED without the writer's advisory lock this loses updates.)
fn concurrent_writers_lose_no_update(r: &Fresh) {
    const CLIENTS: usize = 4;
    const EACH: usize = 25;
    r.store().write(|c| settings::set(c, "test.counter", "0")).unwrap();
    let clients: Vec<_> = (0..CLIENTS).map(|_| r.client()).collect();
    let start = std::sync::Barrier::new(CLIENTS);
    std::thread::scope(|s| {
        for client in &clients {
            let start = &start;
            s.spawn(move || {
                start.wait();
                for _ in 0..EACH {
                    client
                        .store()
                        .write(|c| {
                            let n: u32 = settings::get(c, "test.counter")?.unwrap().parse().unwrap();
                            std::thread::yield_now();
                            settings::set(c, "test.counter", &(n + 1).to_string())
                        })
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(r.store().read(|c| settings::get(c, "test.counter")).unwrap().as_deref(), Some("100"));
}

fn a_reader_sees_what_another_client_committed(r: &Fresh) {
    let other = r.client();
    assert_eq!(other.store().read(|c| settings::get(c, settings::ORG_NAME)).unwrap(), None);
    r.store().write(|c| settings::set(c, settings::ORG_NAME, "Seen Ltd")).unwrap();
    assert_eq!(other.store().read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("Seen Ltd"));
}

/// PostgreSQL only: SQLite has no roles. The server itself refuses an officer's
/// change of the settings (admin only), and nothing is written.
#[test]
fn postgres_only_an_officer_cannot_change_the_settings() {
    let r = Fresh::postgres_as(TeamRole::Officer);
    let e = settings::set_org_time_zone(r.store(), "Europe/Berlin").unwrap_err();
    assert!(matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "{e:?}");
    assert!(e.to_string().contains("permission denied"), "{e}");
    assert_eq!(r.store().read(|c| settings::get(c, settings::ORG_TIME_ZONE)).unwrap(), None);
}

/// A client that dies inside a writing transaction (a panic here; a killed
/// process drops its connection the same way) leaves nothing of it behind, and
/// its register goes on. SQLite's writer rolls back; on PostgreSQL the session
/// is dropped (the server rolls back) and the next transaction runs on a new one.
fn a_client_that_dies_inside_a_write_leaves_nothing(r: &Fresh) {
    let other = r.client();
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        r.store().write(|c| -> rightsdesk_core::error::Result<()> {
            settings::set(c, settings::ORG_NAME, "Half Written Ltd")?;
            panic!("the client dies inside its transaction");
        })
    }));
    assert!(died.is_err());
    assert_eq!(other.store().read(|c| settings::get(c, settings::ORG_NAME)).unwrap(), None, "nothing was committed");
    other.store().write(|c| settings::set(c, settings::ORG_NAME, "After Ltd")).unwrap();
    assert_eq!(r.store().read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("After Ltd"));
    r.store().write(|c| settings::set(c, settings::ORG_NAME, "Again Ltd")).unwrap();
    assert_eq!(other.store().read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("Again Ltd"));
}

fn smtp() -> MailSettings {
    MailSettings {
        host: " smtp.example.org ".into(),
        port: 465,
        security: Security::Tls,
        username: Some("privacy".into()),
        from_address: "privacy@example.org".into(),
        from_name: "Équipe Données — Datenschutz".into(),
        reminder_days: vec![1, 7, 3, 7],
        appeal_days: Some(30),
        ..Default::default()
    }
}

fn mail_settings_are_saved_whole_and_read_back(r: &Fresh) {
    let e = mail::require(r.store()).unwrap_err();
    assert_eq!(e.field(), Some("smtp"), "nothing set up yet: {e}");
    assert_eq!(mail::load(r.store()).unwrap(), None);
    r.store().write(|c| settings::set(c, settings::ORG_NAME, "Example GmbH")).unwrap();
    let saved = mail::save(r.store(), smtp()).unwrap();
    assert_eq!(saved.host, "smtp.example.org", "trimmed");
    assert_eq!(saved.reminder_days, [7, 3, 1], "sorted, once each");
    let back = mail::require(r.store()).unwrap();
    assert_eq!(back.org_name, "Example GmbH", "the organisation's name from the settings when the mail settings have none");
    assert_eq!(MailSettings { org_name: String::new(), ..back }, saved);
}

fn a_bad_mail_setting_is_refused_naming_its_field_and_nothing_changes(r: &Fresh) {
    let good = mail::save(r.store(), smtp()).unwrap();
    let bad = [
        ("from_address", MailSettings { from_address: "not an address".into(), ..smtp() }),
        ("security", MailSettings { security: Security::None, ..smtp() }),
        ("appeal_days", MailSettings { appeal_days: Some(0), ..smtp() }),
        ("host", MailSettings { host: "smtp example org".into(), ..smtp() }),
    ];
    for (field, settings) in bad {
        let e = mail::save(r.store(), settings).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::Invalid, Some(field)), "{e}");
        assert_eq!(mail::load(r.store()).unwrap(), Some(good.clone()), "{field}: the stored settings are unchanged");
    }
}
