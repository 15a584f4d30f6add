//! The deadline engine, regime by regime: table-driven cases with the dates a
//! privacy officer would check by hand, including the regulators' own worked
//! examples where they publish them (the ICO does).

use chrono::NaiveDate;
use rightsdesk_core::deadlines::{check_extension, compute, CcpaCalendar, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::RequestType;
use rightsdesk_core::Error;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("bad date in test: {s}"))
}

struct Case<'a> {
    regime: &'a str,
    jurisdiction: &'a str,
    request_type: RequestType,
    received: &'a str,
    events: Vec<ClockEvent>,
    options: EngineOptions,
    today: Option<&'a str>,
}

impl<'a> Case<'a> {
    fn new(regime: &'a str, jurisdiction: &'a str, received: &'a str) -> Self {
        Case {
            regime,
            jurisdiction,
            request_type: RequestType::Access,
            received,
            events: vec![],
            options: EngineOptions::default(),
            today: None,
        }
    }
    fn event(mut self, e: ClockEvent) -> Self {
        self.events.push(e);
        self
    }
    fn kind(mut self, t: RequestType) -> Self {
        self.request_type = t;
        self
    }
    fn options(mut self, o: EngineOptions) -> Self {
        self.options = o;
        self
    }
    fn today(mut self, t: &'a str) -> Self {
        self.today = Some(t);
        self
    }
    fn input(&self) -> ScheduleInput<'_> {
        ScheduleInput {
            regime: self.regime,
            jurisdiction: self.jurisdiction,
            request_type: self.request_type,
            received_on: d(self.received),
            events: &self.events,
            options: &self.options,
            today: self.today.map(d),
        }
    }
    fn run(&self) -> Schedule {
        compute(&self.input()).unwrap_or_else(|e| panic!("{} {} {}: {e}", self.regime, self.jurisdiction, self.received))
    }
}

fn due(regime: &str, jurisdiction: &str, received: &str) -> String {
    Case::new(regime, jurisdiction, received).run().legal_due.map(|d| d.to_string()).unwrap_or_default()
}

fn extension(on: &str) -> ClockEvent {
    ClockEvent::ExtensionNoticeSent { on: d(on), reason: Some("complex".into()), until: None }
}

#[test]
fn gdpr_one_calendar_month_with_month_end_clamp_leap_years_and_roll() {
    let table = [
        // (jurisdiction, received, due, why)
        ("DE", "2025-01-31", "2025-02-28", "no 31 Feb: the month's last day"),
        ("DE", "2024-01-31", "2024-02-29", "leap year"),
        ("DE", "2025-03-31", "2025-04-30", "no 31 Apr"),
        ("DE", "2025-02-28", "2025-03-28", "same day number, not the month's end"),
        ("DE", "2025-03-01", "2025-04-01", "received on a Saturday: the clock still starts that day"),
        ("DE", "2025-05-31", "2025-06-30", "received on a Saturday at month end"),
        ("DE", "2025-03-18", "2025-04-22", "Good Friday, weekend and Easter Monday passed over"),
        ("DE", "2025-09-03", "2025-10-06", "3 Oct German Unity Day, then the weekend"),
        ("FR", "2025-04-14", "2025-05-14", "a working day"),
        ("FR", "2025-04-08", "2025-05-09", "8 May Victory Day (France) passed over"),
        ("DE", "2025-04-08", "2025-05-08", "8 May is no holiday in Germany"),
        ("IE", "2026-01-02", "2026-02-03", "Mon 2 Feb 2026 St Brigid's Day"),
        ("NL", "2026-04-05", "2026-05-06", "5 May Liberation Day counts for statutory periods"),
        ("SE", "2025-05-20", "2025-06-20", "Midsummer Eve is not a public holiday in law (Act 1989:253)"),
        ("SE", "2025-05-06", "2025-06-09", "Fri 6 Jun National Day, then the weekend"),
    ];
    for (j, received, expected, why) in table {
        assert_eq!(due("eu-gdpr", j, received), expected, "{j} received {received}: {why}");
    }
}

#[test]
fn the_explanation_names_every_step_and_its_source() {
    let s = Case::new("eu-gdpr", "DE", "2025-01-31").run();
    let line = s.explanation_line();
    assert!(line.starts_with("Received Fri 31 Jan 2025 → one calendar month → Fri 28 Feb 2025 (no 31 Feb"), "{line}");
    assert!(line.contains("Fri 28 Feb 2025 is a working day → due Fri 28 Feb 2025"), "{line}");
    assert!(s.steps.iter().all(|st| !st.source.is_empty()), "{:#?}", s.steps);
    assert!(s.steps.iter().any(|st| st.source.contains("1182/71 Art. 3(2)(c)")));
    assert_eq!(s.rule_set, "eu-gdpr@2026.1");

    let rolled = Case::new("eu-gdpr", "DE", "2025-03-18").run();
    assert!(
        rolled.explanation_line().contains(
            "Fri 18 Apr 2025 is a public holiday (Good Friday), Sat 19 Apr 2025 a Saturday, Sun 20 Apr 2025 a Sunday, \
             Mon 21 Apr 2025 a public holiday (Easter Monday) → next working day → due Tue 22 Apr 2025"
        ),
        "{}",
        rolled.explanation_line()
    );
}

#[test]
fn gdpr_extension_counts_two_months_after_the_first_and_needs_notice_within_the_first_month() {
    let on_time = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-02-20")).run();
    assert_eq!(on_time.due, Some(d("2025-02-28")));
    assert_eq!(on_time.extension_notice_due, Some(d("2025-02-28")));
    assert_eq!(on_time.extended_due, Some(d("2025-04-28")), "28 Feb + two months (Reg. 1182/71 Art. 3(2)(c))");
    assert_eq!(on_time.legal_due, Some(d("2025-04-28")));
    // The other reading: three months from the start.
    let from_start = EngineOptions { eu_extension_from_start: true, ..EngineOptions::default() };
    let three = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-02-20")).options(from_start).run();
    assert_eq!(three.extended_due, Some(d("2025-04-30")));

    let on_the_last_day = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-02-28")).run();
    assert_eq!(on_the_last_day.extended_due, Some(d("2025-04-28")));

    let late = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-03-03")).run();
    assert_eq!(late.extended_due, None);
    assert_eq!(late.legal_due, Some(d("2025-02-28")));
    assert!(late.has_warning("extension_notice_late"));
    let w = late.warnings.iter().find(|w| w.code == "extension_notice_late").map(|w| w.message.clone());
    assert!(w.unwrap_or_default().contains("Fri 28 Feb 2025"));

    let twice = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-02-10")).event(extension("2025-02-20")).run();
    assert_eq!(twice.extended_due, Some(d("2025-04-28")));
    assert!(twice.has_warning("extension_repeated"));
}

#[test]
fn an_extension_notice_sent_late_is_refused_with_the_notice_deadline() {
    let case = Case::new("eu-gdpr", "DE", "2025-01-31");
    assert!(check_extension(&case.input(), d("2025-02-28")).is_ok());
    match check_extension(&case.input(), d("2025-03-01")) {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, "extension");
            assert!(reason.contains("Fri 28 Feb 2025"), "{reason}");
        }
        other => panic!("expected Invalid(extension), got {other:?}"),
    }
    let extended = Case::new("eu-gdpr", "DE", "2025-01-31").event(extension("2025-02-10"));
    assert!(matches!(check_extension(&extended.input(), d("2025-02-11")), Err(Error::Invalid { field: "extension", .. })));
    let none = Case::new("lgpd", "BR", "2025-01-31");
    assert!(matches!(check_extension(&none.input(), d("2025-02-01")), Err(Error::Invalid { field: "extension", .. })));
}

#[test]
fn uk_gdpr_follows_the_ico_worked_examples_and_the_nations_bank_holidays() {
    let table = [
        // ICO: received 3 September → 3 October.
        ("GB-ENG", "2025-09-03", "2025-10-03", "ICO example"),
        // ICO: no corresponding date → the month's last day.
        ("GB-ENG", "2025-03-31", "2025-04-30", "ICO example: no 31 April"),
        ("GB-ENG", "2024-01-30", "2024-02-29", "leap year"),
        // Boxing Day 2026 is a Saturday: substitute bank holiday Mon 28 Dec in England.
        ("GB-ENG", "2026-11-26", "2026-12-29", "Sat 26, Sun 27, Mon 28 (substitute) passed over"),
        ("GB-ENG", "2026-11-28", "2026-12-29", "due on the substitute day itself"),
        ("GB-WLS", "2026-11-28", "2026-12-29", "Wales shares England's list"),
        // 2 January is a bank holiday in Scotland only (2027: a Saturday, substitute Mon 4 Jan).
        ("GB-ENG", "2026-12-02", "2027-01-04", "England: the weekend only"),
        ("GB-SCT", "2026-12-02", "2027-01-05", "Scotland: 2 Jan substitute on Mon 4 Jan"),
        // St Patrick's Day is a bank holiday in Northern Ireland only.
        ("GB-ENG", "2026-02-17", "2026-03-17", "England: an ordinary Tuesday"),
        ("GB-NIR", "2026-02-17", "2026-03-18", "Northern Ireland: St Patrick's Day"),
        // Easter Monday is not a bank holiday in Scotland.
        ("GB-SCT", "2026-03-06", "2026-04-06", "Scotland works on Easter Monday"),
        ("GB-ENG", "2026-03-06", "2026-04-07", "England does not"),
        ("GB-ENG", "2022-08-19", "2022-09-20", "the Queen's state funeral, Mon 19 Sep 2022"),
    ];
    for (j, received, expected, why) in table {
        assert_eq!(due("uk-gdpr", j, received), expected, "{j} received {received}: {why}");
    }
}

#[test]
fn uk_clarification_days_do_not_count_both_inclusive() {
    // Received Tue 3 Jun 2025 → Thu 3 Jul. Clarification asked Tue 10 Jun, answered Sat 14 Jun:
    // five days (10–14) do not count → Tue 8 Jul 2025.
    let s = Case::new("uk-gdpr", "GB-ENG", "2025-06-03")
        .event(ClockEvent::ClarificationRequested { on: d("2025-06-10") })
        .event(ClockEvent::ClarificationReceived { on: d("2025-06-14") })
        .run();
    assert_eq!(s.paused_days, 5);
    assert_eq!(s.due, Some(d("2025-07-08")));
    assert!(s.explanation_line().contains("5 day(s) do not count (both inclusive)"));

    // Still awaited on 20 Jun: 11 days so far, the clock is paused.
    let open = Case::new("uk-gdpr", "GB-ENG", "2025-06-03")
        .event(ClockEvent::ClarificationRequested { on: d("2025-06-10") })
        .today("2025-06-20")
        .run();
    assert!(open.clock_paused);
    assert!(open.has_warning("clock_paused"));
    assert_eq!(open.due, Some(d("2025-07-14")));
}

#[test]
fn uk_identity_or_fee_received_restarts_the_clock() {
    let s = Case::new("uk-gdpr", "GB-ENG", "2025-06-02")
        .event(ClockEvent::IdentityRequested { on: d("2025-06-03") })
        .event(ClockEvent::IdentityReceived { on: d("2025-06-16") })
        .run();
    assert_eq!(s.clock_start, d("2025-06-16"));
    assert_eq!(s.due, Some(d("2025-07-16")));

    let fee = Case::new("uk-gdpr", "GB-ENG", "2025-06-02")
        .event(ClockEvent::FeeRequested { on: d("2025-06-03") })
        .event(ClockEvent::FeePaid { on: d("2025-06-30") })
        .run();
    assert_eq!(fee.due, Some(d("2025-07-30")));

    let awaited = Case::new("uk-gdpr", "GB-ENG", "2025-06-02").event(ClockEvent::IdentityRequested { on: d("2025-06-03") }).run();
    assert_eq!(awaited.due, Some(d("2025-07-02")));
    assert!(awaited.has_warning("identity_awaited"));
}

#[test]
fn uk_extension_is_three_months_from_the_start_date_not_the_deadline_plus_two() {
    // Received Fri 31 Jan 2025 → due Fri 28 Feb; extended: 31 Jan + 3 months = Wed 30 Apr
    // (not 28 Feb + 2 months = 28 Apr).
    let s = Case::new("uk-gdpr", "GB-ENG", "2025-01-31").event(extension("2025-02-14")).run();
    assert_eq!(s.extended_due, Some(d("2025-04-30")));
    // With a restart, the three months run from the new start.
    let restarted = Case::new("uk-gdpr", "GB-ENG", "2025-09-01")
        .event(ClockEvent::IdentityReceived { on: d("2025-09-03") })
        .event(extension("2025-09-20"))
        .run();
    assert_eq!(restarted.due, Some(d("2025-10-03")));
    assert_eq!(restarted.extended_due, Some(d("2025-12-03")));
}

#[test]
fn uk_day_after_receipt_is_an_explicit_reading() {
    let old = EngineOptions { uk_day_after_receipt: true, ..EngineOptions::default() };
    let s = Case::new("uk-gdpr", "GB-ENG", "2025-01-31").options(old).run();
    // From Sat 1 Feb: Sat 1 Mar → Mon 3 Mar 2025.
    assert_eq!(s.due, Some(d("2025-03-03")));
    assert!(s.readings.iter().any(|r| r.id == "uk-day-of-receipt" && r.chosen.contains("day after")));
}

#[test]
fn eu_identity_pause_is_off_by_default_and_can_be_chosen() {
    let events = [ClockEvent::IdentityRequested { on: d("2025-06-05") }, ClockEvent::IdentityReceived { on: d("2025-06-09") }];
    let mut case = Case::new("eu-gdpr", "DE", "2025-06-02");
    case.events = events.to_vec();
    assert_eq!(case.run().due, Some(d("2025-07-02")));
    case.options = EngineOptions { eu_identity_pause: true, ..EngineOptions::default() };
    let paused = case.run();
    assert_eq!(paused.paused_days, 5);
    assert_eq!(paused.due, Some(d("2025-07-07")));
}

#[test]
fn ccpa_counts_45_calendar_days_excluding_receipt_without_pause_or_roll() {
    // The CCP § 12 reading: the first day excluded.
    let ccp12 = EngineOptions { ccpa_receipt_is_day_one: false, ..EngineOptions::default() };
    let s = Case::new("ccpa", "US-CA", "2025-03-01").options(ccp12.clone()).run();
    assert_eq!(s.due, Some(d("2025-04-15")));
    assert_eq!(s.ack_due, Some(d("2025-03-14")));
    // Due on a Saturday: the regulation's text does not roll...
    assert_eq!(Case::new("ccpa", "US-CA", "2025-05-14").options(ccp12.clone()).run().due, Some(d("2025-06-28")));
    // ...CCP § 12a as an option does.
    let roll = EngineOptions { ccpa_roll_holidays: true, ..ccp12.clone() };
    assert_eq!(Case::new("ccpa", "US-CA", "2025-05-14").options(roll).run().due, Some(d("2025-06-30")));
    // The default: the period begins on the day of receipt (11 CCR § 7021(b)), one day earlier.
    assert_eq!(Case::new("ccpa", "US-CA", "2025-03-01").run().due, Some(d("2025-04-14")));
    // Verification never pauses the clock.
    let verified = Case::new("ccpa", "US-CA", "2025-03-01")
        .options(ccp12)
        .event(ClockEvent::IdentityRequested { on: d("2025-03-02") })
        .event(ClockEvent::IdentityReceived { on: d("2025-03-20") })
        .run();
    assert_eq!(verified.due, Some(d("2025-04-15")));
    assert!(verified.explanation_line().contains("does not stop the clock"));
}

#[test]
fn ccpa_acknowledgement_and_opt_out_use_business_days_of_the_chosen_calendar() {
    // Thu 26 Jun 2025 + 10 business days, 4 July skipped → Fri 11 Jul.
    assert_eq!(Case::new("ccpa", "US-CA", "2025-06-26").run().ack_due, Some(d("2025-07-11")));
    // Opt-out of sale received Mon 17 Nov 2025: 15 business days, Thanksgiving skipped → Tue 9 Dec;
    // with California's calendar the day after Thanksgiving is skipped too → Wed 10 Dec.
    let opt_out = Case::new("ccpa", "US-CA", "2025-11-17").kind(RequestType::OptOutSaleSharing);
    let federal = opt_out.run();
    assert_eq!(federal.due, Some(d("2025-12-09")));
    assert_eq!(federal.ack_due, None, "opt-out requests need no acknowledgement");
    let ca = Case { options: EngineOptions { ccpa_calendar: CcpaCalendar::California, ..EngineOptions::default() }, ..opt_out };
    let california = ca.run();
    assert_eq!(california.due, Some(d("2025-12-10")));
    assert_eq!(california.calendar, "US-CA");
    let limit = Case::new("ccpa", "US-CA", "2025-11-17").kind(RequestType::LimitSensitive).run();
    assert_eq!(limit.due, Some(d("2025-12-09")));
}

#[test]
fn ccpa_extension_is_at_most_90_days_from_receipt_with_notice_in_the_first_45() {
    let s = Case::new("ccpa", "US-CA", "2025-03-01").event(extension("2025-04-10")).run();
    assert_eq!(s.extended_due, Some(d("2025-05-29")), "receipt is day 1 of 90");
    let ccp12 = EngineOptions { ccpa_receipt_is_day_one: false, ..EngineOptions::default() };
    let s = Case::new("ccpa", "US-CA", "2025-03-01").event(extension("2025-04-10")).options(ccp12).run();
    assert_eq!(s.extended_due, Some(d("2025-05-30")));
    let late = Case::new("ccpa", "US-CA", "2025-03-01").event(extension("2025-04-16")).run();
    assert_eq!(late.extended_due, None);
    assert!(late.has_warning("extension_notice_late"));
    let opt_out = Case::new("ccpa", "US-CA", "2025-03-03").kind(RequestType::OptOutSaleSharing).event(extension("2025-03-05")).run();
    assert!(opt_out.has_warning("extension_not_allowed"));
    assert_eq!(opt_out.extended_due, None);
}

#[test]
fn us_state_laws_45_plus_45_iowa_90_plus_45_and_appeals() {
    for regime in [
        "us-va", "us-co", "us-ct", "us-ut", "us-tx", "us-or", "us-mt", "us-de", "us-nh", "us-nj", "us-tn", "us-mn", "us-md", "us-in",
        "us-ky", "us-ri", "us-ne",
    ] {
        let j = format!("US-{}", regime.trim_start_matches("us-").to_uppercase());
        let s = Case::new(regime, &j, "2025-03-01").event(extension("2025-04-15")).run();
        assert_eq!(s.due, Some(d("2025-04-15")), "{regime}");
        assert_eq!(s.extended_due, Some(d("2025-05-30")), "{regime}");
        assert_eq!(s.calendar, "US");
    }
    let iowa = Case::new("us-ia", "US-IA", "2025-03-01").event(extension("2025-05-30")).run();
    assert_eq!(iowa.due, Some(d("2025-05-30")));
    assert_eq!(iowa.extended_due, Some(d("2025-07-14")));
    let appeal = Case::new("us-va", "US-VA", "2025-03-01").kind(RequestType::Appeal).run();
    assert_eq!(appeal.due, Some(d("2025-04-30")));
    let co_appeal = Case::new("us-co", "US-CO", "2025-03-01").kind(RequestType::Appeal).run();
    assert_eq!(co_appeal.due, Some(d("2025-04-15")));
    let early = Case::new("us-ky", "US-KY", "2025-06-01").run();
    assert!(early.has_warning("not_in_force"));
}

#[test]
fn pipeda_and_quebec_roll_over_sundays_and_holidays_but_not_saturdays() {
    assert_eq!(due("pipeda", "CA", "2025-06-03"), "2025-07-03");
    assert_eq!(due("pipeda", "CA", "2025-05-02"), "2025-06-02", "Sunday → Monday");
    assert_eq!(due("pipeda", "CA", "2025-05-01"), "2025-05-31", "a Saturday stands");
    assert_eq!(due("pipeda", "CA", "2025-06-01"), "2025-07-02", "Canada Day");
    let ext = Case::new("pipeda", "CA", "2025-06-03").event(extension("2025-06-20")).run();
    assert_eq!(ext.extended_due, Some(d("2025-08-02")), "+30 from the original deadline (a Saturday stands)");
    assert_eq!(due("quebec", "CA-QC", "2025-05-25"), "2025-06-25", "Fête nationale");
    let q = Case::new("quebec", "CA-QC", "2025-05-25").event(extension("2025-06-01")).run();
    assert!(q.has_warning("extension_not_allowed"));
}

#[test]
fn other_statutory_regimes() {
    assert_eq!(due("lgpd", "BR", "2025-03-01"), "2025-03-17", "15 days; Sun 16 Mar rolls (Civil Code Art. 132 §1)");
    assert_eq!(due("popia", "ZA", "2025-03-22"), "2025-04-22", "Family Day 21 Apr 2025");
    let popia = Case::new("popia", "ZA", "2025-03-03").event(extension("2025-03-20")).run();
    assert_eq!(popia.due, Some(d("2025-04-02")));
    assert_eq!(popia.extended_due, Some(d("2025-05-02")));
    assert_eq!(due("au-agency", "AU", "2025-03-26"), "2025-04-28", "Fri 25 Apr ANZAC Day, then the weekend");
    assert_eq!(due("ch-fadp", "CH", "2025-03-03"), "2025-04-02");
    // A cost notice: 10 days to reflect, then 30 days.
    let cost = Case::new("ch-fadp", "CH", "2025-03-03").event(ClockEvent::CostNotice { on: d("2025-03-05") }).run();
    assert_eq!(cost.clock_start, d("2025-03-15"));
    assert_eq!(cost.due, Some(d("2025-04-14")));
    // An announced later date.
    let later = Case::new("ch-fadp", "CH", "2025-03-03")
        .event(ClockEvent::ExtensionNoticeSent { on: d("2025-03-20"), reason: None, until: Some(d("2025-05-15")) })
        .run();
    assert_eq!(later.extended_due, Some(d("2025-05-15")));
}

#[test]
fn regimes_without_a_statutory_date_get_a_target_only() {
    for (regime, j, target) in [("jp-appi", "JP", "2025-03-15"), ("sg-pdpa", "SG", "2025-03-31"), ("au-organisation", "AU", "2025-03-31")] {
        let s = Case::new(regime, j, "2025-03-01").run();
        assert!(!s.statutory, "{regime}");
        assert_eq!(s.legal_due, None, "{regime}");
        assert_eq!(s.due, None, "{regime}");
        assert_eq!(s.target, Some(d(target)), "{regime}");
        assert!(s.has_warning("no_statutory_date"), "{regime}");
    }
    let sg = Case::new("sg-pdpa", "SG", "2025-03-01").run();
    assert!(sg.duties.iter().any(|x| x.id == "update-if-unanswered" && x.due == d("2025-03-31")));
}

#[test]
fn the_promise_shortens_and_the_target_precedes() {
    let s = Case::new("eu-gdpr", "DE", "2025-01-31").run();
    assert_eq!(s.target, Some(d("2025-02-21")), "5 working days before Fri 28 Feb");
    let promise = EngineOptions { promise_days: Some(20), ..EngineOptions::default() };
    let p = Case::new("eu-gdpr", "DE", "2025-01-31").options(promise).run();
    assert_eq!(p.promised_due, Some(d("2025-02-20")));
    assert_eq!(p.legal_due, Some(d("2025-02-28")), "a promise never moves the legal date");
    assert_eq!(p.target, Some(d("2025-02-13")));
    let generous = EngineOptions { promise_days: Some(40), ..EngineOptions::default() };
    let g = Case::new("eu-gdpr", "DE", "2025-01-31").options(generous).run();
    assert_eq!(g.promised_due, Some(d("2025-02-28")));
    assert!(g.has_warning("promise_later_than_law"));
}

#[test]
fn days_left_counts_from_today_and_flags_overdue() {
    let s = Case::new("eu-gdpr", "DE", "2025-01-31").today("2025-02-20").run();
    assert_eq!(s.days_left, Some(8));
    let late = Case::new("eu-gdpr", "DE", "2025-01-31").today("2025-03-03").run();
    assert_eq!(late.days_left, Some(-3));
    assert!(late.has_warning("overdue"));
}

#[test]
fn bad_input_is_invalid_with_the_field_named() {
    let field = |c: Case| match compute(&c.input()) {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    };
    assert_eq!(field(Case::new("gdpr", "DE", "2025-01-31")), "regime");
    assert_eq!(field(Case::new("eu-gdpr", "GB-ENG", "2025-01-31")), "jurisdiction");
    assert_eq!(field(Case::new("eu-gdpr", "DE", "1900-01-01")), "received");
    assert_eq!(field(Case::new("eu-gdpr", "DE", "2025-01-31").event(ClockEvent::IdentityReceived { on: d("2025-01-01") })), "events");
}

#[test]
fn schedules_and_events_round_trip_through_json() {
    let s = Case::new("uk-gdpr", "GB-ENG", "2025-01-31").event(extension("2025-02-14")).run();
    let json = serde_json::to_string(&s).expect("serialises");
    let back: Schedule = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, s);
    let old: Schedule = serde_json::from_str(r#"{"rule_set":"eu-gdpr@2025.1","legal_due":"2025-02-28","steps":[]}"#)
        .expect("a schedule stored by the walking skeleton still reads");
    assert_eq!(old.legal_due, Some(d("2025-02-28")));
    let e: ClockEvent = serde_json::from_str(r#"{"kind":"extension-notice-sent","on":"2025-02-14"}"#).expect("old event");
    assert_eq!(e, ClockEvent::ExtensionNoticeSent { on: d("2025-02-14"), reason: None, until: None });
    let p: ClockEvent = serde_json::from_str(r#"{"kind":"paused","on":"2025-02-14","reason":"court order"}"#).expect("pause");
    assert_eq!(p.kind(), "paused");
    let o: EngineOptions = serde_json::from_str(r#"{"promise_days":30}"#).expect("partial options");
    assert_eq!(o.target_working_days, 5);
}

#[test]
#[ignore = "prints explanations for review: cargo test --test deadline_regimes -- --ignored --nocapture"]
fn print_explanations() {
    let cases = [
        Case::new("eu-gdpr", "DE", "2025-03-18"),
        Case::new("uk-gdpr", "GB-ENG", "2025-06-03")
            .event(ClockEvent::ClarificationRequested { on: d("2025-06-10") })
            .event(ClockEvent::ClarificationReceived { on: d("2025-06-14") })
            .event(extension("2025-06-20")),
        Case::new("ccpa", "US-CA", "2025-03-01").event(extension("2025-04-10")).today("2025-04-01"),
        Case::new("sg-pdpa", "SG", "2025-03-01"),
    ];
    for c in cases {
        let s = c.run();
        println!("{} {} {}\n  {}", s.rule_set, s.jurisdiction, s.received, s.explanation_line());
        for st in &s.steps {
            println!("   - [{}] {} ({})", st.rule, st.detail, st.source);
        }
        println!("  warnings: {:?}\n  readings: {:?}", s.warnings, s.readings);
    }
}

/// Issue 19 item 8: Colorado and Minnesota let an appeal be extended by 60 days with notice
/// within the first 45 (C.R.S. § 6-1-1306(3)(b); Minn. Stat. § 325M.14); New Jersey does not,
/// and its response period is cited to N.J.S.A. 56:8-166.7(a).
#[test]
fn colorado_and_minnesota_appeals_extend_by_60_days_new_jersey_does_not() {
    // (regime, notice sent, expected extended date or None, warning expected)
    let table: [(&str, &str, Option<&str>, Option<&str>); 6] = [
        ("us-co", "2026-04-10", Some("2026-06-14"), None),
        ("us-mn", "2026-04-15", Some("2026-06-14"), None),
        ("us-co", "2026-04-16", None, Some("extension_notice_late")),
        ("us-mn", "2026-04-16", None, Some("extension_notice_late")),
        ("us-nj", "2026-04-10", None, Some("extension_not_allowed")),
        ("us-va", "2026-04-10", None, Some("extension_not_allowed")),
    ];
    for (regime, notice, extended, warning) in table {
        let j = format!("US-{}", regime.trim_start_matches("us-").to_uppercase());
        let case = Case::new(regime, &j, "2026-03-01").kind(RequestType::Appeal);
        let plain = case.run();
        let s = case.event(extension(notice)).run();
        assert_eq!(s.extended_due, extended.map(d), "{regime} notice {notice}");
        assert_eq!(s.legal_due, extended.map(d).or(plain.due), "{regime}");
        if let Some(w) = warning {
            assert!(s.has_warning(w), "{regime}: {:?}", s.warnings);
        } else {
            assert!(s.warnings.is_empty(), "{regime}: {:?}", s.warnings);
            assert_eq!(plain.extension_notice_due, plain.due, "{regime}: notice within the first 45 days");
            assert!(s.steps.iter().any(|x| x.source.contains("60 additional days")), "{regime}: the source is cited");
        }
    }
    // Recording the notice is accepted in time and refused after the first 45 days.
    for regime in ["us-co", "us-mn"] {
        let j = format!("US-{}", regime.trim_start_matches("us-").to_uppercase());
        let case = Case::new(regime, &j, "2026-03-01").kind(RequestType::Appeal);
        assert!(check_extension(&case.input(), d("2026-04-15")).is_ok(), "{regime}");
        assert!(check_extension(&case.input(), d("2026-04-16")).is_err(), "{regime}");
    }
    let nj = Case::new("us-nj", "US-NJ", "2026-03-01").run();
    assert!(nj.steps.iter().any(|x| x.source.contains("56:8-166.7(a)")), "{:?}", nj.steps);
    assert!(!nj.steps.iter().any(|x| x.source.contains("166.10")));
}

/// Issue 19 item 10: each law's date applies to the request types it names; the others get
/// an internal target, and the duties that go with them appear only where they apply.
#[test]
fn statutory_dates_apply_to_the_request_types_the_law_names() {
    // (regime, jurisdiction, type, legal due (None: no statutory date), target)
    let table: [(&str, &str, RequestType, Option<&str>, &str); 8] = [
        ("lgpd", "BR", RequestType::Access, Some("2026-03-16"), "2026-03-09"),
        ("lgpd", "BR", RequestType::Erasure, None, "2026-03-16"),
        ("lgpd", "BR", RequestType::Objection, None, "2026-03-16"),
        ("au-agency", "AU", RequestType::Access, Some("2026-03-31"), "2026-03-24"),
        ("au-agency", "AU", RequestType::Rectification, Some("2026-03-31"), "2026-03-24"),
        ("au-agency", "AU", RequestType::Erasure, None, "2026-03-31"),
        ("au-agency", "AU", RequestType::Objection, None, "2026-03-31"),
        ("pipeda", "CA", RequestType::Erasure, Some("2026-03-31"), "2026-03-24"),
    ];
    for (regime, j, t, legal, target) in table {
        let s = Case::new(regime, j, "2026-03-01").kind(t).run();
        assert_eq!(s.legal_due, legal.map(d), "{regime} {t}");
        assert_eq!(s.target, Some(d(target)), "{regime} {t}");
        assert_eq!(s.has_warning("no_statutory_date"), legal.is_none(), "{regime} {t}");
    }
    // LGPD: the simplified answer belongs to access; the other rights carry "immediately, or a reasoned reply".
    let access = Case::new("lgpd", "BR", "2026-03-01").run();
    let erasure = Case::new("lgpd", "BR", "2026-03-01").kind(RequestType::Erasure).run();
    let ids = |s: &Schedule| s.duties.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&access), ["simplified-answer"]);
    assert_eq!(ids(&erasure), ["immediate-or-reasoned-reply"]);
    assert!(erasure.duties.iter().all(|x| x.source.contains("Art. 18")));
    // ANPD Res. 2/2022 art. 14: a small agent has 30 days for the access statement.
    let small = Case::new("lgpd", "BR", "2026-03-01").options(EngineOptions { lgpd_small_agent: true, ..Default::default() }).run();
    assert_eq!(small.legal_due, Some(d("2026-03-31")));
    assert!(small.steps.iter().any(|x| x.source.contains("2/2022 art. 14")));
    // PIPEDA s. 8(5): once extended, the deemed refusal falls on the extended date.
    let ext = Case::new("pipeda", "CA", "2025-06-03").event(extension("2025-06-20")).run();
    let deemed = ext.duties.iter().find(|x| x.id == "deemed-refusal").map(|x| x.due);
    assert_eq!(deemed, Some(d("2025-08-02")));
    // Switzerland: DPO Art. 18(2) for the later date, 19(3) for the cost notice, and the Art. 18(3) duty.
    let later = Case::new("ch-fadp", "CH", "2025-03-03")
        .event(ClockEvent::ExtensionNoticeSent { on: d("2025-03-20"), reason: None, until: Some(d("2025-05-15")) })
        .event(ClockEvent::CostNotice { on: d("2025-03-04") })
        .run();
    assert!(later.steps.iter().any(|x| x.source.starts_with("DPO Art. 18(2)")), "{:?}", later.steps);
    assert!(later.steps.iter().any(|x| x.source.starts_with("DPO Art. 19(3)")));
    assert!(later.duties.iter().any(|x| x.id == "refusal-within-period" && x.source.contains("Art. 18(3)")));
    // PAIA s. 54: the days from the fee notice to its payment do not count.
    let fee = Case::new("popia", "ZA", "2025-03-03")
        .event(ClockEvent::FeeRequested { on: d("2025-03-05") })
        .event(ClockEvent::FeePaid { on: d("2025-03-14") })
        .run();
    assert_eq!(fee.paused_days, 10);
    assert_eq!(fee.due, Some(d("2025-04-12")), "2 Apr + 10 paused days; a Saturday stands (Interpretation Act s. 4)");
}

/// Issue 19 item 9: where the sources disagree, the earlier (or safer) date is the default, the
/// other reading is a setting, and each schedule says which reading it used and what it changes.
#[test]
fn readings_default_to_the_earlier_date_and_name_their_consequence() {
    let ccp12 = EngineOptions { ccpa_receipt_is_day_one: false, ..EngineOptions::default() };
    let from_start = EngineOptions { eu_extension_from_start: true, ..EngineOptions::default() };
    let reasonable = EngineOptions { popia_reasonable_time: true, ..EngineOptions::default() };
    let default = EngineOptions::default();
    // (regime, jurisdiction, received, extension notice, options, reading id, expected legal due)
    let table = [
        ("ccpa", "US-CA", "2025-03-01", None, &default, "ccpa-counting", Some("2025-04-14")),
        ("ccpa", "US-CA", "2025-03-01", None, &ccp12, "ccpa-counting", Some("2025-04-15")),
        ("eu-gdpr", "DE", "2025-01-31", Some("2025-02-20"), &default, "eu-extension-end", Some("2025-04-28")),
        ("eu-gdpr", "DE", "2025-01-31", Some("2025-02-20"), &from_start, "eu-extension-end", Some("2025-04-30")),
        ("eu-gdpr", "FR", "2025-11-30", Some("2025-12-01"), &default, "eu-extension-end", Some("2026-03-02")),
        ("popia", "ZA", "2025-03-03", None, &default, "popia-period", Some("2025-04-02")),
        ("popia", "ZA", "2025-03-03", Some("2025-03-20"), &default, "popia-period", Some("2025-05-02")),
        ("popia", "ZA", "2025-03-03", None, &reasonable, "popia-period", None),
    ];
    for (regime, j, received, notice, options, reading, legal) in table {
        let mut case = Case::new(regime, j, received).options(options.clone());
        if let Some(n) = notice {
            case = case.event(extension(n));
        }
        let s = case.run();
        assert_eq!(s.legal_due, legal.map(d), "{regime} {received} {options:?}");
        let r = s.readings.iter().find(|r| r.id == reading);
        let r = r.unwrap_or_else(|| panic!("{regime}: no reading {reading} in {:?}", s.readings));
        assert!(!r.chosen.is_empty() && !r.consequence.is_empty(), "{regime}");
        assert_eq!(r.chosen.contains("earlier date") || r.chosen.contains("safer"), options == &default, "{regime}: {r:?}");
    }
    // The defaults are the earlier dates, and never later than the other reading.
    for received in ["2025-01-31", "2025-03-31", "2024-02-29", "2025-08-30", "2025-12-31"] {
        let ours = Case::new("eu-gdpr", "DE", received).event(extension(received)).run();
        let other = Case::new("eu-gdpr", "DE", received).event(extension(received)).options(from_start.clone()).run();
        assert!(ours.legal_due <= other.legal_due, "{received}");
    }
    let reasonable_popia = Case::new("popia", "ZA", "2025-03-03").options(reasonable).run();
    assert!(reasonable_popia.has_warning("no_statutory_date"));
    assert_eq!(reasonable_popia.target, Some(d("2025-04-02")));
}

/// Issue 19 item 11: the calendar is the one where the organisation acts — a German Land,
/// an EEA state, Québec with Easter Monday, Brazil rolling off a non-working day — and `US`
/// is the federal calendar for every US regime.
#[test]
fn calendars_where_the_organisation_acts() {
    // (regime, jurisdiction, received, legal due, the national/other calendar's due for contrast)
    let table = [
        ("eu-gdpr", "DE-BY", "2026-05-04", "2026-06-05", Some(("DE", "2026-06-04"))), // Corpus Christi
        ("ch-fadp", "CH-TI", "2026-05-30", "2026-06-30", Some(("CH", "2026-06-29"))), // Saints Peter and Paul
        ("pipeda", "CA-ON", "2026-01-17", "2026-02-17", Some(("CA", "2026-02-16"))),  // Family Day
        ("pipeda", "CA-BC", "2026-07-03", "2026-08-04", Some(("CA", "2026-08-03"))),  // British Columbia Day
        ("ch-fadp", "CH-GE", "2025-12-01", "2026-01-02", Some(("CH", "2025-12-31"))), // Restoration Day
        ("eu-gdpr", "AT-9", "2025-11-08", "2025-12-09", Some(("AT", "2025-12-09"))),  // Immaculate Conception, federal
        ("eu-gdpr", "DE-NW", "2027-10-01", "2027-11-02", Some(("DE", "2027-11-01"))), // All Saints' Day
        ("eu-gdpr", "DE-SN", "2026-10-18", "2026-11-19", Some(("DE", "2026-11-18"))), // Repentance and Prayer Day
        ("eu-gdpr", "DE-BE", "2027-02-08", "2027-03-09", Some(("DE", "2027-03-08"))), // International Women's Day
        ("eu-gdpr", "NO", "2028-04-17", "2028-05-18", None),                          // Constitution Day
        ("eu-gdpr", "IS", "2026-05-17", "2026-06-18", None),                          // National Day
        ("eu-gdpr", "LI", "2025-07-15", "2025-08-18", None),                          // National Day (Fri)
        ("quebec", "CA-QC", "2026-03-06", "2026-04-07", None),                        // Sun 5 Apr, Easter Monday 6 Apr
        ("lgpd", "BR", "2025-03-01", "2025-03-17", None),                             // Sun 16 Mar rolls
    ];
    for (regime, j, received, legal, contrast) in table {
        let s = Case::new(regime, j, received).run();
        assert_eq!(s.legal_due, Some(d(legal)), "{regime} {j} {received}: {}", s.explanation_line());
        assert_eq!(s.calendar, j);
        if let Some((other, other_due)) = contrast {
            assert_eq!(Case::new(regime, other, received).run().legal_due, Some(d(other_due)), "{other}");
        }
    }
    // Every US regime accepts `US`, the federal calendar.
    for regime in [
        "ccpa", "us-va", "us-co", "us-ct", "us-ut", "us-tx", "us-or", "us-mt", "us-de", "us-nh", "us-nj", "us-tn", "us-mn", "us-md",
        "us-in", "us-ky", "us-ri", "us-ne", "us-ia",
    ] {
        let s = Case::new(regime, "US", "2026-03-02").run();
        assert_eq!(s.calendar, "US", "{regime}");
        assert!(s.legal_due.is_some(), "{regime}");
    }
}

/// Issue 19 item 11: a holiday announced but not yet proclaimed is marked "expected" in the
/// calendar and in the explanation of a date it moves, with a warning to check it.
#[test]
fn an_announced_holiday_is_marked_expected() {
    let za = rightsdesk_core::deadlines::holiday_list("ZA", 2026).unwrap();
    let election = za.iter().find(|h| h.date == d("2026-11-04")).expect("the announced election day");
    assert!(election.expected && election.name.contains("expected"), "{election:?}");
    assert!(za.iter().filter(|h| h.date != d("2026-11-04")).all(|h| !h.expected));
    let s = Case::new("popia", "ZA", "2026-10-05").run();
    assert_eq!(s.due, Some(d("2026-11-05")));
    assert!(s.has_warning("expected_holiday"), "{:?}", s.warnings);
    assert!(s.explanation_line().contains("expected"), "{}", s.explanation_line());
    assert!(!Case::new("popia", "ZA", "2026-10-06").run().has_warning("expected_holiday"));
}
